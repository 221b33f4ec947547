extension ArborV1 {
    /// Looks users up by name prefix or id.
    public struct FindUsersRequest: ProtoMessage {
        public static let protoMessageName = "arbor.v1.FindUsersRequest"

        /// Names starting with this; ASCII letters match case-insensitively.
        public var namePrefix: String = ""
        /// Or (and): concatenated 16-byte user ids.
        public var ids: [UInt8] = []
        /// The most users to return: 0 means 20, over 1000 is INVALID_ARGUMENT.
        public var limit: UInt32 = 0
        /// How fresh the answer must be; `nil` means the server defaults.
        public var freshness: Freshness?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            namePrefix: String = "",
            ids: [UInt8] = [],
            limit: UInt32 = 0,
            freshness: Freshness? = nil
        ) {
            self.namePrefix = namePrefix
            self.ids = ids
            self.limit = limit
            self.freshness = freshness
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: namePrefix = try reader.readString(tag, field: "name_prefix")
                case 2: ids = try reader.readBytes(tag, field: "ids")
                case 3: limit = try reader.readUInt32(tag, field: "limit")
                case 4: freshness = try reader.readMessage(tag, field: "freshness", merging: freshness)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(namePrefix, field: 1)
            writer.writeBytes(ids, field: 2)
            writer.writeUInt32(limit, field: 3)
            writer.writeMessage(freshness, field: 4)
        }
    }
}
