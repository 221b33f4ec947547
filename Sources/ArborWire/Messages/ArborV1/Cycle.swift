extension ArborV1 {
    /// One group of users that reach each other.
    public struct Cycle: ProtoMessage {
        public static let protoMessageName = "arbor.v1.Cycle"

        /// Concatenated 16-byte user ids, ascending.
        public var members: [UInt8] = []

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(members: [UInt8] = []) {
            self.members = members
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: members = try reader.readBytes(tag, field: "members")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeBytes(members, field: 1)
        }
    }
}
