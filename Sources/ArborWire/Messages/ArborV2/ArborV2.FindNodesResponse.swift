extension ArborV2 {
    /// One page of found nodes.
    public struct FindNodesResponse: ProtoMessage {
        public static let protoMessageName = "arbor.v2.FindNodesResponse"

        /// The nodes, by label in byte order, then id.
        public var nodes: [Node] = []
        /// Where and how fresh the answer is.
        public var meta: ResponseMeta?
        /// Pass back as ``FindNodesRequest/pageToken`` for the next page; empty on the last page.
        public var nextPageToken: String = ""

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(nodes: [Node] = [], meta: ResponseMeta? = nil, nextPageToken: String = "") {
            self.nodes = nodes
            self.meta = meta
            self.nextPageToken = nextPageToken
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: nodes.append(try reader.readMessage(tag, field: "nodes"))
                case 2: meta = try reader.readMessage(tag, field: "meta", merging: meta)
                case 3: nextPageToken = try reader.readString(tag, field: "next_page_token")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeRepeatedMessage(nodes, field: 1)
            writer.writeMessage(meta, field: 2)
            writer.writeString(nextPageToken, field: 3)
        }
    }
}
