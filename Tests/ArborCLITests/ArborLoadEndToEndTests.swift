import ArborClient
import Foundation
import Testing

/// The built `arbor-load` against the fixture servers, its `--json` report checked for consistency.
@Suite("arbor-load end to end")
struct ArborLoadEndToEndTests {
    struct Latency: Decodable {
        var p50: Double
        var p90: Double
        var p99: Double
        var p99_9: Double
        var max: Double
    }

    struct Calls: Decodable {
        var requests: Int
        var ok: Int
        var errors: Int
        var throughput_per_s: Double
        var latency_ms: Latency
        var errors_by_status: [String: Int]
        var answers_by_source: [String: Int]
    }

    struct Report: Decodable {
        var mode: String
        var elapsed_s: Double
        var total: Calls
        var calls: [String: Calls]
    }

    static func load(_ arguments: [String], _ fixture: Fixture = .team) async throws -> (ProcessResult, FixtureServer) {
        let server = try await FixtureServer.get(fixture)
        let result = try await ProcessRunner.run(
            server.environment.binary("arbor-load"),
            arguments + ["--server", server.address.description, "--json", "--warmup", "0s"])
        return (result, server)
    }

    /// Counts add up, nothing failed, percentiles are ordered.
    static func checkConsistent(_ report: Report, sourceLocation: SourceLocation = #_sourceLocation) {
        let total = report.total
        #expect(total.requests > 0, sourceLocation: sourceLocation)
        #expect(total.errors == 0, "errors: \(total.errors_by_status)", sourceLocation: sourceLocation)
        #expect(total.requests == total.ok + total.errors, sourceLocation: sourceLocation)
        #expect(report.calls.values.map(\.requests).reduce(0, +) == total.requests, sourceLocation: sourceLocation)
        #expect(total.answers_by_source.values.reduce(0, +) == total.ok, sourceLocation: sourceLocation)
        for calls in report.calls.values + [total] {
            let l = calls.latency_ms
            #expect(
                0 < l.p50 && l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.p99_9 && l.p99_9 <= l.max,
                "\(l)", sourceLocation: sourceLocation)
            #expect(calls.requests == calls.ok + calls.errors, sourceLocation: sourceLocation)
        }
        #expect(
            abs(total.throughput_per_s - Double(total.requests) / report.elapsed_s) < 0.01 * total.throughput_per_s
                + 0.01,
            sourceLocation: sourceLocation)
    }

    @Test(
        "closed loop for a few seconds with every call in the mix, on a model of each id type",
        arguments: Fixture.allCases)
    func closedLoop(fixture: Fixture) async throws {
        let (result, _) = try await Self.load(
            [
                "--duration", "3s", "--connections", "2", "--streams", "4",
                "--mix", "describe=1,descendants=1,ancestors=1,stats=2,leaderboard=2,find=1,cycles=1",
            ], fixture)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.mode == "closed-loop")
        Self.checkConsistent(report)
        #expect(
            Set(report.calls.keys) == [
                "describe", "descendants", "ancestors", "stats", "leaderboard", "find", "cycles",
            ])
        #expect(report.elapsed_s >= 2.9 && report.elapsed_s < 10)
        // One progress line a second on stderr.
        #expect(result.stderr.contains("[1s] ") && result.stderr.contains("[2s] "))
    }

    @Test("open loop sends at the rate and stops at --requests")
    func openLoop() async throws {
        let (result, _) = try await Self.load(["--rate", "100", "--duration", "5s", "--requests", "150"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.mode == "open-loop")
        Self.checkConsistent(report)
        #expect(report.total.requests == 150)
        // Exactly 150 (at 100/s for 5 s it would be 500): --requests ended the run; sending them took ≥ 1.49 s.
        #expect(report.elapsed_s >= 1.4 && report.elapsed_s < 8)
    }

    @Test("--compare-live reports ratios per call")
    func compareLive() async throws {
        let (result, _) = try await Self.load([
            "--duration", "1s", "--mix", "stats=1,find=1", "--concurrency", "2", "--compare-live",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        struct Comparison: Decodable {
            var cache: Report
            var live: Report
            var ratios: [String: [String: Double?]]
        }
        let comparison = try JSONDecoder().decode(Comparison.self, from: Data(result.stdout.utf8))
        Self.checkConsistent(comparison.cache)
        Self.checkConsistent(comparison.live)
        #expect(comparison.live.total.answers_by_source.keys.sorted() == ["live"])
        #expect(Set(comparison.ratios.keys) == ["stats", "find", "all"])
        #expect(comparison.ratios["all"]?["p50"] != nil)
    }

    @Test(
        "bad options exit non-zero with the reason",
        arguments: [
            (["--mix", "stats=1,karma=2"], "unknown call 'karma'"),
            (["--rate", "10", "--concurrency", "4"], "exclude each other"),
            (["--duration", "0s"], "--duration must be a positive duration"),
        ])
    func badOptions(arguments: [String], message: String) async throws {
        let environment = try TestEnvironment.load()
        let result = try await ProcessRunner.run(environment.binary("arbor-load"), arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }
}
