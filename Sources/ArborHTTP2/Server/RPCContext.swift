public import Logging

/// What a handler knows about the call it is serving.
public struct RPCContext: Sendable {
    /// The method's path, e.g. `/grpc.health.v1.Health/Check`.
    public let path: String
    /// When the caller stops waiting (from `grpc-timeout`), or `nil` when it sent none. When it passes the
    /// handler's task is cancelled and the caller gets `DEADLINE_EXCEEDED`.
    public let deadline: ContinuousClock.Instant?
    /// The request's custom metadata (headers other than pseudo-headers and the gRPC protocol's own), in order.
    public let metadata: [(name: String, value: String)]
    /// The peer's address, e.g. `127.0.0.1:51234`, when known.
    public let remoteAddress: String?
    /// The connection's logger (carries the peer address).
    public let logger: Logger

    public init(
        path: String,
        deadline: ContinuousClock.Instant?,
        metadata: [(name: String, value: String)],
        remoteAddress: String?,
        logger: Logger
    ) {
        self.path = path
        self.deadline = deadline
        self.metadata = metadata
        self.remoteAddress = remoteAddress
        self.logger = logger
    }

    /// The first value of the metadata entry `name` (lower-case), if present.
    public func metadataValue(_ name: String) -> String? {
        metadata.first { $0.name == name }?.value
    }

    /// The time left before the deadline, or `nil` without one.
    public var timeRemaining: Duration? { deadline.map { $0 - .now } }
}
