/// The one error type of ``ArborStore``.
///
/// ``code`` says what went wrong in a way callers can switch on (it maps onto a gRPC status upstream), and
/// ``message`` is safe to show a caller. What the server said — SQLSTATE, detail, hint — and the SQL text are kept
/// in ``serverDiagnostics`` and ``statement`` for logs only: ``description`` never includes them, the way
/// postgres-nio keeps `PSQLError.description` generic.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: new codes can be added without breaking callers that switch with
    /// a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case connectionFailed
            case queryFailed
            case deadlineExceeded
            case cancelled
            case notFound
            case invalidArgument
            case uniqueViolation
            case serializationFailure
            case schemaTooNew
            case schemaMismatch
            case protocolViolation
            case decodingFailed
            case shutDown
        }

        private let base: Base

        /// PostgreSQL cannot be reached, the connection broke, or the server is shutting down or starting up.
        /// Upstream this is UNAVAILABLE.
        public static let connectionFailed = Code(base: .connectionFailed)
        /// The server rejected or failed a statement (syntax, types, constraints other than those below, …).
        public static let queryFailed = Code(base: .queryFailed)
        /// The caller's deadline passed; the statement was cancelled or timed out.
        public static let deadlineExceeded = Code(base: .deadlineExceeded)
        /// The caller's task was cancelled; a running statement was cancelled with it.
        public static let cancelled = Code(base: .cancelled)
        /// Something the caller named does not exist.
        public static let notFound = Code(base: .notFound)
        /// The caller passed a value the store cannot use (a malformed connection string, time zone, …).
        public static let invalidArgument = Code(base: .invalidArgument)
        /// A unique or primary-key constraint was violated (SQLSTATE 23505).
        public static let uniqueViolation = Code(base: .uniqueViolation)
        /// A serialization failure or deadlock (SQLSTATE 40001, 40P01): the transaction may be retried.
        public static let serializationFailure = Code(base: .serializationFailure)
        /// The database's recorded schema is newer than this binary knows.
        public static let schemaTooNew = Code(base: .schemaTooNew)
        /// The database's recorded schema differs from this binary's migrations (checksum or missing migrations).
        public static let schemaMismatch = Code(base: .schemaMismatch)
        /// The server or a data stream said something the store does not understand (e.g. a malformed COPY stream).
        public static let protocolViolation = Code(base: .protocolViolation)
        /// A value could not be decoded as the requested Swift type (wrong type, wrong length, unexpected NULL).
        public static let decodingFailed = Code(base: .decodingFailed)
        /// The client was shut down.
        public static let shutDown = Code(base: .shutDown)

        public var description: String { self.base.rawValue }
    }

    /// What the server reported with an error; for logs only.
    public struct ServerDiagnostics: Sendable, Hashable {
        /// The five-character SQLSTATE, e.g. `23505`.
        public var sqlState: String?
        /// The server's primary message.
        public var message: String?
        public var detail: String?
        public var hint: String?
        /// The constraint a violation names, if any.
        public var constraint: String?

        public init(
            sqlState: String? = nil, message: String? = nil, detail: String? = nil, hint: String? = nil,
            constraint: String? = nil
        ) {
            self.sqlState = sqlState
            self.message = message
            self.detail = detail
            self.hint = hint
            self.constraint = constraint
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A message that is safe to show a caller: no SQL, no server detail, no connection secrets.
    public var message: String
    /// The server's diagnostics, for logs only.
    public var serverDiagnostics: ServerDiagnostics?
    /// The SQL statement that failed, for logs only.
    public var statement: String?
    /// libpq's own text (connection errors, protocol errors), for logs only; may name hosts.
    public var libraryMessage: String?

    public init(
        _ code: Code, _ message: String, serverDiagnostics: ServerDiagnostics? = nil, statement: String? = nil,
        libraryMessage: String? = nil
    ) {
        self.code = code
        self.message = message
        self.serverDiagnostics = serverDiagnostics
        self.statement = statement
        self.libraryMessage = libraryMessage
    }

    /// The SQLSTATE the server reported, if any.
    public var sqlState: String? { self.serverDiagnostics?.sqlState }

    /// Safe to show a caller: the code and the safe message only.
    public var description: String { "StoreError(\(self.code)): \(self.message)" }

    /// Everything, for logs: the SQLSTATE, the server's message, detail and hint, libpq's text and the statement.
    public var logDescription: String {
        var parts = ["\(self.code): \(self.message)"]
        if let d = self.serverDiagnostics {
            if let s = d.sqlState { parts.append("sqlstate=\(s)") }
            if let m = d.message { parts.append("server=\(m)") }
            if let m = d.detail { parts.append("detail=\(m)") }
            if let m = d.hint { parts.append("hint=\(m)") }
            if let m = d.constraint { parts.append("constraint=\(m)") }
        }
        if let m = self.libraryMessage { parts.append("libpq=\(m)") }
        if let s = self.statement { parts.append("statement=\(s)") }
        return parts.joined(separator: "; ")
    }
}
