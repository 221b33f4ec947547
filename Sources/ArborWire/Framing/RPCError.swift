/// An RPC that ended with a status other than ``RPCStatus/ok``.
///
/// `message` travels to the peer in `grpc-message`, so it must be safe to show a caller: name the field or the
/// limit, never internal details. `cause` stays local (for logs).
public struct RPCError: Error, Sendable, CustomStringConvertible {
    /// The status the call ended with.
    public var code: RPCStatus
    /// A human-readable message for the caller.
    public var message: String
    /// The underlying error, if any. Never sent over the wire.
    public var cause: (any Error & Sendable)?

    public init(code: RPCStatus, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        var text = message.isEmpty ? code.name : "\(code.name): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}
