extension ArborV1 {
    /// Asks for everyone under a user.
    public struct DescendantsRequest: ProtoMessage {
        public static let protoMessageName = "arbor.v1.DescendantsRequest"

        /// The user whose descendants to list: 16 raw UUID bytes.
        public var root: [UInt8] = []
        /// The deepest level to include; 0 means unbounded.
        public var maxDepth: UInt32 = 0
        /// Which descendants to return; traversal passes through the others.
        public var filter: UserFilter?
        /// Return the root first, at depth 0, if it passes the filter.
        public var includeRoot: Bool = false
        /// The most ids to return; 0 means all.
        public var limit: UInt32 = 0
        /// How fresh the answer must be; `nil` means the server defaults.
        public var freshness: Freshness?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            root: [UInt8] = [],
            maxDepth: UInt32 = 0,
            filter: UserFilter? = nil,
            includeRoot: Bool = false,
            limit: UInt32 = 0,
            freshness: Freshness? = nil
        ) {
            self.root = root
            self.maxDepth = maxDepth
            self.filter = filter
            self.includeRoot = includeRoot
            self.limit = limit
            self.freshness = freshness
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: root = try reader.readBytes(tag, field: "root")
                case 2: maxDepth = try reader.readUInt32(tag, field: "max_depth")
                case 3: filter = try reader.readMessage(tag, field: "filter", merging: filter)
                case 4: includeRoot = try reader.readBool(tag, field: "include_root")
                case 5: limit = try reader.readUInt32(tag, field: "limit")
                case 6: freshness = try reader.readMessage(tag, field: "freshness", merging: freshness)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeBytes(root, field: 1)
            writer.writeUInt32(maxDepth, field: 2)
            writer.writeMessage(filter, field: 3)
            writer.writeBool(includeRoot, field: 4)
            writer.writeUInt32(limit, field: 5)
            writer.writeMessage(freshness, field: 6)
        }
    }
}
