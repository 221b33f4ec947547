import ArborCLIKit
import ArborClient
import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Options every subcommand takes: where the server is and how fresh and fast answers must be.
struct GlobalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The server (default: $ARBOR_SERVER, else 127.0.0.1:50051).", valueName: "host:port"))
    var server: String?

    @Option(help: ArgumentHelp("Deadline of each call, e.g. 500ms, 5s, 1m.", valueName: "duration"))
    var timeout: String = "10s"

    @Option(
        help: ArgumentHelp("Accept cached answers at most this old (default: the server's).", valueName: "duration"))
    var maxStaleness: String?

    @Option(
        help: ArgumentHelp("Answer from data at least this version (from an earlier answer).", valueName: "version"))
    var minVersion: UInt64 = 0

    @Flag(help: "Skip the cache: answer with live SQL.")
    var live = false

    @Option(
        help: ArgumentHelp("table, json or csv (default: table on a terminal, json otherwise).", valueName: "format"))
    var format: String?

    func validate() throws {
        _ = try resolved()
    }

    struct Resolved {
        var server: ServerAddress
        var timeout: Duration
        var freshness: Freshness
        var format: OutputFormat
    }

    func resolved() throws(CLIError) -> Resolved {
        let serverText = server ?? ProcessInfo.processInfo.environment["ARBOR_SERVER"] ?? "127.0.0.1:50051"
        guard let address = ServerAddress(parsing: serverText) else {
            throw CLIError(.usage, "--server must be HOST:PORT, e.g. 127.0.0.1:50051 (got '\(serverText)')")
        }
        guard let timeout = OptionParsing.duration(timeout), timeout > .zero else {
            throw CLIError(.usage, "--timeout must be a positive duration such as 500ms, 5s or 1m (got '\(timeout)')")
        }
        var staleness: Duration?
        if let maxStaleness {
            guard let parsed = OptionParsing.duration(maxStaleness) else {
                throw CLIError(
                    .usage, "--max-staleness must be a duration such as 500ms or 30s (got '\(maxStaleness)')")
            }
            staleness = parsed
        }
        let outputFormat: OutputFormat
        if let format {
            guard let parsed = OutputFormat(rawValue: format.lowercased()) else {
                throw CLIError(.usage, "--format must be table, json or csv (got '\(format)')")
            }
            outputFormat = parsed
        } else {
            outputFormat = .automatic(stdoutIsTerminal: isatty(STDOUT_FILENO) == 1)
        }
        return Resolved(
            server: address, timeout: timeout,
            freshness: Freshness(maxStaleness: staleness, requireLive: live, minVersion: minVersion),
            format: outputFormat)
    }
}

/// A client and output for one command run.
struct Session {
    let options: GlobalOptions.Resolved
    let client: ArborClient

    init(_ options: GlobalOptions) throws {
        self.options = try options.resolved()
        self.client = ArborClient(
            server: self.options.server,
            configuration: ArborClient.Configuration(connections: 1, defaultTimeout: self.options.timeout))
    }

    /// Runs `body`, turning RPC errors into CLI errors, and closes the client.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await client.close()
            return result
        } catch let error as RPCError {
            await client.close()
            throw CLIError(error, server: options.server)
        } catch {
            await client.close()
            throw error
        }
    }

    /// The served model, to check names and look nodes up. Asked with the server's default freshness: the model's
    /// shape does not change between snapshots, and a live `Describe` counts every event.
    func model() async throws -> ModelDescription {
        try await client.describe().value
    }

    /// The node `text` names (an id, else an exact label).
    func resolve(_ text: String, what: String, model: ModelDescription) async throws -> NodeRecord {
        try await NodeResolver(client: client, model: model, freshness: options.freshness, timeout: options.timeout)
            .resolve(text, what: what)
    }

    /// Labels of the ids (empty when the model has none or the lookup fails: labels are a courtesy, the answer
    /// stands without them).
    func labels(_ ids: some Sequence<String>, model: ModelDescription) async -> [String: String] {
        guard model.hasLabel else { return [:] }
        let nodes = try? await client.nodes(
            ids: ids, attributes: [], freshness: options.freshness, timeout: options.timeout
        ).value
        return (nodes ?? [:]).mapValues(\.label)
    }

    func emit(_ output: RenderedOutput) {
        Output.write(output.stdout)
        if !output.stderr.isEmpty { Output.writeError(output.stderr) }
    }

    static var nowUnixMilliseconds: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    func context(model: ModelDescription, labels: [String: String] = [:]) -> RenderContext {
        RenderContext(
            format: options.format, nowUnixMilliseconds: Self.nowUnixMilliseconds, hasLabel: model.hasLabel,
            labels: labels)
    }
}

/// Unbuffered writes, so streamed answers appear as they arrive.
enum Output {
    static func write(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    static func writeError(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        guard !text.isEmpty else { return }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    // The reader went away (e.g. `arbor descendants … | head`): stop quietly.
                    terminate(descriptor == STDOUT_FILENO ? CLIExitCode.ok.rawValue : CLIExitCode.failed.rawValue)
                }
                offset += written
            }
        }
    }
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
