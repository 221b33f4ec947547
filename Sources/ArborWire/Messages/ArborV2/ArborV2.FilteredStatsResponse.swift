extension ArborV2 {
    /// One page of FilteredStats rows.
    public struct FilteredStatsResponse: ProtoMessage {
        public static let protoMessageName = "arbor.v2.FilteredStatsResponse"

        /// The rows, sorted by keys.
        public var rows: [StatsRow] = []
        /// One total per measure over all pages (packed on the wire).
        public var totals: [Int64] = []
        /// Nodes in scope that pass the filter, whether or not they have events.
        public var nodesInScope: UInt32 = 0
        /// Where and how fresh the answer is.
        public var meta: ResponseMeta?
        /// Pass back as ``FilteredStatsRequest/pageToken`` for the next page; empty on the last page.
        public var nextPageToken: String = ""

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            rows: [StatsRow] = [],
            totals: [Int64] = [],
            nodesInScope: UInt32 = 0,
            meta: ResponseMeta? = nil,
            nextPageToken: String = ""
        ) {
            self.rows = rows
            self.totals = totals
            self.nodesInScope = nodesInScope
            self.meta = meta
            self.nextPageToken = nextPageToken
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: rows.append(try reader.readMessage(tag, field: "rows"))
                case 2: try reader.readRepeatedInt64(tag, field: "totals", into: &totals)
                case 3: nodesInScope = try reader.readUInt32(tag, field: "nodes_in_scope")
                case 4: meta = try reader.readMessage(tag, field: "meta", merging: meta)
                case 5: nextPageToken = try reader.readString(tag, field: "next_page_token")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeRepeatedMessage(rows, field: 1)
            writer.writePackedInt64(totals, field: 2)
            writer.writeUInt32(nodesInScope, field: 3)
            writer.writeMessage(meta, field: 4)
            writer.writeString(nextPageToken, field: 5)
        }
    }
}
