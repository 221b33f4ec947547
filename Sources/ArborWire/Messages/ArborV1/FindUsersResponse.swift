extension ArborV1 {
    /// The users found.
    public struct FindUsersResponse: ProtoMessage {
        public static let protoMessageName = "arbor.v1.FindUsersResponse"

        /// By name in byte order, then id.
        public var users: [User] = []
        /// Where and how fresh the answer is.
        public var meta: ResponseMeta?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(users: [User] = [], meta: ResponseMeta? = nil) {
            self.users = users
            self.meta = meta
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: users.append(try reader.readMessage(tag, field: "users"))
                case 2: meta = try reader.readMessage(tag, field: "meta", merging: meta)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeRepeatedMessage(users, field: 1)
            writer.writeMessage(meta, field: 2)
        }
    }
}
