import ArborClient
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The built `arbor` binary against a real `arbor-server` on the fixed dataset in `Fixtures/dataset.sql`.
@Suite("arbor CLI end to end")
struct ArborCLIEndToEndTests {
    static let raj = "00000000-0000-4000-8000-000000000001"
    static let ashaCPOC = "00000000-0000-4000-8000-000000000002"
    static let ashaDPOC = "00000000-0000-4000-8000-000000000003"

    /// Runs `arbor` against the fixture server (`--live` keeps the source fixed for golden files).
    static func arbor(_ arguments: [String], server: FixtureServer) async throws -> ProcessResult {
        try await ProcessRunner.run(
            server.environment.binary("arbor"), arguments + ["--server", server.address.description])
    }

    struct GoldenCase: CustomTestStringConvertible, Sendable {
        let name: String
        let arguments: [String]
        /// `--live` keeps the footer's source fixed; `cache` asks for the snapshot (loaded before SERVING) instead.
        var source = "live"
        var testDescription: String { name }

        var freshnessArguments: [String] { source == "live" ? ["--live"] : ["--max-staleness", "1h"] }
    }

    static let goldenCases: [GoldenCase] = [
        GoldenCase(name: "users", arguments: ["users", "a"]),
        GoldenCase(name: "descendants", arguments: ["descendants", "Raj Kumar"]),
        GoldenCase(name: "descendants-count", arguments: ["descendants", "Raj Kumar", "--count"]),
        GoldenCase(
            name: "descendants-filtered", arguments: ["descendants", raj, "--role", "VOLUNTEER", "--max-depth", "3"]),
        GoldenCase(
            name: "stats-day-role",
            arguments: ["stats", "Raj Kumar", "--from", "2026-01-10", "--to", "2026-01-12", "--group-by", "day,role"]),
        GoldenCase(name: "stats-user", arguments: ["stats", ashaCPOC, "--group-by", "user", "--channel", "app"]),
        GoldenCase(name: "stats-total", arguments: ["stats", "Raj Kumar", "--exclude-root"]),
        GoldenCase(name: "leaderboard-downline", arguments: ["leaderboard", "--metric", "downline", "--limit", "5"]),
        GoldenCase(
            name: "leaderboard-role",
            arguments: ["leaderboard", "--metric", "role:VOLUNTEER", "--within", "Raj Kumar", "--from", "2026-01-10"]),
        GoldenCase(name: "cycles", arguments: ["cycles"], source: "cache"),
        GoldenCase(name: "users-cache", arguments: ["users", "Raj"], source: "cache"),
    ]

    @Test("golden outputs", arguments: goldenCases, ["table", "json", "csv"])
    func golden(_ golden: GoldenCase, format: String) async throws {
        let server = try await FixtureServer.get()
        let result = try await Self.arbor(
            golden.arguments + ["--format", format] + golden.freshnessArguments, server: server)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        try Golden.check(result.stdout, name: "\(golden.name).\(format)")
        if format == "csv" {
            // CSV stays pure data; where the answer came from goes to stderr.
            #expect(result.stderr.contains("# source: \(golden.source), as of "))
        } else {
            #expect(result.stderr.isEmpty)
        }
    }

    @Test("a name resolves to the same answer as its id")
    func nameResolution() async throws {
        let server = try await FixtureServer.get()
        let byName = try await Self.arbor(["descendants", "Raj Kumar", "--format", "csv", "--live"], server: server)
        let byID = try await Self.arbor(["descendants", Self.raj, "--format", "csv", "--live"], server: server)
        #expect(byName.status == 0 && byID.status == 0)
        #expect(byName.stdout == byID.stdout)
        #expect(byName.stdout.contains("Meena Kumari"))
        // Names match ignoring ASCII case when no exact match exists.
        let folded = try await Self.arbor(["stats", "raj kumar", "--format", "json", "--live"], server: server)
        #expect(folded.status == 0, "stderr: \(folded.stderr)")
        #expect(folded.stdout.contains(Self.raj))
    }

