extension ArborV2 {
    /// One attribute of the model.
    public struct AttributeInfo: ProtoMessage {
        public static let protoMessageName = "arbor.v2.AttributeInfo"

        /// The attribute's name.
        public var name: String = ""
        /// `text`, `integer` or `boolean`.
        public var type: String = ""
        /// Its values come from a fixed set (`values_from`), and others are INVALID_ARGUMENT.
        public var closed: Bool = false
        /// Distinct non-NULL values among the nodes.
        public var distinctValues: UInt32 = 0

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(name: String = "", type: String = "", closed: Bool = false, distinctValues: UInt32 = 0) {
            self.name = name
            self.type = type
            self.closed = closed
            self.distinctValues = distinctValues
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: name = try reader.readString(tag, field: "name")
                case 2: type = try reader.readString(tag, field: "type")
                case 3: closed = try reader.readBool(tag, field: "closed")
                case 4: distinctValues = try reader.readUInt32(tag, field: "distinct_values")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(name, field: 1)
            writer.writeString(type, field: 2)
            writer.writeBool(closed, field: 3)
            writer.writeUInt32(distinctValues, field: 4)
        }
    }
}
