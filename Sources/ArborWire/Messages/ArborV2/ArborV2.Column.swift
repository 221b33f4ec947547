extension ArborV2 {
    /// One attribute's value for each node of a chunk, aligned with its ids.
    public struct Column: ProtoMessage {
        public static let protoMessageName = "arbor.v2.Column"

        /// One value per node; `""` for NULL.
        public var values: [String] = []

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(values: [String] = []) {
            self.values = values
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: values.append(try reader.readString(tag, field: "values"))
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeRepeatedString(values, field: 1)
        }
    }
}
