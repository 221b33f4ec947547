extension ArborV1 {
    /// One chunk of a Descendants stream; `meta` and `total` ride on the last one.
    public struct DescendantsChunk: ProtoMessage {
        public static let protoMessageName = "arbor.v1.DescendantsChunk"

        /// Concatenated 16-byte user ids, by depth and then id.
        public var ids: [UInt8] = []
        /// The depth of each id in `ids`, in the same order (packed on the wire).
        public var depths: [UInt32] = []
        /// Set on the last chunk.
        public var meta: ResponseMeta?
        /// On the last chunk: how many users matched before `limit` applied.
        public var total: UInt64 = 0

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            ids: [UInt8] = [],
            depths: [UInt32] = [],
            meta: ResponseMeta? = nil,
            total: UInt64 = 0
        ) {
            self.ids = ids
            self.depths = depths
            self.meta = meta
            self.total = total
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: ids = try reader.readBytes(tag, field: "ids")
                case 2: try reader.readRepeatedUInt32(tag, field: "depths", into: &depths)
                case 3: meta = try reader.readMessage(tag, field: "meta", merging: meta)
                case 4: total = try reader.readUInt64(tag, field: "total")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeBytes(ids, field: 1)
            writer.writePackedUInt32(depths, field: 2)
            writer.writeMessage(meta, field: 3)
            writer.writeUInt64(total, field: 4)
        }
    }
}
