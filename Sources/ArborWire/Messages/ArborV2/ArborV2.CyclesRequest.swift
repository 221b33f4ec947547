extension ArborV2 {
    /// Asks for the groups of nodes that reach each other.
    public struct CyclesRequest: ProtoMessage {
        public static let protoMessageName = "arbor.v2.CyclesRequest"

        /// The most groups to return; 0 means all.
        public var limit: UInt32 = 0
        /// How fresh the answer must be; `nil` means the server defaults.
        public var freshness: Freshness?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(limit: UInt32 = 0, freshness: Freshness? = nil) {
            self.limit = limit
            self.freshness = freshness
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: limit = try reader.readUInt32(tag, field: "limit")
                case 2: freshness = try reader.readMessage(tag, field: "freshness", merging: freshness)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeUInt32(limit, field: 1)
            writer.writeMessage(freshness, field: 2)
        }
    }
}
