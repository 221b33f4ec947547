extension ArborV1 {
    /// What a Leaderboard ranks by.
    public enum Metric: ProtoEnum, CustomStringConvertible {
        /// Not set; ranks by tree registrations.
        case unspecified
        /// Registrations the user created.
        case selfRegistrations
        /// Registrations the user's distinct descendants created.
        case treeRegistrations
        /// Distinct children other than the user.
        case directChildren
        /// Distinct descendants.
        case downlineSize
        /// Distinct descendants with the role named by `orderRole`.
        case downlineRole
        /// A number this version does not know; kept so that it survives a decode and re-encode.
        case unrecognized(Int32)

        /// The case for `rawValue`, or `unrecognized(rawValue)` when there is none.
        public init(rawValue: Int32) {
            switch rawValue {
            case 0: self = .unspecified
            case 1: self = .selfRegistrations
            case 2: self = .treeRegistrations
            case 3: self = .directChildren
            case 4: self = .downlineSize
            case 5: self = .downlineRole
            default: self = .unrecognized(rawValue)
            }
        }

        public var rawValue: Int32 {
            switch self {
            case .unspecified: 0
            case .selfRegistrations: 1
            case .treeRegistrations: 2
            case .directChildren: 3
            case .downlineSize: 4
            case .downlineRole: 5
            case .unrecognized(let value): value
            }
        }

        public var description: String {
            switch self {
            case .unspecified: "METRIC_UNSPECIFIED"
            case .selfRegistrations: "SELF_REGISTRATIONS"
            case .treeRegistrations: "TREE_REGISTRATIONS"
            case .directChildren: "DIRECT_CHILDREN"
            case .downlineSize: "DOWNLINE_SIZE"
            case .downlineRole: "DOWNLINE_ROLE"
            case .unrecognized(let value): "Metric(\(value))"
            }
        }
    }
}
