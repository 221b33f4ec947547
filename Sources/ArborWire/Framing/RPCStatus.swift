/// A gRPC status code (`grpc-status`), as listed in the gRPC status code specification.
///
/// A struct rather than an enum so that codes a peer sends which this version does not name still round-trip.
public struct RPCStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Not an error; returned on success.
    public static let ok = RPCStatus(rawValue: 0)
    /// The operation was cancelled, typically by the caller.
    public static let cancelled = RPCStatus(rawValue: 1)
    /// Unknown error.
    public static let unknown = RPCStatus(rawValue: 2)
    /// The client specified an invalid argument.
    public static let invalidArgument = RPCStatus(rawValue: 3)
    /// The deadline expired before the operation could complete.
    public static let deadlineExceeded = RPCStatus(rawValue: 4)
    /// Some requested entity was not found.
    public static let notFound = RPCStatus(rawValue: 5)
    /// The entity that a client attempted to create already exists.
    public static let alreadyExists = RPCStatus(rawValue: 6)
    /// The caller does not have permission to execute the operation.
    public static let permissionDenied = RPCStatus(rawValue: 7)
    /// Some resource has been exhausted (a size limit, a quota, overload).
    public static let resourceExhausted = RPCStatus(rawValue: 8)
    /// The system is not in a state required for the operation's execution.
    public static let failedPrecondition = RPCStatus(rawValue: 9)
    /// The operation was aborted.
    public static let aborted = RPCStatus(rawValue: 10)
    /// The operation was attempted past the valid range.
    public static let outOfRange = RPCStatus(rawValue: 11)
    /// The operation is not implemented or not supported.
    public static let unimplemented = RPCStatus(rawValue: 12)
    /// An invariant expected by the underlying system was broken.
    public static let `internal` = RPCStatus(rawValue: 13)
    /// The service is currently unavailable.
    public static let unavailable = RPCStatus(rawValue: 14)
    /// Unrecoverable data loss or corruption.
    public static let dataLoss = RPCStatus(rawValue: 15)
    /// The request does not have valid authentication credentials.
    public static let unauthenticated = RPCStatus(rawValue: 16)

    /// The specification's name of the code, e.g. `DEADLINE_EXCEEDED`, or `CODE_<n>` for a code it does not name.
    public var name: String {
        switch rawValue {
        case 0: "OK"
        case 1: "CANCELLED"
        case 2: "UNKNOWN"
        case 3: "INVALID_ARGUMENT"
        case 4: "DEADLINE_EXCEEDED"
        case 5: "NOT_FOUND"
        case 6: "ALREADY_EXISTS"
        case 7: "PERMISSION_DENIED"
        case 8: "RESOURCE_EXHAUSTED"
        case 9: "FAILED_PRECONDITION"
        case 10: "ABORTED"
        case 11: "OUT_OF_RANGE"
        case 12: "UNIMPLEMENTED"
        case 13: "INTERNAL"
        case 14: "UNAVAILABLE"
        case 15: "DATA_LOSS"
        case 16: "UNAUTHENTICATED"
        default: "CODE_\(rawValue)"
        }
    }

    public var description: String { name }

    /// Parses a `grpc-status` header value: ASCII decimal digits only.
    public init?(headerValue: some StringProtocol) {
        guard !headerValue.isEmpty, headerValue.utf8.count <= 9, headerValue.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        self.init(rawValue: Int(headerValue)!)
    }
}
