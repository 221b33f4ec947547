extension ArborV2 {
    /// How many descendants have one value of the breakdown attribute.
    public struct KeyCount: ProtoMessage {
        public static let protoMessageName = "arbor.v2.KeyCount"

        /// The value; `""` for NULL.
        public var key: String = ""
        /// Descendants with that value.
        public var count: UInt32 = 0

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(key: String = "", count: UInt32 = 0) {
            self.key = key
            self.count = count
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: key = try reader.readString(tag, field: "key")
                case 2: count = try reader.readUInt32(tag, field: "count")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(key, field: 1)
            writer.writeUInt32(count, field: 2)
        }
    }
}
