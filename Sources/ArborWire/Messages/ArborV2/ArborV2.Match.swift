extension ArborV2 {
    /// A condition on one attribute (or, in an ``EventScope``, one dimension): its value is one of `values`, or
    /// with `negate` none of them. NULL never matches either form.
    public struct Match: ProtoMessage {
        public static let protoMessageName = "arbor.v2.Match"

        /// The attribute or dimension, as the model names it.
        public var name: String = ""
        /// The values that match (at least one); `""` matches empty strings, never NULL.
        public var values: [String] = []
        /// Match values outside `values` instead.
        public var negate: Bool = false

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(name: String = "", values: [String] = [], negate: Bool = false) {
            self.name = name
            self.values = values
            self.negate = negate
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: name = try reader.readString(tag, field: "name")
                case 2: values.append(try reader.readString(tag, field: "values"))
                case 3: negate = try reader.readBool(tag, field: "negate")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(name, field: 1)
            writer.writeRepeatedString(values, field: 2)
            writer.writeBool(negate, field: 3)
        }
    }
}
