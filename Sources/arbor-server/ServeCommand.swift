import ArborHTTP2
import ArborModel
import ArborService
import ArborStore
import ArgumentParser
import Dispatch
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the Arbor gRPC API over HTTP/2 cleartext (h2c, prior knowledge).",
        discussion: """
            Serves arbor.v2.Hierarchy (Describe, Descendants, Ancestors, FilteredStats, Leaderboard, Cycles, \
            FindNodes) on the organisation's own tables as the model maps them: --model FILE, else ARBOR_MODEL, \
            else the built-in war-story model. The model must have been installed with 'arbor-server migrate' \
            (serve refuses another one and says which command fixes it). Also grpc.health.v1.Health/Check. \
            Answers come from an in-memory snapshot loaded from PostgreSQL at start and refreshed every \
            --refresh-interval; a request whose freshness the snapshot cannot meet is answered by live SQL. Health \
            says NOT_SERVING until the first snapshot is loaded; requests meanwhile go live.

            Once listening, prints one line to standard output: "arbor-server listening on HOST:PORT".

            SIGINT or SIGTERM starts a graceful shutdown: the server stops accepting connections, sends GOAWAY, \
            lets calls in flight finish for up to --grace-period seconds, then exits.

            Example: arbor-server serve --database-url postgresql://arbor@db/org --listen 0.0.0.0:50051
            """
    )

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var model: ModelOption

    @Option(
        name: .long, help: ArgumentHelp("The address to listen on (port 0 picks a free port).", valueName: "host:port"))
    var listen: String = "127.0.0.1:50051"

    @Option(help: ArgumentHelp("How often the snapshot is brought up to date.", valueName: "duration"))
    var refreshInterval = DurationArgument(.seconds(2), text: "2s")

    @Option(help: ArgumentHelp("How often the snapshot is rebuilt from scratch.", valueName: "duration"))
    var fullRebuildInterval = DurationArgument(.seconds(600), text: "10m")

    @Option(
        help: ArgumentHelp(
            "Oldest snapshot a request may be answered from when it does not say (max_staleness_ms = 0).",
            valueName: "duration"))
    var maxStaleness = DurationArgument(.seconds(5), text: "5s")

    @Option(
        help: ArgumentHelp(
            "While PostgreSQL is unreachable, a snapshot up to this old still answers, flagged stale.",
            valueName: "duration"))
    var staleIfError = DurationArgument(.seconds(600), text: "10m")

    @Option(
        help: ArgumentHelp(
            "How long change-log entries are kept; every server sharing the database must use the same value.",
            valueName: "duration"))
    var changeLogRetention = DurationArgument(.seconds(3600), text: "1h")

    @Option(help: "PostgreSQL connections for live queries.")
    var maxDatabaseConnections: Int = 8

    @Option(help: "PostgreSQL connections of the refresher's own pool (live traffic never takes them).")
    var refreshDatabaseConnections: Int = 2

    @Option(help: "Live queries running at once (default: --max-database-connections).")
    var maxLiveQueries: Int?

    @Option(
        help: """
            Live queries waiting for a slot, most urgent deadline first; a call beyond the queue, or whose deadline \
            can no longer be met, gets RESOURCE_EXHAUSTED.
            """)
    var maxLiveQueue: Int = 64

    @Option(
        help: """
            Heavy queries answered from the snapshot (Leaderboard, FilteredStats, Cycles) running at once; the rest \
            wait, so cheap calls always find a free thread (default: one fewer than the cores, at least 1).
            """)
    var maxHeavyQueries: Int?

    @Option(help: "Heavy cached queries waiting for a slot; beyond it a call gets RESOURCE_EXHAUSTED.")
    var maxHeavyQueue: Int = 256

    @Option(help: "Largest response message, in bytes; larger answers get RESOURCE_EXHAUSTED.")
    var maxResponseSize: Int = 4 * 1024 * 1024

    @Option(help: "HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection.")
    var maxConcurrentStreams: Int = 100

    @Option(help: "Largest request message accepted, in bytes; larger requests get RESOURCE_EXHAUSTED.")
    var maxMessageSize: Int = 4 * 1024 * 1024

    @Option(help: "Connections beyond this many are closed on accept.")
    var maxConnections: Int = 1024

    @Option(help: "Connections from one remote address beyond this many are closed on accept.")
    var maxConnectionsPerPeer: Int = 64

    @Option(
        help: """
            Calls running for one connection, counting those the client has reset; a new stream beyond it is \
            refused with RST_STREAM REFUSED_STREAM.
            """)
    var maxCallsPerConnection: Int = 100

    @Option(help: "Calls running in the whole server; a call beyond it gets RESOURCE_EXHAUSTED.")
    var maxCalls: Int = 1000

    @Option(
        help: """
            Streams a connection may reset while their calls run before it is closed with GOAWAY \
            ENHANCE_YOUR_CALM (rapid reset); refilled at --reset-refill per second.
            """)
    var resetBudget: Int = 200

    @Option(help: "How many reset streams per second the reset budget regains.")
    var resetRefill: Int = 100

    @Option(
        help: """
            WINDOW_UPDATE and PRIORITY frames per second a connection may send (bursts of twice that) before it \
            is closed with GOAWAY ENHANCE_YOUR_CALM.
            """)
    var maxControlFrames: Int = 1000

    @Option(
        help: """
            Request body bytes buffered at once, server-wide; a request whose body would pass it gets \
            RESOURCE_EXHAUSTED.
            """)
    var requestBodyBudget: Int = 64 << 20

    @Option(
        help: """
            Response bytes queued for slow readers, server-wide; an answer that would pass it gets \
            RESOURCE_EXHAUSTED and streams wait.
            """)
    var responseQueueBudget: Int = 256 << 20

    @Option(
        help: ArgumentHelp(
            "How long a request's headers and body may take to arrive; a slower one gets DEADLINE_EXCEEDED.",
            valueName: "duration"))
    var requestTimeout = DurationArgument(.seconds(10), text: "10s")

    @Option(
        help: ArgumentHelp(
            "How long a stream or connection may be unable to send (the reader stopped) before it is reset or closed.",
            valueName: "duration"))
    var sendTimeout = DurationArgument(.seconds(30), text: "30s")

    @Option(
        help: ArgumentHelp(
            "How long a closing connection may take to write its last frames before its socket is closed regardless.",
            valueName: "duration"))
    var closeTimeout = DurationArgument(.seconds(5), text: "5s")

    @Option(help: "Seconds a connection may stay without open streams before it is closed (0 disables).")
    var idleTimeout: Int = 300

    @Option(help: "Number of event loop threads.")
    var eventLoops: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Seconds in-flight calls may take to finish during shutdown.")
    var gracePeriod: Int = 10

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: String = "info"

    func validate() throws {
        _ = try parseListen()
        guard maxConcurrentStreams >= 1 else { throw ValidationError("--max-concurrent-streams must be at least 1") }
        guard maxDatabaseConnections >= 1 else {
            throw ValidationError("--max-database-connections must be at least 1")
        }
        guard refreshDatabaseConnections >= 1 else {
            throw ValidationError("--refresh-database-connections must be at least 1")
        }
        if let maxLiveQueries, maxLiveQueries < 1 { throw ValidationError("--max-live-queries must be at least 1") }
        guard maxLiveQueue >= 0 else { throw ValidationError("--max-live-queue must not be negative") }
        if let maxHeavyQueries, maxHeavyQueries < 1 {
            throw ValidationError("--max-heavy-queries must be at least 1")
        }
        guard maxHeavyQueue >= 0 else { throw ValidationError("--max-heavy-queue must not be negative") }
        guard maxResponseSize >= 1024 else { throw ValidationError("--max-response-size must be at least 1024") }
        guard refreshInterval.duration > .zero else { throw ValidationError("--refresh-interval must be above 0") }
        guard changeLogRetention.duration >= refreshInterval.duration * 4 else {
            throw ValidationError("--change-log-retention must be at least four refresh intervals")
        }
        guard maxMessageSize >= 0 else { throw ValidationError("--max-message-size must not be negative") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        for (name, value) in [
            ("--max-connections-per-peer", maxConnectionsPerPeer),
            ("--max-calls-per-connection", maxCallsPerConnection),
            ("--max-calls", maxCalls), ("--reset-budget", resetBudget), ("--max-control-frames", maxControlFrames),
            ("--request-body-budget", requestBodyBudget), ("--response-queue-budget", responseQueueBudget),
        ] where value < 1 {
            throw ValidationError("\(name) must be at least 1 (got \(value))")
        }
        guard resetRefill >= 0 else { throw ValidationError("--reset-refill must not be negative") }
        for (name, value) in [
            ("--request-timeout", requestTimeout), ("--send-timeout", sendTimeout), ("--close-timeout", closeTimeout),
        ] where value.duration <= .zero {
            throw ValidationError("\(name) must be above 0 (got \(value))")
        }
        guard idleTimeout >= 0 else { throw ValidationError("--idle-timeout must not be negative") }
        guard eventLoops >= 1 else { throw ValidationError("--event-loops must be at least 1") }
        guard gracePeriod >= 0 else { throw ValidationError("--grace-period must not be negative") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown --log-level '\(logLevel)'")
        }
    }

    /// The model to serve (`--model`, `ARBOR_MODEL` or the built-in one), checked against the catalog and against
    /// what `migrate` installed; a model that cannot be served exits 1 with the problems or the command that fixes
    /// them.
    private func checkedModel() async throws -> ResolvedModel {
        let loaded = try model.load()
        let client = PostgresClient(
            configuration: try database.configuration(), maxConnections: 1, logger: Logger(label: "arbor.serve"))
        let resolved: ResolvedModel
        do {
            resolved = try await ModelOption.resolve(loaded, on: client)
            try await requireInstalledModel(resolved, modelPath: model.path, client: client)
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
        return resolved
    }

    private func parseListen() throws -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:50051 (got '\(listen)')") }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--listen needs a host, e.g. 0.0.0.0:50051") }
        return (host, port)
    }

    func run() async throws {
        AllocatorTuning.returnLargeBlocksToTheSystem()
        var logger = Logger(label: "arbor.server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let (host, port) = try parseListen()
        let servedModel = try await checkedModel()

        let server = ArborServer(
            configuration: ArborServer.Configuration(
                transport: GRPCServerConfiguration(
                    host: host,
                    port: port,
                    eventLoopCount: eventLoops,
                    maxConcurrentStreams: maxConcurrentStreams,
                    maxReceiveMessageSize: maxMessageSize,
                    maxConnections: maxConnections,
                    maxConnectionsPerPeer: maxConnectionsPerPeer,
                    idleTimeout: idleTimeout == 0 ? nil : .seconds(idleTimeout),
                    maxCallsPerConnection: maxCallsPerConnection,
                    maxCalls: maxCalls,
                    resetBudget: resetBudget,
                    resetRefillPerSecond: resetRefill,
                    maxControlFramesPerSecond: maxControlFrames,
                    requestBodyBudget: requestBodyBudget,
                    responseQueueBudget: responseQueueBudget,
                    requestTimeout: requestTimeout.duration,
                    sendTimeout: sendTimeout.duration,
                    closeTimeout: closeTimeout.duration
                ),
                database: try database.configuration(),
                maxDatabaseConnections: maxDatabaseConnections,
                refreshDatabaseConnections: refreshDatabaseConnections,
                service: HierarchyService.Configuration(
                    defaultMaxStaleness: maxStaleness.duration, staleIfError: staleIfError.duration,
                    maxResponseBytes: maxResponseSize,
                    live: QueryGate.Configuration(
                        maxConcurrent: maxLiveQueries ?? maxDatabaseConnections, maxQueue: maxLiveQueue),
                    heavy: {
                        var heavy = QueryGate.Configuration.heavyDefault
                        if let maxHeavyQueries { heavy.maxConcurrent = maxHeavyQueries }
                        heavy.maxQueue = maxHeavyQueue
                        return heavy
                    }()),
                refresh: Refresher.Configuration(
                    refreshInterval: refreshInterval.duration, fullRebuildInterval: fullRebuildInterval.duration,
                    changeLogRetention: changeLogRetention.duration),
                model: servedModel
            ),
            logger: logger
        )
        let address = try await server.start()
        // Unbuffered, so a parent process reading a pipe sees it at once.
        FileHandle.standardOutput.write(Data("arbor-server listening on \(address)\n".utf8))
        logger.notice("arbor-server serving", metadata: ["address": "\(address)"])

        let grace = Duration.seconds(gracePeriod)
        let signalSources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                logger.notice("signal received, shutting down", metadata: ["signal": "\(signalNumber)"])
                Task { await server.shutdown(gracePeriod: grace) }
            }
            source.resume()
            return source
        }
        await server.waitUntilStopped()
        await server.shutdown(gracePeriod: .zero)
        for source in signalSources { source.cancel() }
    }
}
