extension ArborV2 {
    /// One group of nodes that reach each other.
    public struct Cycle: ProtoMessage {
        public static let protoMessageName = "arbor.v2.Cycle"

        /// The members, ascending.
        public var members: NodeIds?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(members: NodeIds? = nil) {
            self.members = members
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: members = try reader.readMessage(tag, field: "members", merging: members)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeMessage(members, field: 1)
        }
    }
}
