/// Why a query cannot be answered, in terms a caller can act on. Both the live and the cached path raise
/// exactly these, with the same messages, so a caller cannot tell them apart.
public struct QueryError: Error, Hashable, Sendable {
    /// What kind of failure this is; the service maps it to a gRPC status.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String

        /// A field is malformed or out of range (gRPC INVALID_ARGUMENT).
        public static let invalidArgument = Code(name: "invalid argument")
        /// A well-formed id names no user (gRPC NOT_FOUND).
        public static let notFound = Code(name: "not found")
        /// The caller went away (its stream was reset or its deadline passed) while the query ran; the work
        /// stopped early (gRPC CANCELLED).
        public static let cancelled = Code(name: "cancelled")
        /// A sum does not fit in 64 bits (gRPC OUT_OF_RANGE).
        public static let outOfRange = Code(name: "out of range")
        /// The answer would pass the response size limit; the work stopped there (gRPC RESOURCE_EXHAUSTED).
        public static let resourceExhausted = Code(name: "resource exhausted")

        public var description: String { name }
    }

    public var code: Code
    /// The request field at fault, as named in `arbor.proto` (e.g. `filter.roles`, `within`).
    public var field: String
    /// A message that names the field and says what is wrong.
    public var message: String

    public init(code: Code, field: String, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// The calling task was cancelled: queries check between stages of their work and stop.
    public static let cancelled = QueryError(code: .cancelled, field: "", message: "the call was cancelled")

    /// Throws ``cancelled`` when the calling task has been cancelled. Queries call it between stages of their
    /// work, so a reset stream or passed deadline stops the work rather than letting it run to the end.
    public static func checkCancellation() throws(QueryError) {
        if Task.isCancelled { throw cancelled }
    }

    /// A sum of `measure` that passes the 64-bit range: the caller narrows the scope or the window.
    public static func sumOutOfRange(_ measure: String) -> QueryError {
        QueryError(
            code: .outOfRange, field: "measures",
            message: "measures: the sum of \(measure) does not fit in 64 bits; narrow the scope or the window")
    }

    /// A well-formed id in `field` that names no node.
    public static func unknownNode(_ id: NodeID, field: String) -> QueryError {
        QueryError(code: .notFound, field: field, message: "\(field): no node with id \(NodeID.quoted(id.canonical))")
    }

    /// A role name in `field` that is not in `roles`.
    public static func unknownRole(_ role: String, field: String) -> QueryError {
        QueryError(code: .invalidArgument, field: field, message: "\(field): unknown role \"\(role)\"")
    }
}

extension QueryError: CustomStringConvertible {
    public var description: String { message }
}
