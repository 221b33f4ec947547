import ArborLogging
public import ArborWire
public import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A gRPC server over HTTP/2 cleartext (prior knowledge), one nghttp2 session per connection.
///
/// ```swift
/// var router = RPCRouter()
/// router.registerUnary("/pkg.Service/Method") { request, context in ... }
/// let server = GRPCServer(configuration: .init(port: 50051), router: router, logger: logger)
/// let address = try await server.start()
/// ...
/// await server.shutdown(gracePeriod: .seconds(10))
/// ```
public final class GRPCServer: Sendable {
    /// The address a started server listens on.
    public struct Address: Sendable, CustomStringConvertible {
        public let host: String
        public let port: Int
        public var description: String { "\(host):\(port)" }
    }

    private enum State {
        case idle
        case starting
        case running(group: MultiThreadedEventLoopGroup, listener: any Channel)
        case stopped
    }

    private struct Connection {
        let channel: any Channel
        let handler: NIOLoopBound<GRPCServerConnectionHandler>
        let peer: String
    }

    private let configuration: GRPCServerConfiguration
    private let router: RPCRouter
    private let logger: Logger
    private let counters = GRPCServerCounters()
    private let eventLog = RateLimitedLog()
    private let state = Mutex<State>(.idle)
    private let connections = Mutex<[ObjectIdentifier: Connection]>([:])
    private let stopped = Mutex<[CheckedContinuation<Void, Never>]?>([])

    public init(configuration: GRPCServerConfiguration, router: RPCRouter, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
    }

    /// Binds and starts accepting connections; returns the bound address.
    ///
    /// - Throws: the bind error, or ``RPCError`` `FAILED_PRECONDITION` when the server was already started.
    public func start() async throws -> Address {
        let mayStart = state.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .starting
            return true
        }
        guard mayStart else { throw RPCError(code: .failedPrecondition, message: "the server was already started") }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopCount))
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 4)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try self.accept(channel) }
            }
        let listener: any Channel
        do {
            listener = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch {
            state.withLock { $0 = .idle }
            try? await group.shutdownGracefully()
            throw error
        }
        let stillWanted = state.withLock { state -> Bool in
            guard case .starting = state else { return false }
            state = .running(group: group, listener: listener)
            return true
        }
        guard stillWanted else {
            // shutdown() ran while binding.
            try? await listener.close()
            try? await group.shutdownGracefully()
            throw RPCError(code: .unavailable, message: "the server was shut down while starting")
        }
        let address = Address(
            host: listener.localAddress?.ipAddress ?? configuration.host,
            port: listener.localAddress?.port ?? configuration.port
        )
        logger.info("gRPC server listening", metadata: ["address": "\(address)"])
        return address
    }

    /// Waits until the server has shut down.
    public func waitUntilStopped() async {
        await withCheckedContinuation { continuation in
            let alreadyStopped = stopped.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters!.append(continuation)
                return false
            }
            if alreadyStopped { continuation.resume() }
        }
    }

    /// Stops accepting connections, sends GOAWAY on every connection, lets in-flight calls finish for up to
    /// `gracePeriod`, then closes whatever is left and releases the event loops.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let current = state.withLock { state -> State in
            let current = state
            state = .stopped
            return current
        }
        guard case .running(let group, let listener) = current else {
            if case .stopped = current { return }
            resumeWaiters()
            return
        }
        logger.info("gRPC server shutting down", metadata: ["grace": "\(gracePeriod)"])
        try? await listener.close()

        for connection in connections.withLock({ Array($0.values) }) {
            connection.channel.eventLoop.execute { connection.handler.value.beginGracefulShutdown() }
        }
        let deadline = ContinuousClock.now + gracePeriod
        while ContinuousClock.now < deadline, connections.withLock({ !$0.isEmpty }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        let remaining = connections.withLock { Array($0.values) }
        if !remaining.isEmpty {
            logger.warning(
                "closing connections still busy after the grace period", metadata: ["count": "\(remaining.count)"])
        }
        for connection in remaining {
            connection.channel.eventLoop.execute { connection.handler.value.forceClose() }
        }
        for connection in remaining { try? await connection.channel.closeFuture.get() }
        // Handlers of the closed connections were cancelled; they hop to their event loop once more to report.
        // Stopping the loops before that would make NIO refuse (and warn about) those last tasks.
        let handlersDeadline = ContinuousClock.now + .seconds(5)
        while counters.runningCalls.load(ordering: .relaxed) > 0, ContinuousClock.now < handlersDeadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        try? await group.shutdownGracefully()
        resumeWaiters()
        logger.info("gRPC server stopped")
    }

    private func resumeWaiters() {
        let waiters = stopped.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Response bytes queued in streams and not yet handed to HTTP/2 (flow control or a slow socket holds them).
    public var queuedResponseBytes: Int { counters.queuedResponseBytes.load(ordering: .relaxed) }

    /// The highest ``queuedResponseBytes`` seen since start.
    public var peakQueuedResponseBytes: Int { counters.peakQueuedResponseBytes.load(ordering: .relaxed) }

    /// Calls completed so far, by status code.
    public var completedCalls: [RPCStatus: Int] { counters.completedCalls }

    /// Connections currently open.
    public var connectionCount: Int { connections.withLock { $0.count } }

    /// Handlers running now, server-wide.
    public var runningCalls: Int { counters.runningCalls.load(ordering: .relaxed) }

    /// Request body bytes buffered now, server-wide.
    public var bufferedRequestBytes: Int { counters.bufferedRequestBytes.load(ordering: .relaxed) }

    /// How often each defence has acted since start.
    public var defenceCounts: [Defence: Int] { counters.defenceCounts }

    /// Sets up a new connection's pipeline, or closes it when the server is full or stopping.
    private func accept(_ channel: any Channel) throws {
        let handler = GRPCServerConnectionHandler(
            configuration: configuration,
            router: router,
            counters: counters,
            eventLog: eventLog,
            logger: logger
        )
        let id = ObjectIdentifier(channel)
        let peer = channel.remoteAddress?.ipAddress ?? "?"
        let refusal = connections.withLock { connections -> String? in
            guard connections.count < configuration.maxConnections else { return "the server's connection limit" }
            // One address may not take every slot: a per-peer share leaves room for everyone else.
            let fromPeer = connections.values.lazy.filter { $0.peer == peer }.count
            guard fromPeer < configuration.maxConnectionsPerPeer else { return "the per-address connection limit" }
            connections[id] = Connection(
                channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop), peer: peer)
            return nil
        }
        if let refusal {
            counters.recordDefence(.connectionLimit)
            eventLog.log(
                logger, level: .warning, kind: "connection-limit", "refusing connection: \(refusal) is reached",
                metadata: [
                    "peer": "\(peer)", "limit": "\(configuration.maxConnections)",
                    "per_peer_limit": "\(configuration.maxConnectionsPerPeer)",
                ])
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [self] _ in
            _ = connections.withLock { $0.removeValue(forKey: id) }
        }
        try channel.pipeline.syncOperations.addHandler(handler)
    }
}
