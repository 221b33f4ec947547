import ArborHTTP2
import ArborIndex
import ArborModel
import ArborStore
import Logging
import Synchronization

/// The whole Arbor server on one model: the gRPC transport with the `arbor.v2` Hierarchy and Health services, the
/// PostgreSQL pool behind live answers and the refresher that keeps the in-memory snapshot current.
///
/// `arbor-server serve` and the integration tests start it the same way.
public final class ArborServer: Sendable {
    public struct Configuration: Sendable {
        public var transport: GRPCServerConfiguration
        public var database: PostgresConfiguration
        /// Connections the live-query pool may open; live calls beyond it wait for one.
        public var maxDatabaseConnections: Int
        /// Connections of the refresher's own pool, so live traffic can never starve the snapshot's refreshes.
        public var refreshDatabaseConnections: Int
        public var service: HierarchyService.Configuration
        public var refresh: Refresher.Configuration
        /// The model to serve (checked against the catalog and the installed objects beforehand).
        public var model: ResolvedModel

        public init(
            transport: GRPCServerConfiguration, database: PostgresConfiguration, maxDatabaseConnections: Int = 8,
            refreshDatabaseConnections: Int = 2, service: HierarchyService.Configuration = .init(),
            refresh: Refresher.Configuration = .init(), model: ResolvedModel
        ) {
            self.transport = transport
            self.database = database
            self.maxDatabaseConnections = maxDatabaseConnections
            self.refreshDatabaseConnections = refreshDatabaseConnections
            self.service = service
            self.refresh = refresh
            self.model = model
        }
    }

    /// The snapshot requests read; tests inspect it.
    public let snapshots = SnapshotHolder<ModelIndex>()
    /// Readiness as Health/Check reports it: SERVING once a snapshot is loaded.
    public let health: HealthService
    public let refresher: Refresher
    public let service: HierarchyService
    public let transport: GRPCServer

    private let client: PostgresClient
    private let refreshClient: PostgresClient
    private let refreshTask = Mutex<Task<Void, Never>?>(nil)
    private let memoryTask = Mutex<Task<Void, Never>?>(nil)
    private let closedDatabase = Mutex(false)
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger) {
        self.logger = logger
        // Health answers for the service this server runs, besides "" (the server as a whole).
        health = HealthService(services: ["arbor.v2.Hierarchy"])
        client = PostgresClient(
            configuration: configuration.database, maxConnections: configuration.maxDatabaseConnections,
            logger: logger)
        refreshClient = PostgresClient(
            configuration: configuration.database, maxConnections: configuration.refreshDatabaseConnections,
            logger: logger)
        service = HierarchyService(
            model: configuration.model, client: client, snapshots: snapshots, configuration: configuration.service,
            logger: logger)
        refresher = Refresher(
            model: configuration.model, client: refreshClient, snapshots: snapshots, health: health,
            configuration: configuration.refresh, logger: logger)
        var router = RPCRouter()
        health.register(in: &router)
        service.register(in: &router)
        transport = GRPCServer(configuration: configuration.transport, router: router, logger: logger)
    }

    /// Binds the listener and starts refreshing; returns the bound address. Requests are answered live until the
    /// first snapshot is loaded (Health says NOT_SERVING until then).
    public func start() async throws -> GRPCServer.Address {
        health.setServing(false)
        let address = try await transport.start()
        let refresher = self.refresher
        refreshTask.withLock { $0 = Task { await refresher.run() } }
        let transport = self.transport
        let logger = self.logger
        memoryTask.withLock {
            $0 = Task {
                var policy = BurstMemoryPolicy()
                while !Task.isCancelled {
                    let reading = BurstMemoryPolicy.Reading(
                        completedCalls: transport.completedCalls.values.reduce(0, +),
                        defences: transport.defenceCounts.values.reduce(0, +),
                        runningCalls: transport.runningCalls, queuedResponseBytes: transport.queuedResponseBytes)
                    if policy.shouldTrim(reading, now: .now) {
                        AllocatorTuning.releaseFreeMemory()
                        logger.debug("returned free heap memory after a burst of calls")
                    }
                    try? await Task.sleep(for: .seconds(2))
                }
            }
        }
        return address
    }

    /// Stops accepting calls, lets calls in flight finish for up to `gracePeriod`, stops refreshing and closes
    /// the database connections. Calling it again (e.g. a second signal) does no harm.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        health.setServing(false)
        await transport.shutdown(gracePeriod: gracePeriod)
        let task = refreshTask.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
        memoryTask.withLock { task in
            task?.cancel()
            task = nil
        }
        let firstClose = closedDatabase.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if firstClose {
            await client.shutdown()
            await refreshClient.shutdown()
        }
    }

    /// Returns when the transport has stopped.
    public func waitUntilStopped() async {
        await transport.waitUntilStopped()
    }
}
