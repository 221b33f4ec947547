import ArborWire

/// The table of methods a ``GRPCServer`` serves, keyed by path (`/package.Service/Method`).
public struct RPCRouter: Sendable {
    enum Method: Sendable {
        case unary(@Sendable ([UInt8], RPCContext) async throws -> [UInt8])
        case serverStreaming(@Sendable ([UInt8], RPCContext, ServerStreamSink) async throws -> Void)
        /// Answered on the connection's event loop as soon as the request arrives: never queued behind handler
        /// tasks, and not counted against the call limits.
        case inline(@Sendable ([UInt8], RPCContext) throws(RPCError) -> [UInt8])
    }

    var methods: [String: Method] = [:]
    /// Where the handlers of some methods run instead of Swift's global executor.
    var executors: [String: any TaskExecutor] = [:]

    public init() {}

    /// Runs the handlers of `path` on `executor`: expensive methods on an executor of their own leave the global
    /// executor's threads to cheap calls, which then never queue behind a backlog of expensive ones.
    public mutating func setExecutor(_ executor: any TaskExecutor, for path: String) {
        executors[path] = executor
    }

    /// The registered paths.
    public var paths: [String] { methods.keys.sorted() }

    /// Registers a unary method over raw message bytes.
    ///
    /// A thrown ``RPCError`` becomes the call's status; a `CancellationError` after the deadline is
    /// `DEADLINE_EXCEEDED`; any other error is `UNKNOWN` with a generic message (the error itself is logged).
    public mutating func registerUnary(
        _ path: String,
        _ handler: @escaping @Sendable (_ request: [UInt8], _ context: RPCContext) async throws -> [UInt8]
    ) {
        methods[path] = .unary(handler)
    }

    /// Registers a unary method answered on the connection's event loop, ahead of any queued handler work.
    ///
    /// For cheap, non-blocking answers that must stay fast under load (health checks). The handler must not block
    /// or do more than a few microseconds of work: it holds up every other connection on its loop.
    public mutating func registerInlineUnary(
        _ path: String,
        _ handler: @escaping @Sendable (_ request: [UInt8], _ context: RPCContext) throws(RPCError) -> [UInt8]
    ) {
        methods[path] = .inline(handler)
    }

    /// Registers a server-streaming method over raw message bytes. Errors map as for the unary form; messages
    /// already sent stay sent and the status follows them in the trailers.
    public mutating func registerServerStreaming(
        _ path: String,
        _ handler:
            @escaping @Sendable (_ request: [UInt8], _ context: RPCContext, _ writer: RPCStreamWriter<[UInt8]>)
            async throws -> Void
    ) {
        methods[path] = .serverStreaming { request, context, sink in
            try await handler(request, context, RPCStreamWriter(sink: sink, serialize: { $0 }))
        }
    }
}
