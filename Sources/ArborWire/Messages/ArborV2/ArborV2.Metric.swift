extension ArborV2 {
    /// What a Leaderboard ranks by.
    public enum Metric: ProtoEnum, CustomStringConvertible {
        /// Not set; ranks like ``treeMeasure``.
        case unspecified
        /// The request's measure over the node's own events (`SELF`).
        case selfMeasure
        /// The request's measure over the events of the node's distinct descendants (`TREE`).
        case treeMeasure
        /// Distinct children other than the node.
        case directChildren
        /// Distinct descendants.
        case downlineSize
        /// Descendants that pass the request's downline filter.
        case downlineMatching
        /// A number this version does not know; kept so that it survives a decode and re-encode.
        case unrecognized(Int32)

        /// The case for `rawValue`, or `unrecognized(rawValue)` when there is none.
        public init(rawValue: Int32) {
            switch rawValue {
            case 0: self = .unspecified
            case 1: self = .selfMeasure
            case 2: self = .treeMeasure
            case 3: self = .directChildren
            case 4: self = .downlineSize
            case 5: self = .downlineMatching
            default: self = .unrecognized(rawValue)
            }
        }

        public var rawValue: Int32 {
            switch self {
            case .unspecified: 0
            case .selfMeasure: 1
            case .treeMeasure: 2
            case .directChildren: 3
            case .downlineSize: 4
            case .downlineMatching: 5
            case .unrecognized(let value): value
            }
        }

        public var description: String {
            switch self {
            case .unspecified: "METRIC_UNSPECIFIED"
            case .selfMeasure: "SELF"
            case .treeMeasure: "TREE"
            case .directChildren: "DIRECT_CHILDREN"
            case .downlineSize: "DOWNLINE_SIZE"
            case .downlineMatching: "DOWNLINE_MATCHING"
            case .unrecognized(let value): "Metric(\(value))"
            }
        }
    }
}
