extension ArborV2 {
    /// Which data answered a request.
    public enum Source: ProtoEnum, CustomStringConvertible {
        /// Not set.
        case unspecified
        /// The in-memory snapshot.
        case cache
        /// Live SQL on PostgreSQL.
        case live
        /// A number this version does not know; kept so that it survives a decode and re-encode.
        case unrecognized(Int32)

        /// The case for `rawValue`, or `unrecognized(rawValue)` when there is none.
        public init(rawValue: Int32) {
            switch rawValue {
            case 0: self = .unspecified
            case 1: self = .cache
            case 2: self = .live
            default: self = .unrecognized(rawValue)
            }
        }

        public var rawValue: Int32 {
            switch self {
            case .unspecified: 0
            case .cache: 1
            case .live: 2
            case .unrecognized(let value): value
            }
        }

        public var description: String {
            switch self {
            case .unspecified: "SOURCE_UNSPECIFIED"
            case .cache: "CACHE"
            case .live: "LIVE"
            case .unrecognized(let value): "Source(\(value))"
            }
        }
    }
}
