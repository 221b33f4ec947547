public import ArborWire
import NIOCore
import NIOPosix
import Synchronization

/// A gRPC client connection over HTTP/2 cleartext (prior knowledge). Many calls may run on it at once, each on its
/// own HTTP/2 stream; calls beyond the server's concurrent-stream limit wait in nghttp2 until a stream frees up.
/// Keep the connection referenced while its response streams are read: releasing it closes the socket.
///
/// ```swift
/// let connection = try await GRPCClientConnection.connect(host: "127.0.0.1", port: 50051)
/// let response: GRPCHealthV1.HealthCheckResponse = try await connection.unary(
///     path: "/grpc.health.v1.Health/Check", request: GRPCHealthV1.HealthCheckRequest(), timeout: .seconds(1))
/// await connection.close()
/// ```
public final class GRPCClientConnection: Sendable {
    /// Options for a connection.
    public struct Configuration: Sendable {
        /// The largest response message accepted; larger fails the call with RESOURCE_EXHAUSTED.
        public var maxReceiveMessageSize: Int
        /// How long ``GRPCClientConnection/connect(host:port:configuration:)`` waits for TCP to connect.
        public var connectTimeout: Duration

        public init(maxReceiveMessageSize: Int = 4 * 1024 * 1024, connectTimeout: Duration = .seconds(10)) {
            self.maxReceiveMessageSize = maxReceiveMessageSize
            self.connectTimeout = connectTimeout
        }
    }

    private let channel: any Channel
    private let handler: NIOLoopBound<GRPCClientConnectionHandler>
    private let nextToken = Atomic<UInt64>(0)
    private let maxReceiveMessageSize: Int

    private init(channel: any Channel, handler: NIOLoopBound<GRPCClientConnectionHandler>, maxReceiveMessageSize: Int) {
        self.channel = channel
        self.handler = handler
        self.maxReceiveMessageSize = max(0, maxReceiveMessageSize)
    }

