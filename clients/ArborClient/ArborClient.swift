import ArborHTTP2

/// An async client for Arbor's `arbor.v2.Hierarchy` service and the standard health check.
///
/// One client holds a small pool of HTTP/2 connections and spreads calls over them round-robin; every call is its
/// own HTTP/2 stream, so many calls may run at once. Share one client across a process and ``close()`` it at the end.
///
/// Ids travel as their canonical text (a UUID in lowercase `8-4-4-4-12` form, an integer in decimal, text as is),
/// whatever the model's id type: the client reads the response's per-type `NodeIds` into strings.
///
/// ```swift
/// let client = ArborClient(server: ServerAddress(host: "127.0.0.1", port: 50051))
/// let model = try await client.describe().value
/// let raj = try await client.findNodes(NodeSearch(labelPrefix: "Raj")).value.nodes.first!
/// let stats = try await client.filteredStatsPages(
///     StatsQuery(root: raj.id, groupBy: ["day"]), freshness: Freshness(maxStaleness: .seconds(5))
/// ).allPages()
/// for try await node in try await client.descendants(TraversalQuery(root: raj.id, attributes: ["label"])) {
///     print(node.depth, node.id, node.values[0])
/// }
/// await client.close()
/// ```
///
/// Every call throws ``RPCError``: the server's status and message, or a local UNAVAILABLE (cannot connect),
/// DEADLINE_EXCEEDED (the timeout passed) or CANCELLED (the calling task was cancelled).
public final class ArborClient: Sendable {
    /// Options for a client.
    public struct Configuration: Sendable {
        /// How many HTTP/2 connections to open (lazily) and use round-robin.
        public var connections: Int
        /// The deadline of a call that does not give its own; `nil` means no deadline.
        public var defaultTimeout: Duration?
        /// The largest response message accepted; larger fails the call with RESOURCE_EXHAUSTED.
        public var maxReceiveMessageSize: Int
        /// How long to wait for a TCP connection.
        public var connectTimeout: Duration

        public init(
            connections: Int = 2,
            defaultTimeout: Duration? = .seconds(30),
            maxReceiveMessageSize: Int = 16 * 1024 * 1024,
            connectTimeout: Duration = .seconds(5)
        ) {
            self.connections = connections
            self.defaultTimeout = defaultTimeout
            self.maxReceiveMessageSize = maxReceiveMessageSize
            self.connectTimeout = connectTimeout
        }
    }

    /// The server this client calls.
    public let server: ServerAddress
    /// The options the client was made with.
    public let configuration: Configuration
    let pool: ConnectionPool

    /// Creates a client; connections open on first use, so this never fails.
    public init(server: ServerAddress, configuration: Configuration = Configuration()) {
        self.server = server
        self.configuration = configuration
        self.pool = ConnectionPool(
            address: server,
            size: max(1, configuration.connections),
            configuration: GRPCClientConnection.Configuration(
                maxReceiveMessageSize: configuration.maxReceiveMessageSize,
                connectTimeout: configuration.connectTimeout
            )
        )
    }

    /// Closes every connection. Calls still running fail with UNAVAILABLE; later calls fail at once.
    public func close() async {
        await pool.close()
    }

    /// Makes a unary call with raw contract messages on the next pooled connection.
    ///
    /// - Parameter path: the method path, e.g. `/arbor.v2.Hierarchy/Leaderboard`.
    public func unary<Request: ProtoMessage, Response: ProtoMessage>(
        path: String,
        request: Request,
        as responseType: Response.Type = Response.self,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Response {
        let lease = try await pool.lease()
        do {
            return try await lease.connection.unary(
                path: path, request: request, as: Response.self, timeout: timeout ?? configuration.defaultTimeout)
        } catch {
            pool.report(error, on: lease)
            throw error
        }
    }

    /// Starts a server-streaming call with raw contract messages on the next pooled connection.
    public func serverStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        path: String,
        request: Request,
        as responseType: Response.Type = Response.self,
        timeout: Duration? = nil
    ) async throws(RPCError) -> RPCResponseStream<Response> {
        let lease = try await pool.lease()
        return lease.connection.serverStreaming(
            path: path, request: request, as: Response.self, timeout: timeout ?? configuration.defaultTimeout)
    }
}

/// The contract's method paths.
public enum ArborMethod {
    /// Unary: the model's shape and facts.
    public static let describe = "/arbor.v2.Hierarchy/Describe"
    /// Server streaming.
    public static let descendants = "/arbor.v2.Hierarchy/Descendants"
    /// Server streaming.
    public static let ancestors = "/arbor.v2.Hierarchy/Ancestors"
    /// Unary, paged.
    public static let filteredStats = "/arbor.v2.Hierarchy/FilteredStats"
    /// Unary.
    public static let leaderboard = "/arbor.v2.Hierarchy/Leaderboard"
    /// Unary.
    public static let cycles = "/arbor.v2.Hierarchy/Cycles"
    /// Unary, paged.
    public static let findNodes = "/arbor.v2.Hierarchy/FindNodes"
    /// Unary: `grpc.health.v1.Health/Check`.
    public static let healthCheck = "/grpc.health.v1.Health/Check"
}
