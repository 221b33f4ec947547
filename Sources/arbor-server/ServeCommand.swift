import ArborHTTP2
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
            Serves grpc.health.v1.Health/Check. SIGINT or SIGTERM starts a graceful shutdown: the server stops \
            accepting connections, sends GOAWAY, lets calls in flight finish for up to --grace-period seconds, \
            then exits.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The address to listen on.", valueName: "host:port"))
    var listen: String = "127.0.0.1:50051"

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
        var logger = Logger(label: "arbor.server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let (host, port) = try parseListen()

        let health = HealthService()
        var router = RPCRouter()
        health.register(in: &router)

        let server = GRPCServer(
            configuration: GRPCServerConfiguration(
                host: host,
                port: port,
                eventLoopCount: eventLoops,
                maxConcurrentStreams: maxConcurrentStreams,
                maxReceiveMessageSize: maxMessageSize,
                maxConnections: maxConnections,
                idleTimeout: idleTimeout == 0 ? nil : .seconds(idleTimeout)
            ),
            router: router,
            logger: logger
        )
        let address = try await server.start()
        health.setServing(true)
        logger.notice("arbor-server serving", metadata: ["address": "\(address)"])

        let grace = Duration.seconds(gracePeriod)
        let signalSources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                logger.notice("signal received, shutting down", metadata: ["signal": "\(signalNumber)"])
                health.setServing(false)
                Task { await server.shutdown(gracePeriod: grace) }
            }
            source.resume()
            return source
        }
        await server.waitUntilStopped()
        for source in signalSources { source.cancel() }
    }
}
