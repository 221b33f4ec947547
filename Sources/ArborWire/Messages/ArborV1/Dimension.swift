extension ArborV1 {
    /// A key that FilteredStats can group rows by.
    public enum Dimension: ProtoEnum, CustomStringConvertible {
        /// Not set; INVALID_ARGUMENT in a request.
        case unspecified
        /// The calendar day in the organisation's time zone, as `YYYY-MM-DD`.
        case day
        /// The registering user's role.
        case role
        /// The registering user, as canonical UUID text.
        case user
        /// The registering user's state.
        case state
        /// The registering user's district.
        case district
        /// The registering user's block.
        case block
        /// The registering user's village.
        case village
        /// The registration's type.
        case registrationType
        /// The registration's channel.
        case channel
        /// A number this version does not know; kept so that it survives a decode and re-encode.
        case unrecognized(Int32)

        /// The case for `rawValue`, or `unrecognized(rawValue)` when there is none.
        public init(rawValue: Int32) {
            switch rawValue {
            case 0: self = .unspecified
            case 1: self = .day
            case 2: self = .role
            case 3: self = .user
            case 4: self = .state
            case 5: self = .district
            case 6: self = .block
            case 7: self = .village
            case 8: self = .registrationType
            case 9: self = .channel
            default: self = .unrecognized(rawValue)
            }
        }

        public var rawValue: Int32 {
            switch self {
            case .unspecified: 0
            case .day: 1
            case .role: 2
            case .user: 3
            case .state: 4
            case .district: 5
            case .block: 6
            case .village: 7
            case .registrationType: 8
            case .channel: 9
            case .unrecognized(let value): value
            }
        }

        public var description: String {
            switch self {
            case .unspecified: "DIMENSION_UNSPECIFIED"
            case .day: "DAY"
            case .role: "ROLE"
            case .user: "USER"
            case .state: "STATE"
            case .district: "DISTRICT"
            case .block: "BLOCK"
            case .village: "VILLAGE"
            case .registrationType: "REGISTRATION_TYPE"
            case .channel: "CHANNEL"
            case .unrecognized(let value): "Dimension(\(value))"
            }
        }
    }
}
