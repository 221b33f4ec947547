extension ArborV1 {
    /// A user's attributes.
    public struct User: ProtoMessage {
        public static let protoMessageName = "arbor.v1.User"

        /// 16 raw UUID bytes.
        public var id: [UInt8] = []
        /// The user's name.
        public var name: String = ""
        /// The user's role.
        public var role: String = ""
        /// The user's state.
        public var state: String = ""
        /// The user's district.
        public var district: String = ""
        /// The user's block.
        public var block: String = ""
        /// The user's village.
        public var village: String = ""
        /// Whether the user's status is `active`.
        public var active: Bool = false
        /// Whether the user has the app installed.
        public var appInstalled: Bool = false

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            id: [UInt8] = [],
            name: String = "",
            role: String = "",
            state: String = "",
            district: String = "",
            block: String = "",
            village: String = "",
            active: Bool = false,
            appInstalled: Bool = false
        ) {
            self.id = id
            self.name = name
            self.role = role
            self.state = state
            self.district = district
            self.block = block
            self.village = village
            self.active = active
            self.appInstalled = appInstalled
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: id = try reader.readBytes(tag, field: "id")
                case 2: name = try reader.readString(tag, field: "name")
                case 3: role = try reader.readString(tag, field: "role")
                case 4: state = try reader.readString(tag, field: "state")
                case 5: district = try reader.readString(tag, field: "district")
                case 6: block = try reader.readString(tag, field: "block")
                case 7: village = try reader.readString(tag, field: "village")
                case 8: active = try reader.readBool(tag, field: "active")
                case 9: appInstalled = try reader.readBool(tag, field: "app_installed")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeBytes(id, field: 1)
            writer.writeString(name, field: 2)
            writer.writeString(role, field: 3)
            writer.writeString(state, field: 4)
            writer.writeString(district, field: 5)
            writer.writeString(block, field: 6)
            writer.writeString(village, field: 7)
            writer.writeBool(active, field: 8)
            writer.writeBool(appInstalled, field: 9)
        }
    }
}
