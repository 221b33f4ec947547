extension ArborV2 {
    /// One chunk of a Descendants or Ancestors stream; `total` and `meta` ride on the last one.
    public struct NodesChunk: ProtoMessage {
        public static let protoMessageName = "arbor.v2.NodesChunk"

        /// The nodes, by depth and then id.
        public var ids: NodeIds?
        /// The depth of each node in `ids`, in the same order (packed on the wire).
        public var depths: [UInt32] = []
        /// With ``TraversalRequest/includeParents``: the tree parent of each node in `ids`.
        public var parents: NodeIds?
        /// One column per requested attribute, each aligned with `ids`.
        public var attributes: [Column] = []
        /// On the last chunk: how many nodes matched before `limit` applied.
        public var total: UInt64 = 0
        /// Set on the last chunk.
        public var meta: ResponseMeta?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            ids: NodeIds? = nil,
            depths: [UInt32] = [],
            parents: NodeIds? = nil,
            attributes: [Column] = [],
            total: UInt64 = 0,
            meta: ResponseMeta? = nil
        ) {
            self.ids = ids
            self.depths = depths
            self.parents = parents
            self.attributes = attributes
            self.total = total
            self.meta = meta
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: ids = try reader.readMessage(tag, field: "ids", merging: ids)
                case 2: try reader.readRepeatedUInt32(tag, field: "depths", into: &depths)
                case 3: parents = try reader.readMessage(tag, field: "parents", merging: parents)
                case 4: attributes.append(try reader.readMessage(tag, field: "attributes"))
                case 5: total = try reader.readUInt64(tag, field: "total")
                case 6: meta = try reader.readMessage(tag, field: "meta", merging: meta)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeMessage(ids, field: 1)
            writer.writePackedUInt32(depths, field: 2)
            writer.writeMessage(parents, field: 3)
            writer.writeRepeatedMessage(attributes, field: 4)
            writer.writeUInt64(total, field: 5)
            writer.writeMessage(meta, field: 6)
        }
    }
}
