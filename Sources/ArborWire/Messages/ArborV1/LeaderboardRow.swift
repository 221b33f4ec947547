extension ArborV1 {
    /// One ranked user and their metrics.
    public struct LeaderboardRow: ProtoMessage {
        public static let protoMessageName = "arbor.v1.LeaderboardRow"

        /// 1-based position in the whole ranking.
        public var rank: UInt32 = 0
        /// The user: 16 raw UUID bytes.
        public var userID: [UInt8] = []
        /// The user's name.
        public var name: String = ""
        /// The user's role.
        public var role: String = ""
        /// Registrations the user created.
        public var selfRegistrations: UInt64 = 0
        /// Registrations the user's distinct descendants created.
        public var treeRegistrations: UInt64 = 0
        /// Distinct children other than the user.
        public var directChildren: UInt32 = 0
        /// Distinct descendants.
        public var downlineSize: UInt32 = 0
        /// Descendants per role, counts above zero, by role name.
        public var downlineByRole: [RoleCount] = []

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            rank: UInt32 = 0,
            userID: [UInt8] = [],
            name: String = "",
            role: String = "",
            selfRegistrations: UInt64 = 0,
            treeRegistrations: UInt64 = 0,
            directChildren: UInt32 = 0,
            downlineSize: UInt32 = 0,
            downlineByRole: [RoleCount] = []
        ) {
            self.rank = rank
            self.userID = userID
            self.name = name
            self.role = role
            self.selfRegistrations = selfRegistrations
            self.treeRegistrations = treeRegistrations
            self.directChildren = directChildren
            self.downlineSize = downlineSize
            self.downlineByRole = downlineByRole
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: rank = try reader.readUInt32(tag, field: "rank")
                case 2: userID = try reader.readBytes(tag, field: "user_id")
                case 3: name = try reader.readString(tag, field: "name")
                case 4: role = try reader.readString(tag, field: "role")
                case 5: selfRegistrations = try reader.readUInt64(tag, field: "self_registrations")
                case 6: treeRegistrations = try reader.readUInt64(tag, field: "tree_registrations")
                case 7: directChildren = try reader.readUInt32(tag, field: "direct_children")
                case 8: downlineSize = try reader.readUInt32(tag, field: "downline_size")
                case 9: downlineByRole.append(try reader.readMessage(tag, field: "downline_by_role"))
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeUInt32(rank, field: 1)
            writer.writeBytes(userID, field: 2)
            writer.writeString(name, field: 3)
            writer.writeString(role, field: 4)
            writer.writeUInt64(selfRegistrations, field: 5)
            writer.writeUInt64(treeRegistrations, field: 6)
            writer.writeUInt32(directChildren, field: 7)
            writer.writeUInt32(downlineSize, field: 8)
            writer.writeRepeatedMessage(downlineByRole, field: 9)
        }
    }
}
