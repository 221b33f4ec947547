extension ArborV1 {
    /// Selects which users are counted or returned; traversal passes through users it excludes.
    public struct UserFilter: ProtoMessage {
        public static let protoMessageName = "arbor.v1.UserFilter"

        /// Role names to keep; empty keeps every role. An unknown role is INVALID_ARGUMENT.
        public var roles: [String] = []
        /// States to keep; empty keeps every state.
        public var states: [String] = []
        /// Districts to keep; empty keeps every district.
        public var districts: [String] = []
        /// Blocks to keep; empty keeps every block.
        public var blocks: [String] = []
        /// Villages to keep; empty keeps every village.
        public var villages: [String] = []
        /// `true` keeps active users, `false` every other status; `nil` keeps everyone.
        public var active: Bool?
        /// Keeps users whose app is (or is not) installed; `nil` keeps everyone.
        public var appInstalled: Bool?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            roles: [String] = [],
            states: [String] = [],
            districts: [String] = [],
            blocks: [String] = [],
            villages: [String] = [],
            active: Bool? = nil,
            appInstalled: Bool? = nil
        ) {
            self.roles = roles
            self.states = states
            self.districts = districts
            self.blocks = blocks
            self.villages = villages
            self.active = active
            self.appInstalled = appInstalled
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: roles.append(try reader.readString(tag, field: "roles"))
                case 2: states.append(try reader.readString(tag, field: "states"))
                case 3: districts.append(try reader.readString(tag, field: "districts"))
                case 4: blocks.append(try reader.readString(tag, field: "blocks"))
                case 5: villages.append(try reader.readString(tag, field: "villages"))
                case 6: active = try reader.readBool(tag, field: "active")
                case 7: appInstalled = try reader.readBool(tag, field: "app_installed")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeRepeatedString(roles, field: 1)
            writer.writeRepeatedString(states, field: 2)
            writer.writeRepeatedString(districts, field: 3)
            writer.writeRepeatedString(blocks, field: 4)
            writer.writeRepeatedString(villages, field: 5)
            writer.writeOptionalBool(active, field: 6)
            writer.writeOptionalBool(appInstalled, field: 7)
        }
    }
}
