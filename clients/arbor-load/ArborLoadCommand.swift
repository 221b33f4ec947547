import ArborCLIKit
import ArborClient
import ArborLoadKit
import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `arbor-load`: a load harness for an Arbor server.
@main
struct ArborLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbor-load",
        abstract: "Drive an Arbor server with a weighted mix of calls and report throughput and latency.",
        discussion: """
            Closed loop (default): --concurrency workers (default connections × streams) each send their next
            request when the last one answered. Open loop: --rate requests per second whatever the server does;
            latency counts from each request's intended send time, so stalls are not hidden (coordinated omission).
            Parameters are drawn from the served model (Describe) and its data: roots of small to huge subtrees, nodes
            below them, label prefixes, attribute values, 7/30/90-day windows ending on each source's last day,
            groupings and filters. Calls the model cannot answer (stats without event sources) are left out of the
            mix, with a note. A run stops at --duration or --requests, whichever comes first.

            Examples:
              arbor-load --duration 30s --connections 2 --streams 16
              arbor-load --rate 2000 --duration 60s --mix stats=3,leaderboard=1,ancestors=1 --json
              arbor-load --duration 20s --compare-live
            """
    )

    @Option(help: ArgumentHelp("The server (default: $ARBOR_SERVER, else 127.0.0.1:50051).", valueName: "host:port"))
    var server: String?
    @Option(help: "HTTP/2 connections to open.") var connections: Int = 2
    @Option(help: "Concurrent streams per connection (sets the default concurrency / in-flight cap).")
    var streams: Int = 8
    @Option(help: "Closed loop: number of workers (default: connections × streams).") var concurrency: Int?
    @Option(help: "Open loop: requests per second.") var rate: Double?
    @Option(help: "Open loop: most requests in flight at once (default: connections × streams × 4).")
    var maxInFlight: Int?
    @Option(
        help: ArgumentHelp(
            "Weighted calls: describe, descendants, ancestors, stats, leaderboard, find, cycles.", valueName: "k=w,…"))
    var mix: String = WorkloadMix.standard.description
    @Option(help: ArgumentHelp("Length of the measured phase.", valueName: "duration")) var duration: String = "10s"
    @Option(help: "Stop after this many measured requests.") var requests: Int = 1_000_000_000
    @Option(help: ArgumentHelp("Unmeasured traffic first.", valueName: "duration")) var warmup: String = "2s"
    @Option(help: ArgumentHelp("Deadline of each call.", valueName: "duration")) var timeout: String = "10s"
    @Option(help: ArgumentHelp("Freshness bound sent with each call.", valueName: "duration")) var maxStaleness: String?
    @Flag(help: "Send every request with require_live.") var live = false
    @Flag(help: "Run the workload again with require_live and print live/cache ratios per call.")
    var compareLive = false
    @Option(help: "Seed for the parameter draws.") var seed: UInt64 = 1
    @Flag(help: "Print the report as JSON on stdout.") var json = false

    struct Parsed {
        var server: ServerAddress
        var configuration: LoadConfiguration
    }

    func parsed() throws -> Parsed {
        let serverText = server ?? ProcessInfo.processInfo.environment["ARBOR_SERVER"] ?? "127.0.0.1:50051"
        guard let address = ServerAddress(parsing: serverText) else {
            throw ValidationError("--server must be HOST:PORT (got '\(serverText)')")
        }
        func parseDuration(_ text: String, _ option: String, allowZero: Bool = false) throws -> Duration {
            guard let value = OptionParsing.duration(text), allowZero || value > .zero else {
                throw ValidationError(
                    "\(option) must be a \(allowZero ? "" : "positive ")duration such as 500ms, 10s or 2m (got '\(text)')"
                )
            }
            return value
        }
        guard (1...256).contains(connections) else { throw ValidationError("--connections must be 1–256") }
        guard (1...1000).contains(streams) else { throw ValidationError("--streams must be 1–1000") }
        guard requests >= 1 else { throw ValidationError("--requests must be at least 1") }
        let mode: LoadConfiguration.Mode
        if let rate {
            guard concurrency == nil else {
                throw ValidationError("--rate (open loop) and --concurrency (closed loop) exclude each other")
            }
            guard rate > 0, rate <= 1_000_000 else { throw ValidationError("--rate must be between 0 and 1000000") }
            let cap = maxInFlight ?? connections * streams * 4
            guard cap >= 1 else { throw ValidationError("--max-in-flight must be at least 1") }
            mode = .openLoop(rate: rate, maxInFlight: cap)
        } else {
            guard maxInFlight == nil else { throw ValidationError("--max-in-flight needs --rate") }
            let workers = concurrency ?? connections * streams
            guard (1...100_000).contains(workers) else { throw ValidationError("--concurrency must be 1–100000") }
            mode = .closedLoop(concurrency: workers)
        }
        let parsedMix: WorkloadMix
        do { parsedMix = try WorkloadMix(parsing: mix) } catch { throw ValidationError(error.message) }
        return Parsed(
            server: address,
            configuration: LoadConfiguration(
                mode: mode, connections: connections, mix: parsedMix,
                duration: try parseDuration(duration, "--duration"),
                maxRequests: requests, warmup: try parseDuration(warmup, "--warmup", allowZero: true),
                timeout: try parseDuration(timeout, "--timeout"),
                maxStaleness: try maxStaleness.map { try parseDuration($0, "--max-staleness") }, seed: seed))
    }

    func validate() throws {
        _ = try parsed()
    }

    func run() async throws {
        let parsed = try parsed()
        var configuration = parsed.configuration
        let client = ArborClient(
            server: parsed.server,
            configuration: ArborClient.Configuration(
                connections: configuration.connections, defaultTimeout: configuration.timeout))
        let progress: @Sendable (String) -> Void = { printError("arbor-load: \($0)") }

        let factory: RequestFactory
        do {
            progress("describing the model and sampling subtrees, labels and values from \(parsed.server)…")
            let sample = try await WorkloadSampler.sample(client: client, timeout: configuration.timeout)
            factory = try RequestFactory(sample: sample)
            progress(
                "sampled \(sample.rootsBySize.map(\.count).reduce(0, +)) roots in \(sample.rootsBySize.count) size groups, "
                    + "\(sample.nodes.count) nodes below them, \(sample.labelPrefixes.count) label prefixes, "
                    + "values of \(sample.attributes.count) attributes, \(sample.sources.count) event sources")
            let left = factory.unanswerable.intersection(configuration.mix.weights.map { $0.0 })
            if !left.isEmpty {
                configuration.mix = try configuration.mix.without(left)
                progress(
                    "the model has no event sources: \(left.map { $0.rawValue }.sorted().joined(separator: ", ")) left out; "
                        + "mix \(configuration.mix)")
            }
        } catch let error as RPCError {
            await client.close()
            printError(
                "arbor-load: cannot sample the server's data from \(parsed.server): \(error.code.name): \(error.message)"
            )
            throw ExitCode(3)
        } catch let error as LoadError {
            await client.close()
            printError("arbor-load: \(error.message)")
            throw ExitCode(2)
        }

        let runner = LoadRunner(client: client, factory: factory, configuration: configuration)
        let first = await runner.run(requireLive: live, progress: progress)
        var output: String
        if compareLive && !live {
            progress("running the same workload with require_live…")
            let liveReport = await runner.run(requireLive: true, progress: progress)
            let comparison = LiveComparison(cache: first, live: liveReport)
            output =
                json
                ? try Self.encode(comparison)
                : [first.text, "", liveReport.text, "", comparison.text].joined(separator: "\n")
        } else {
            output = json ? try Self.encode(first) : first.text
        }
        await client.close()
        print(output)
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// One line on stderr (progress and failures; the report goes to stdout).
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
