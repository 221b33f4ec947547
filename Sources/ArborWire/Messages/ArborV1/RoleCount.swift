extension ArborV1 {
    /// How many users with one role are in a downline.
    public struct RoleCount: ProtoMessage {
        public static let protoMessageName = "arbor.v1.RoleCount"

        /// The role name.
        public var role: String = ""
        /// Distinct descendants with that role.
        public var count: UInt32 = 0

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(role: String = "", count: UInt32 = 0) {
            self.role = role
            self.count = count
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: role = try reader.readString(tag, field: "role")
                case 2: count = try reader.readUInt32(tag, field: "count")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(role, field: 1)
            writer.writeUInt32(count, field: 2)
        }
    }
}
