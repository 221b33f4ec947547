extension GRPCHealthV1.HealthCheckResponse {
    /// A service's ability to answer.
    public enum ServingStatus: ProtoEnum, CustomStringConvertible {
        /// Not known.
        case unknown
        /// Answering.
        case serving
        /// Not answering yet (or any more).
        case notServing
        /// The service is not known; used only by Watch.
        case serviceUnknown
        /// A number this version does not know; kept so that it survives a decode and re-encode.
        case unrecognized(Int32)

        /// The case for `rawValue`, or `unrecognized(rawValue)` when there is none.
        public init(rawValue: Int32) {
            switch rawValue {
            case 0: self = .unknown
            case 1: self = .serving
            case 2: self = .notServing
            case 3: self = .serviceUnknown
            default: self = .unrecognized(rawValue)
            }
        }

        public var rawValue: Int32 {
            switch self {
            case .unknown: 0
            case .serving: 1
            case .notServing: 2
            case .serviceUnknown: 3
            case .unrecognized(let value): value
            }
        }

        public var description: String {
            switch self {
            case .unknown: "UNKNOWN"
            case .serving: "SERVING"
            case .notServing: "NOT_SERVING"
            case .serviceUnknown: "SERVICE_UNKNOWN"
            case .unrecognized(let value): "ServingStatus(\(value))"
            }
        }
    }
}
