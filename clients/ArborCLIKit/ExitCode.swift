import ArborClient

/// The `arbor` CLI's exit codes (documented in docs/clients.md).
public enum CLIExitCode: Int32, CaseIterable, Sendable {
    case ok = 0
    /// Bad command line: unknown flag, malformed value (date, match, metric, duration, list with a repeat).
    case usage = 1
    /// The server said INVALID_ARGUMENT, NOT_FOUND or OUT_OF_RANGE, a node is neither an id nor a label, or a
    /// name is not in the model.
    case invalidOrNotFound = 2
    /// The server cannot be reached or cannot answer (UNAVAILABLE), or health is not SERVING.
    case unavailable = 3
    /// The deadline (`--timeout`) passed (DEADLINE_EXCEEDED).
    case deadlineExceeded = 4
    /// A label belongs to several nodes; the candidates are listed on stderr.
    case ambiguousLabel = 5
    /// The answer is too large (RESOURCE_EXHAUSTED) or the server is overloaded: narrow the request.
    case resourceExhausted = 6
    /// Any other failure: INTERNAL, UNIMPLEMENTED, UNAUTHENTICATED, PERMISSION_DENIED, CANCELLED, …
    case failed = 7

    /// The code for a call that ended with `status`.
    public init(status: RPCStatus) {
        switch status {
        case .ok: self = .ok
        case .invalidArgument, .notFound, .outOfRange: self = .invalidOrNotFound
        case .unavailable: self = .unavailable
        case .deadlineExceeded: self = .deadlineExceeded
        case .resourceExhausted: self = .resourceExhausted
        default: self = .failed
        }
    }
}

/// A failure the CLI reports on stderr (`arbor: <message>`) before exiting with ``exitCode``.
public struct CLIError: Error, Sendable, CustomStringConvertible {
    public var exitCode: CLIExitCode
    public var message: String

    /// A failure with its exit code and the message shown after `arbor: `.
    public init(_ exitCode: CLIExitCode, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    /// Says what went wrong on a call to `server`, in the caller's terms.
    public init(_ error: RPCError, server: ServerAddress) {
        let detail = error.message.isEmpty ? "" : ": \(error.message)"
        switch error.code {
        case .unavailable:
            self.init(
                .unavailable,
                "server \(server) is unavailable (UNAVAILABLE\(detail)); is arbor-server running there? "
                    + "Use --server HOST:PORT or ARBOR_SERVER to point elsewhere")
        case .deadlineExceeded:
            self.init(
                .deadlineExceeded, "no answer within the deadline (DEADLINE_EXCEEDED\(detail)); raise --timeout")
        default:
            self.init(CLIExitCode(status: error.code), "\(error.code.name)\(detail)")
        }
    }

    public var description: String { message }
}
