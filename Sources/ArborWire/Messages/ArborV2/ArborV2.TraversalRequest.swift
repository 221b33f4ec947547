extension ArborV2 {
    /// Asks for the descendants or ancestors of a node, streamed in ``NodesChunk``s.
    public struct TraversalRequest: ProtoMessage {
        public static let protoMessageName = "arbor.v2.TraversalRequest"

        /// The node to start from, by id in its canonical text form.
        public var root: String = ""
        /// How many edges away to go; 0 means unbounded.
        public var maxDepth: UInt32 = 0
        /// Which nodes are returned (every match must hold); traversal passes through nodes it excludes.
        public var filter: [Match] = []
        /// Return the root first, at depth 0, if it passes the filter.
        public var includeRoot: Bool = false
        /// The most nodes to return; 0 means all.
        public var limit: UInt32 = 0
        /// Attributes (or `label`) to return for each node, as columns in this order.
        public var attributes: [String] = []
        /// Return each node's tree parent.
        public var includeParents: Bool = false
        /// How fresh the answer must be; `nil` means the server defaults.
        public var freshness: Freshness?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            root: String = "",
            maxDepth: UInt32 = 0,
            filter: [Match] = [],
            includeRoot: Bool = false,
            limit: UInt32 = 0,
            attributes: [String] = [],
            includeParents: Bool = false,
            freshness: Freshness? = nil
        ) {
            self.root = root
            self.maxDepth = maxDepth
            self.filter = filter
            self.includeRoot = includeRoot
            self.limit = limit
            self.attributes = attributes
            self.includeParents = includeParents
            self.freshness = freshness
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: root = try reader.readString(tag, field: "root")
                case 2: maxDepth = try reader.readUInt32(tag, field: "max_depth")
                case 3: filter.append(try reader.readMessage(tag, field: "filter"))
                case 4: includeRoot = try reader.readBool(tag, field: "include_root")
                case 5: limit = try reader.readUInt32(tag, field: "limit")
                case 6: attributes.append(try reader.readString(tag, field: "attributes"))
                case 7: includeParents = try reader.readBool(tag, field: "include_parents")
                case 8: freshness = try reader.readMessage(tag, field: "freshness", merging: freshness)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(root, field: 1)
            writer.writeUInt32(maxDepth, field: 2)
            writer.writeRepeatedMessage(filter, field: 3)
            writer.writeBool(includeRoot, field: 4)
            writer.writeUInt32(limit, field: 5)
            writer.writeRepeatedString(attributes, field: 6)
            writer.writeBool(includeParents, field: 7)
            writer.writeMessage(freshness, field: 8)
        }
    }
}
