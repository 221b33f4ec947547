extension ArborV2 {
    /// A node with its label and attributes.
    public struct Node: ProtoMessage {
        public static let protoMessageName = "arbor.v2.Node"

        /// The node's id in its canonical text form.
        public var id: String = ""
        /// The node's label; `""` when it has none.
        public var label: String = ""
        /// The requested attributes by name; NULL is `""`.
        public var attributes: [String: String] = [:]

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(id: String = "", label: String = "", attributes: [String: String] = [:]) {
            self.id = id
            self.label = label
            self.attributes = attributes
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: id = try reader.readString(tag, field: "id")
                case 2: label = try reader.readString(tag, field: "label")
                case 3: try reader.readStringMapEntry(tag, field: "attributes", into: &attributes)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(id, field: 1)
            writer.writeString(label, field: 2)
            writer.writeStringMap(attributes, field: 3)
        }
    }
}