    /// Connects to `host:port` and starts an HTTP/2 session.
    ///
    /// - Throws: ``RPCError`` with `UNAVAILABLE` when the connection cannot be made.
    public static func connect(
        host: String,
        port: Int,
        configuration: Configuration = Configuration()
    ) async throws(RPCError) -> GRPCClientConnection {
        let authority = "\(host):\(port)"
        // The initializer hands the handler out as it installs it: by the time connect returns, a server that
        // refuses the connection may already have closed it and emptied the pipeline.
        let installed = Mutex<NIOLoopBound<GRPCClientConnectionHandler>?>(nil)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.nanoseconds(configuration.connectTimeout.nanosecondsClamped))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = GRPCClientConnectionHandler(authority: authority)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    installed.withLock { $0 = NIOLoopBound(handler, eventLoop: channel.eventLoop) }
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            guard let handler = installed.withLock({ $0 }) else {
                throw RPCError(code: .unavailable, message: "could not connect to \(authority)")
            }
            return GRPCClientConnection(
                channel: channel,
                handler: handler,
                maxReceiveMessageSize: configuration.maxReceiveMessageSize
            )
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(code: .unavailable, message: "could not connect to \(authority): \(error)", cause: error)
        }
    }

    /// Makes a unary call with raw message bytes.
    ///
    /// - Parameters:
    ///   - timeout: sent as `grpc-timeout`; the call fails with DEADLINE_EXCEEDED when it passes.
    ///   - metadata: extra request headers (names are lower-cased).
    /// - Throws: ``RPCError`` carrying the server's status, or a local one (UNAVAILABLE, DEADLINE_EXCEEDED,
    ///   CANCELLED when the calling task is cancelled).
    public func unary(
        path: String,
        request: [UInt8],
        timeout: Duration? = nil,
        metadata: [(name: String, value: String)] = []
    ) async throws(RPCError) -> [UInt8] {
        if Task.isCancelled { throw RPCError(code: .cancelled, message: "call cancelled before it started") }
        let token = nextToken.add(1, ordering: .relaxed).newValue
        let framed = GRPCMessageFramer.frame(request)
        let maximumMessageSize = maxReceiveMessageSize
        let handler = handler
        let loop = channel.eventLoop
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    loop.execute {
                        let call = ClientCall(
                            token: token,
                            sink: .unary(continuation),
                            request: framed,
                            maximumMessageSize: maximumMessageSize
                        )
                        handler.value.start(call, path: path, timeout: timeout, metadata: metadata)
                    }
                }
            } onCancel: {
                loop.execute {
                    handler.value.cancel(token: token, error: RPCError(code: .cancelled, message: "call cancelled"))
                }
            }
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(code: .unknown, message: "\(error)", cause: error)
        }
    }

    /// Makes a unary call with protobuf messages.
    public func unary<Request: ProtoMessage, Response: ProtoMessage>(
        path: String,
        request: Request,
        as responseType: Response.Type = Response.self,
        timeout: Duration? = nil,
        metadata: [(name: String, value: String)] = []
    ) async throws(RPCError) -> Response {
        let bytes = try await unary(
            path: path, request: request.serializedBytes(), timeout: timeout, metadata: metadata)
        return try Self.decode(Response.self, from: bytes)
    }

    /// Starts a server-streaming call with raw message bytes. The call starts at once; iterate the result to
    /// receive the messages. Cancelling the iterating task, or dropping the sequence before the end, resets the
    /// stream. A reader that falls more than 1 MiB behind stops the server through HTTP/2 flow control.
    public func serverStreaming(
        path: String,
        request: [UInt8],
        timeout: Duration? = nil,
        metadata: [(name: String, value: String)] = []
    ) -> RPCResponseStream<[UInt8]> {
        let token = nextToken.add(1, ordering: .relaxed).newValue
        let framed = GRPCMessageFramer.frame(request)
        let maximumMessageSize = maxReceiveMessageSize
        let handler = handler
        let loop = channel.eventLoop
        let buffer = ClientResponseBuffer()
        let handle = ClientStreamCallHandle(
            buffer: buffer,
            cancelCall: {
                loop.execute {
                    handler.value.cancel(token: token, error: RPCError(code: .cancelled, message: "call cancelled"))
                }
            },
            releaseWindow: { loop.execute { handler.value.releaseWindow(token: token) } }
        )
        loop.execute {
            let call = ClientCall(
                token: token,
                sink: .stream(buffer),
                request: framed,
                maximumMessageSize: maximumMessageSize
            )
            handler.value.start(call, path: path, timeout: timeout, metadata: metadata)
        }
        return RPCResponseStream(handle) { $0 }
    }

    /// Starts a server-streaming call with protobuf messages.
    public func serverStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        path: String,
        request: Request,
        as responseType: Response.Type = Response.self,
        timeout: Duration? = nil,
        metadata: [(name: String, value: String)] = []
    ) -> RPCResponseStream<Response> {
        let raw = serverStreaming(path: path, request: request.serializedBytes(), timeout: timeout, metadata: metadata)
        return RPCResponseStream(raw.handle) { bytes throws(RPCError) in try Self.decode(Response.self, from: bytes) }
    }

    /// A connection dropped without ``close()`` still releases its socket.
    deinit {
        channel.close(promise: nil)
    }

    /// Sends GOAWAY and closes the connection; calls still running fail with UNAVAILABLE.
    public func close() async {
        let handler = handler
        channel.eventLoop.execute { handler.value.close() }
        try? await channel.closeFuture.get()
    }

    private static func decode<Message: ProtoMessage>(_ type: Message.Type, from bytes: [UInt8]) throws(RPCError)
        -> Message
    {
        do {
            return try Message(serializedBytes: bytes)
        } catch {
            throw RPCError(
                code: .internal,
                message: "response is not a valid \(Message.protoMessageName): \(error)",
                cause: error
            )
        }
    }
}
