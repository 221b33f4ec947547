import ArborClient
import ArborLoadKit
import Testing

@Suite("arbor-load pure parts")
struct ArborLoadKitTests {
    @Test("mixes parse, and tickets map to calls by weight")
    func mix() throws {
        let mix = try WorkloadMix(parsing: "descendants=1,stats=3,leaderboard=0,users")
        #expect(mix.description == "descendants=1,stats=3,users=1")
        #expect(mix.totalWeight == 5)
        #expect((0..<5).map { mix.call(forTicket: $0) } == [.descendants, .stats, .stats, .stats, .users])
        var generator = SplitMix64(seed: 7)
        var counts: [CallKind: Int] = [:]
        for _ in 0..<50_000 { counts[mix.pick(using: &generator), default: 0] += 1 }
        #expect(counts[.leaderboard] == nil)
        #expect(abs(Double(counts[.stats]!) / 50_000 - 0.6) < 0.02)
    }

    @Test("bad mixes are rejected", arguments: ["", "stats=0", "karma=1", "stats=1,stats=2", "stats=-1", "stats=x"])
    func badMix(text: String) {
        #expect(throws: LoadError.self) { try WorkloadMix(parsing: text) }
    }

    @Test("open loop: request i is due at i / rate, whatever came before")
    func schedule() {
        let schedule = OpenLoopSchedule(rate: 400)
        #expect(schedule.offsetNanoseconds(ofRequest: 0) == 0)
        #expect(schedule.offsetNanoseconds(ofRequest: 1) == 2_500_000)
        #expect(schedule.offsetNanoseconds(ofRequest: 400) == 1_000_000_000)
        #expect(schedule.requestsDue(byNanoseconds: 0) == 1)
        #expect(schedule.requestsDue(byNanoseconds: 999_999_999) == 400)
        #expect(schedule.requestsDue(byNanoseconds: -1) == 0)
        #expect(OpenLoopSchedule(rate: 0.5).offsetNanoseconds(ofRequest: 3) == 6_000_000_000)
    }

    @Test("the generator is reproducible")
    func generator() {
        var a = SplitMix64(seed: 42)
        var b = SplitMix64(seed: 42)
        var c = SplitMix64(seed: 43)
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in b.next() })
        #expect(first != (0..<4).map { _ in c.next() })
    }

    @Test("latency stats: counts add up and percentiles are ordered")
    func stats() {
        var stats = LatencyStats()
        for value in 1...1000 {
            stats.record(microseconds: UInt64(value) * 100, outcome: .answered(source: "cache", stale: false))
        }
        stats.record(microseconds: 5_000_000, outcome: .failed(status: "DEADLINE_EXCEEDED"))
        stats.record(microseconds: 10, outcome: .answered(source: "live", stale: true))
        #expect(stats.requests == 1002 && stats.ok == 1001 && stats.errors == 1)
        #expect(stats.answersBySource == ["cache": 1000, "live": 1])
        #expect(stats.staleAnswers == 1)
        let p50 = stats.milliseconds(atPercentile: 50)
        #expect(abs(p50 - 50) < 0.5)
        #expect(p50 <= stats.milliseconds(atPercentile: 90))
        #expect(stats.milliseconds(atPercentile: 99.9) <= stats.maxMilliseconds)
        #expect(abs(stats.maxMilliseconds - 5000) < 5)
        #expect(LatencyStats().milliseconds(atPercentile: 99) == 0)
    }

    @Test("reports total per call, and live comparisons divide live by cache")
    func report() {
        var fast = LatencyStats()
        var slow = LatencyStats()
        for _ in 0..<100 {
            fast.record(microseconds: 1000, outcome: .answered(source: "cache", stale: false))
            slow.record(microseconds: 4000, outcome: .answered(source: "live", stale: false))
        }
        slow.record(microseconds: 4000, outcome: .failed(status: "UNAVAILABLE"))
        let cache = LoadReport(
            mode: "closed-loop", connections: 1, concurrency: 2, targetRate: nil, requireLive: false, mix: "stats=1",
            elapsedSeconds: 2, byCall: [.stats: fast, .users: fast])
        #expect(cache.total.requests == 200 && cache.total.ok == 200)
        #expect(cache.total.throughput_per_s == 100)
        #expect(Set(cache.calls.keys) == ["stats", "users"])
        let live = LoadReport(
            mode: "closed-loop", connections: 1, concurrency: 2, targetRate: nil, requireLive: true, mix: "stats=1",
            elapsedSeconds: 4, byCall: [.stats: slow])
        #expect(live.total.errors_by_status == ["UNAVAILABLE": 1])
        let comparison = LiveComparison(cache: cache, live: live)
        #expect(Set(comparison.ratios.keys) == ["stats", "all"])
        let ratio = comparison.ratios["stats"]!
        #expect(abs(ratio.p50! - 4) < 0.01)
        #expect(abs(ratio.throughput! - (101.0 / 4) / 50) < 0.001)
        #expect(cache.text.contains("200 requests in 2.0 s: 100.0 req/s, 200 ok, 0 errors"))
        #expect(comparison.text.contains("stats"))
    }

    static func root(_ n: UInt64, size: UInt32) -> WorkloadSample.Root {
        WorkloadSample.Root(id: UserID(high: 0, low: n), downlineSize: size)
    }

    @Test("roots group by subtree size; leaves and repeats are dropped")
    func grouping() {
        let groups = WorkloadSample.group([
            Self.root(1, size: 0), Self.root(2, size: 10), Self.root(3, size: 11), Self.root(4, size: 1000),
            Self.root(5, size: 10_001), Self.root(5, size: 10_001), Self.root(6, size: 5),
        ])
        #expect(groups.map { $0.map(\.id.low) } == [[2, 6], [3, 4], [], [5]])
        let sample = WorkloadSample(
            rootsBySize: groups, namePrefixes: [], roles: [], districts: [], today: Day(daysSinceEpoch: 0))
        #expect(sample.rootsBySize.count == 3)
    }

    @Test("the factory draws every size group and reproduces a seed")
    func factory() throws {
        let sample = WorkloadSample(
            rootsBySize: WorkloadSample.group([
                Self.root(1, size: 3), Self.root(2, size: 500), Self.root(3, size: 50_000),
            ]),
            namePrefixes: ["Ra"], roles: ["DPOC"], districts: ["Patna"], today: Day(iso: "2026-01-31")!)
        let factory = try RequestFactory(sample: sample)
        var generator = SplitMix64(seed: 1)
        var roots: Set<UInt64> = []
        var windows: Set<String> = []
        for _ in 0..<300 {
            guard case .stats(let query) = factory.make(.stats, using: &generator) else {
                Issue.record("stats made another call")
                return
            }
            roots.insert(query.root.low)
            windows.insert("\(query.registrations.from?.isoString ?? "-")..\(query.registrations.to?.isoString ?? "-")")
        }
        #expect(roots == [1, 2, 3])
        #expect(windows == ["-..-", "2026-01-25..2026-01-31", "2026-01-02..2026-01-31", "2025-11-03..2026-01-31"])
        var a = SplitMix64(seed: 9)
        var b = SplitMix64(seed: 9)
        for kind in CallKind.allCases {
            let call = factory.make(kind, using: &a)
            #expect(call.kind == kind)
            #expect(call == factory.make(kind, using: &b))
        }
        #expect(throws: LoadError.self) {
            try RequestFactory(
                sample: WorkloadSample(
                    rootsBySize: [], namePrefixes: [], roles: [], districts: [], today: Day(daysSinceEpoch: 0)))
        }
    }
}
