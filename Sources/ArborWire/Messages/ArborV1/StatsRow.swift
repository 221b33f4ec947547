extension ArborV1 {
    /// The counts for one combination of group-by keys.
    public struct StatsRow: ProtoMessage {
        public static let protoMessageName = "arbor.v1.StatsRow"

        /// One key per `groupBy` dimension, in order; DAY as `YYYY-MM-DD`, USER as canonical UUID text.
        public var keys: [String] = []
        /// Registrations counted under these keys.
        public var registrations: UInt64 = 0
        /// Distinct users who created those registrations.
        public var registeringUsers: UInt32 = 0

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(keys: [String] = [], registrations: UInt64 = 0, registeringUsers: UInt32 = 0) {
            self.keys = keys
            self.registrations = registrations
            self.registeringUsers = registeringUsers
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: keys.append(try reader.readString(tag, field: "keys"))
                case 2: registrations = try reader.readUInt64(tag, field: "registrations")
                case 3: registeringUsers = try reader.readUInt32(tag, field: "registering_users")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeRepeatedString(keys, field: 1)
            writer.writeUInt64(registrations, field: 2)
            writer.writeUInt32(registeringUsers, field: 3)
        }
    }
}
