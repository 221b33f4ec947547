import ArborHTTP2
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
            Serves arbor.v1.Hierarchy (Descendants, FilteredStats, Leaderboard, Cycles, FindUsers) and \
            grpc.health.v1.Health/Check. Answers come from an in-memory snapshot loaded from PostgreSQL at start \
            and refreshed every --refresh-interval; a request whose freshness the snapshot cannot meet is answered \
            by live SQL. Health says NOT_SERVING until the first snapshot is loaded; requests meanwhile go live.

            Once listening, prints one line to standard output: "arbor-server listening on HOST:PORT".

            SIGINT or SIGTERM starts a graceful shutdown: the server stops accepting connections, sends GOAWAY, \
            lets calls in flight finish for up to --grace-period seconds, then exits.

            Example: arbor-server serve --database-url postgresql://arbor@db/org --listen 0.0.0.0:50051
            """
    )

    @OptionGroup var database: DatabaseOptions

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

    @Option(help: "PostgreSQL connections for live queries and refreshes.")
    var maxDatabaseConnections: Int = 8

    @Option(help: "Largest response message, in bytes; larger answers get RESOURCE_EXHAUSTED.")
    var maxResponseSize: Int = 4 * 1024 * 1024

    @Option(help: "HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection.")
    var maxConcurrentStreams: Int = 100

    @Option(help: "Largest request message accepted, in bytes; larger requests get RESOURCE_EXHAUSTED.")
    var maxMessageSize: Int = 4 * 1024 * 1024

    @Option(help: "Connections beyond this many are closed on accept.")
    var maxConnections: Int = 1024

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
        guard maxResponseSize >= 1024 else { throw ValidationError("--max-response-size must be at least 1024") }
        guard refreshInterval.duration > .zero else { throw ValidationError("--refresh-interval must be above 0") }
        guard changeLogRetention.duration >= refreshInterval.duration * 4 else {
            throw ValidationError("--change-log-retention must be at least four refresh intervals")
        }
        guard maxMessageSize >= 0 else { throw ValidationError("--max-message-size must not be negative") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard idleTimeout >= 0 else { throw ValidationError("--idle-timeout must not be negative") }
        guard eventLoops >= 1 else { throw ValidationError("--event-loops must be at least 1") }
        guard gracePeriod >= 0 else { throw ValidationError("--grace-period must not be negative") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown --log-level '\(logLevel)'")
        }
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

        let server = ArborServer(
            configuration: ArborServer.Configuration(
                transport: GRPCServerConfiguration(
                    host: host,
                    port: port,
                    eventLoopCount: eventLoops,
                    maxConcurrentStreams: maxConcurrentStreams,
                    maxReceiveMessageSize: maxMessageSize,
                    maxConnections: maxConnections,
                    idleTimeout: idleTimeout == 0 ? nil : .seconds(idleTimeout)
                ),
                database: try database.configuration(),
                maxDatabaseConnections: maxDatabaseConnections,
                service: HierarchyService.Configuration(
                    defaultMaxStaleness: maxStaleness.duration, staleIfError: staleIfError.duration,
                    maxResponseBytes: maxResponseSize),
                refresh: Refresher.Configuration(
                    refreshInterval: refreshInterval.duration, fullRebuildInterval: fullRebuildInterval.duration,
                    changeLogRetention: changeLogRetention.duration)
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