    @Test("an ambiguous name lists the candidates and exits 5")
    func ambiguousName() async throws {
        let server = try await FixtureServer.get()
        let result = try await Self.arbor(["descendants", "Asha Devi"], server: server)
        #expect(result.status == 5)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("'Asha Devi' (the root) names 2 users; give one by id"))
        #expect(result.stderr.contains("\(Self.ashaCPOC)  Asha Devi  CPOC  Patna"))
        #expect(result.stderr.contains("\(Self.ashaDPOC)  Asha Devi  DPOC  Gaya"))
    }

    @Test(
        "unknown users and bad arguments exit 2 with the reason",
        arguments: [
            (["descendants", "Nobody Here"], "no user named 'Nobody Here'"),
            (["descendants", "00000000-0000-4000-8000-0000000000ff"], "NOT_FOUND"),
            (["leaderboard", "--within", "Nobody Here"], "no user named 'Nobody Here' (--within)"),
            (["stats", Self.raj, "--role", "WIZARD"], "INVALID_ARGUMENT"),
        ])
    func notFound(arguments: [String], message: String) async throws {
        let server = try await FixtureServer.get()
        let result = try await Self.arbor(arguments, server: server)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test(
        "usage errors exit 1 before calling the server",
        arguments: [
            (["stats", "Raj Kumar", "--from", "2026-02-30"], "--from must be a real date"),
            (["stats", "Raj Kumar", "--from", "2026-01-12", "--to", "2026-01-10"], "is after --to"),
            (["stats", "Raj Kumar", "--group-by", "day,day"], "--group-by names 'day' twice"),
            (["leaderboard", "--metric", "karma"], "--metric must be tree, self, children, downline or role:NAME"),
            (["users", "a", "--format", "yaml"], "--format must be table, json or csv"),
            (["users", "a", "--timeout", "soon"], "--timeout must be a positive duration"),
            (["users"], "Missing expected argument"),
        ])
    func usage(arguments: [String], message: String) async throws {
        let server = try await FixtureServer.get()
        let result = try await Self.arbor(arguments, server: server)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test("a server that is down: a clear message and exit 3")
    func serverDown() async throws {
        let environment = try TestEnvironment.load()
        let port = try FreePort.find()
        let result = try await ProcessRunner.run(
            environment.binary("arbor"), ["health", "--server", "127.0.0.1:\(port)", "--timeout", "2s"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("server 127.0.0.1:\(port) is unavailable"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("is arbor-server running there?"))
    }

    @Test("ARBOR_SERVER picks the server; health says SERVING")
    func serverFromEnvironment() async throws {
        let server = try await FixtureServer.get()
        let result = try await ProcessRunner.run(
            server.environment.binary("arbor"), ["health", "--format", "table"],
            environment: ["ARBOR_SERVER": server.address.description])
        #expect(result.status == 0)
        #expect(result.stdout == "SERVING\n")
    }

    @Test("without a terminal the default format is JSON; the cache answers when staleness allows")
    func defaultFormat() async throws {
        let server = try await FixtureServer.get()
        let result = try await Self.arbor(["users", "Raj", "--max-staleness", "1h"], server: server)
        #expect(result.status == 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let meta = try #require(object["meta"] as? [String: Any])
        #expect(["cache", "live"].contains(meta["source"] as? String))
        #expect((object["users"] as? [Any])?.count == 1)
    }

    @Test("descendants --limit shows how many matched in all")
    func descendantsLimit() async throws {
        let server = try await FixtureServer.get()
        let result = try await Self.arbor(
            ["descendants", Self.raj, "--limit", "3", "--format", "table"], server: server)
        #expect(result.status == 0)
        #expect(result.stdout.contains("descendants: 3 shown of 8 matching"))
    }
}

enum FreePort {
    /// A loopback port nobody listens on (bound, read, released).
    static func find() throws -> Int {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw TestSetupError("bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw TestSetupError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
