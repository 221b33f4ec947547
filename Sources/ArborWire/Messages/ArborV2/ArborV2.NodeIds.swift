extension ArborV2 {
    /// A list of node ids in the form of the model's id type; only that one field is used.
    public struct NodeIds: ProtoMessage {
        public static let protoMessageName = "arbor.v2.NodeIds"

        /// UUID ids, 16 raw bytes each, concatenated.
        public var uuids: [UInt8] = []
        /// Integer ids (packed on the wire).
        public var ints: [Int64] = []
        /// Text ids.
        public var texts: [String] = []

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(uuids: [UInt8] = [], ints: [Int64] = [], texts: [String] = []) {
            self.uuids = uuids
            self.ints = ints
            self.texts = texts
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: uuids = try reader.readBytes(tag, field: "uuids")
                case 2: try reader.readRepeatedInt64(tag, field: "ints", into: &ints)
                case 3: texts.append(try reader.readString(tag, field: "texts"))
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeBytes(uuids, field: 1)
            writer.writePackedInt64(ints, field: 2)
            writer.writeRepeatedString(texts, field: 3)
        }
    }
}
