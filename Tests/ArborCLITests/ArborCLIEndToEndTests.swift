import ArborClient
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The built `arbor` binary against real `arbor-server`s serving the fixtures in `Fixtures/` (a text-id model and
/// an integer-id model).
@Suite("arbor CLI end to end")
struct ArborCLIEndToEndTests {
    /// Runs `arbor` against the fixture's server.
    static func arbor(_ arguments: [String], _ fixture: Fixture) async throws -> ProcessResult {
        let server = try await FixtureServer.get(fixture)
        return try await ProcessRunner.run(
            server.environment.binary("arbor"), arguments + ["--server", server.address.description])
    }

    struct GoldenCase: CustomTestStringConvertible, Sendable {
        let fixture: Fixture
        let name: String
        let arguments: [String]
        /// `live` keeps the footer's source fixed; `cache` asks for the snapshot (loaded before SERVING) instead.
        var source = "live"
        var testDescription: String { "\(fixture.rawValue)-\(name)" }

        var freshnessArguments: [String] { source == "live" ? ["--live"] : ["--max-staleness", "1h"] }
    }

    static let goldenCases: [GoldenCase] = [
        GoldenCase(fixture: .team, name: "describe", arguments: ["describe"]),
        GoldenCase(fixture: .team, name: "find", arguments: ["find", "Raj"]),
        GoldenCase(
            fixture: .team, name: "descendants",
            arguments: ["descendants", "Raj Kumar", "--attributes", "role,region", "--parents"]),
        GoldenCase(
            fixture: .team, name: "descendants-filtered",
            arguments: [
                "descendants", "raj", "--where", "role=VOLUNTEER", "--where-not", "region=east", "--include-root",
                "--max-depth", "3",
            ]),
        GoldenCase(fixture: .team, name: "ancestors", arguments: ["ancestors", "Loop Two", "--parents"]),
        GoldenCase(
            fixture: .team, name: "stats",
            arguments: ["stats", "Raj Kumar", "--group-by", "day,role", "--measure", "count,amount"]),
        GoldenCase(
            fixture: .team, name: "stats-node",
            arguments: [
                "stats", "raj", "--group-by", "node", "--measure", "amount", "--event-where", "channel=app",
                "--from", "2026-01-10", "--to", "2026-01-12",
            ]),
        GoldenCase(
            fixture: .team, name: "leaderboard",
            arguments: [
                "leaderboard", "--measure", "amount", "--breakdown", "role", "--attributes", "region",
                "--downline-where", "role=VOLUNTEER", "--limit", "5",
            ]),
        GoldenCase(fixture: .team, name: "cycles", arguments: ["cycles"], source: "cache"),
        GoldenCase(fixture: .tasks, name: "describe", arguments: ["describe"], source: "cache"),
        GoldenCase(
            fixture: .tasks, name: "descendants",
            arguments: ["descendants", "Launch", "--attributes", "status,priority"]),
        GoldenCase(fixture: .tasks, name: "ancestors", arguments: ["ancestors", "404", "--parents"]),
        GoldenCase(
            fixture: .tasks, name: "stats",
            arguments: ["stats", "1", "--group-by", "day,status", "--measure", "count,effort"]),
        GoldenCase(
            fixture: .tasks, name: "stats-page", arguments: ["stats", "1", "--group-by", "node", "--limit", "3"]),
        GoldenCase(
            fixture: .tasks, name: "leaderboard",
            arguments: ["leaderboard", "--metric", "downline", "--limit", "4", "--attributes", "status"]),
        GoldenCase(
            fixture: .tasks, name: "find",
            arguments: ["find", "--where", "status=open", "--attributes", "priority", "--limit", "3"]),
        GoldenCase(fixture: .tasks, name: "cycles", arguments: ["cycles"]),
        GoldenCase(fixture: .accounts, name: "describe", arguments: ["describe"], source: "cache"),
        GoldenCase(fixture: .accounts, name: "find", arguments: ["find", "acme", "--attributes", "tier,region"]),
        GoldenCase(
            fixture: .accounts, name: "descendants",
            arguments: ["descendants", "Acme Holdings", "--attributes", "tier,region,seats", "--parents"]),
        GoldenCase(fixture: .accounts, name: "ancestors", arguments: ["ancestors", "Shared Services", "--parents"]),
        GoldenCase(
            fixture: .accounts, name: "stats",
            arguments: ["stats", "Acme Holdings", "--group-by", "day,channel", "--measure", "count,units,total"]),
        GoldenCase(
            fixture: .accounts, name: "stats-openings",
            arguments: [
                "stats", "7A000000-0000-4000-8000-000000000001", "--source", "openings", "--group-by", "month,tier",
                "--measure", "count,seats_opened",
            ]),
        GoldenCase(
            fixture: .accounts, name: "leaderboard",
            arguments: [
                "leaderboard", "--within", "Acme Holdings", "--measure", "total", "--breakdown", "tier",
                "--attributes", "region", "--event-where", "status=paid,refunded",
            ]),
        GoldenCase(fixture: .accounts, name: "cycles", arguments: ["cycles"], source: "cache"),
    ]

    @Test("golden outputs", arguments: goldenCases, ["table", "json", "csv"])
    func golden(_ golden: GoldenCase, format: String) async throws {
        let result = try await Self.arbor(
            golden.arguments + ["--format", format] + golden.freshnessArguments, golden.fixture)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        try Golden.check(result.stdout, name: "\(golden.testDescription).\(format)")
        if format == "csv" {
            // CSV stays pure data; notes and where the answer came from go to stderr.
            #expect(result.stderr.contains("# source: \(golden.source), as of "), "stderr: \(result.stderr)")
        } else {
            #expect(result.stderr.isEmpty)
        }
    }

    @Test(
        "a label resolves to the same answer as its id",
        arguments: [
            (Fixture.team, "Raj Kumar", "raj"), (.tasks, "Launch", "1"), (.tasks, "404", "8"),
            (.accounts, "Shared Services", "05000000-0000-4000-8000-000000000005"),
        ])
    func labelResolution(fixture: Fixture, label: String, id: String) async throws {
        let byLabel = try await Self.arbor(["ancestors", label, "--format", "csv", "--live"], fixture)
        let byID = try await Self.arbor(["ancestors", id, "--format", "csv", "--live"], fixture)
        #expect(byLabel.status == 0 && byID.status == 0, "stderr: \(byLabel.stderr) \(byID.stderr)")
        #expect(byLabel.stdout == byID.stdout)
        let stats = try await Self.arbor(["stats", label, "--format", "json", "--live"], fixture)
        #expect(stats.status == 0, "stderr: \(stats.stderr)")
        #expect(stats.stdout.contains(#""id": "\#(id)""#))
    }

    @Test("an ambiguous label lists the candidates and exits 5")
    func ambiguousLabel() async throws {
        let team = try await Self.arbor(["descendants", "Asha Devi"], .team)
        #expect(team.status == 5)
        #expect(team.stdout.isEmpty)
        #expect(team.stderr.contains("'Asha Devi' (the start node) is the label of 2 nodes; give one by id:"))
        #expect(team.stderr.contains("  asha.c  Asha Devi  CPOC  north   true"), "stderr: \(team.stderr)")
        #expect(team.stderr.contains("  asha.d  Asha Devi  DPOC  south   true"))
        let tasks = try await Self.arbor(["leaderboard", "--within", "Review"], .tasks)
        #expect(tasks.status == 5)
        #expect(tasks.stderr.contains("'Review' (--within) is the label of 2 nodes"), "stderr: \(tasks.stderr)")
        #expect(tasks.stderr.contains("  4   Review  done    3"))
        #expect(tasks.stderr.contains("  5   Review  open    3"))
    }

    @Test(
        "unknown nodes and names, and what the server refuses, exit 2 with the reason",
        arguments: [
            (
                Fixture.team, ["descendants", "Nobody Here"],
                "no node has the id or label 'Nobody Here' (the start node)"
            ),
            (.team, ["descendants", "raj kumar"], "labels that start so: 'Raj Kumar'"),
            (.team, ["stats", "Ra"], "labels that start so: 'Raj', 'Raj Kumar', 'Ravi Shankar'"),
            (.team, ["leaderboard", "--within", "ghost"], "no node has the id or label 'ghost' (--within)"),
            (.tasks, ["descendants", "999"], "no node has the id or label '999'"),
            (.team, ["stats", "raj", "--group-by", "colour"], "--group-by: no group-by key named 'colour'; use day"),
            (.team, ["stats", "raj", "--where", "colour=red"], "--where: no attribute named 'colour'; use role"),
            (.team, ["stats", "raj", "--measure", "revenue"], "--measure: no measure of sales named 'revenue'"),
            (.team, ["stats", "raj", "--source", "orders"], "--source: no event source named 'orders'; use sales"),
            (
                .team, ["stats", "raj", "--event-where", "region=north"],
                "--event-where: no dimension of sales named 'region'; use channel, kind"
            ),
            (.team, ["descendants", "raj", "--attributes", "colour"], "use label, role, region, active, grade"),
            (.team, ["stats", "raj", "--where", "role=WIZARD"], "INVALID_ARGUMENT"),
            (.tasks, ["stats", "1", "--where", "priority=high"], "INVALID_ARGUMENT"),
        ])
    func invalid(fixture: Fixture, arguments: [String], message: String) async throws {
        let result = try await Self.arbor(arguments, fixture)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test(
        "usage errors exit 1 before calling the server",
        arguments: [
            (["stats", "raj", "--from", "2026-02-30"], "--from must be a real date"),
            (["stats", "raj", "--from", "2026-01-12", "--to", "2026-01-10"], "is after --to"),
            (["stats", "raj", "--group-by", "day,day"], "--group-by names 'day' twice"),
            (["stats", "raj", "--where", "role"], "--where takes NAME=VALUE[,VALUE…] (got 'role')"),
            (["descendants", "raj", "--where-not", "=x"], "--where-not needs a name before '='"),
            (["leaderboard", "--metric", "karma"], "--metric must be self, tree, children, downline or matching"),
            (["leaderboard", "--metric", "matching"], "--metric matching needs --downline-where"),
            (["find"], "give a label prefix, --id or --where"),
            (["find", "a", "--format", "yaml"], "--format must be table, json or csv"),
            (["find", "a", "--timeout", "soon"], "--timeout must be a positive duration"),
            (["descendants"], "Missing expected argument"),
        ])
    func usage(arguments: [String], message: String) async throws {
        let result = try await Self.arbor(arguments, .team)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test("an id that is not of the model's id type is a usage error for find --id")
    func malformedID() async throws {
        let result = try await Self.arbor(["find", "--id", "abc"], .tasks)
        #expect(result.status == 1)
        #expect(result.stderr.contains("--id 'abc' is not an integer id"), "stderr: \(result.stderr)")
    }

    @Test("--help explains the commands with examples")
    func help() async throws {
        let environment = try TestEnvironment.load()
        let root = try await ProcessRunner.run(environment.binary("arbor"), ["--help"])
        #expect(root.status == 0)
        for command in ["describe", "find", "descendants", "ancestors", "stats", "leaderboard", "cycles", "health"] {
            #expect(root.stdout.contains(command), "\(command) missing from --help")
        }
        #expect(root.stdout.contains("Examples:") && root.stdout.contains("exact label"))
        let stats = try await ProcessRunner.run(environment.binary("arbor"), ["stats", "--help"])
        #expect(stats.status == 0)
        for option in ["--group-by", "--where", "--where-not", "--event-where", "--source", "--measure", "--all"] {
            #expect(stats.stdout.contains(option), "\(option) missing from stats --help")
        }
        #expect(stats.stdout.contains("arbor stats \"Raj Kumar\" --group-by day,role"))
    }

    @Test("a server that is down: a clear message and exit 3")
    func serverDown() async throws {
        let environment = try TestEnvironment.load()
        let port = try FreePort.find()
        let result = try await ProcessRunner.run(
            environment.binary("arbor"), ["describe", "--server", "127.0.0.1:\(port)", "--timeout", "2s"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("server 127.0.0.1:\(port) is unavailable"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("is arbor-server running there?"))
    }

    @Test("ARBOR_SERVER picks the server; health says SERVING")
    func serverFromEnvironment() async throws {
        let server = try await FixtureServer.get(.team)
        let result = try await ProcessRunner.run(
            server.environment.binary("arbor"), ["health", "--format", "table"],
            environment: ["ARBOR_SERVER": server.address.description])
        #expect(result.status == 0)
        #expect(result.stdout == "SERVING\n")
    }

    @Test("without a terminal the default format is JSON; the cache answers when staleness allows")
    func defaultFormat() async throws {
        let result = try await Self.arbor(["find", "Raj K", "--max-staleness", "1h"], .team)
        #expect(result.status == 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let meta = try #require(object["meta"] as? [String: Any])
        #expect(meta["source"] as? String == "cache")
        #expect((object["nodes"] as? [[String: Any]])?.map { $0["id"] as? String } == ["raj"])
    }

    @Test("descendants --limit shows how many matched in all; --count only counts")
    func descendantsLimitAndCount() async throws {
        let limited = try await Self.arbor(["descendants", "raj", "--limit", "3", "--format", "table"], .team)
        #expect(limited.status == 0)
        #expect(limited.stdout.contains("descendants: 3 shown of 8 matching"))
        let counted = try await Self.arbor(
            ["descendants", "Launch", "--count", "--where", "status=open", "--format", "table"], .tasks)
        #expect(counted.status == 0)
        #expect(counted.stdout.hasPrefix("descendants of Launch (1): 4\n"), "stdout: \(counted.stdout)")
    }

    @Test("stats --all pages through every row; --page-token continues")
    func statsPaging() async throws {
        let whole = try await Self.arbor(["stats", "1", "--group-by", "node", "--format", "csv", "--live"], .tasks)
        let paged = try await Self.arbor(
            ["stats", "1", "--group-by", "node", "--limit", "2", "--all", "--format", "csv", "--live"], .tasks)
        #expect(whole.status == 0 && paged.status == 0)
        #expect(whole.stdout == paged.stdout)
        #expect(whole.stdout.split(separator: "\n").count == 9)  // header and 8 rows
        let first = try await Self.arbor(
            ["stats", "1", "--group-by", "node", "--limit", "5", "--format", "json"], .tasks)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let token = try #require(object["next_page_token"] as? String)
        let rest = try await Self.arbor(
            ["stats", "1", "--group-by", "node", "--limit", "5", "--page-token", token, "--format", "csv"], .tasks)
        #expect(rest.status == 0, "stderr: \(rest.stderr)")
        #expect(rest.stdout == "node,label,count,nodes\n6,Fix login,1,1\n8,404,1,1\n20,Docs,1,1\n")
        #expect(!rest.stderr.contains("--page-token"))
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
