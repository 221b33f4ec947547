extension ArborV2 {
    /// One page of a ranking.
    public struct LeaderboardResponse: ProtoMessage {
        public static let protoMessageName = "arbor.v2.LeaderboardResponse"

        /// The ranked nodes, from `offset + 1` on.
        public var rows: [LeaderboardRow] = []
        /// How many nodes were ranked in all.
        public var totalRanked: UInt32 = 0
        /// Where and how fresh the answer is.
        public var meta: ResponseMeta?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(rows: [LeaderboardRow] = [], totalRanked: UInt32 = 0, meta: ResponseMeta? = nil) {
            self.rows = rows
            self.totalRanked = totalRanked
            self.meta = meta
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: rows.append(try reader.readMessage(tag, field: "rows"))
                case 2: totalRanked = try reader.readUInt32(tag, field: "total_ranked")
                case 3: meta = try reader.readMessage(tag, field: "meta", merging: meta)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeRepeatedMessage(rows, field: 1)
            writer.writeUInt32(totalRanked, field: 2)
            writer.writeMessage(meta, field: 3)
        }
    }
}
