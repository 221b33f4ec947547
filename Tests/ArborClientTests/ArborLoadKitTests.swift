import ArborClient
import ArborLoadKit
import Testing

@Suite("arbor-load pure parts")
struct ArborLoadKitTests {
    @Test("mixes parse, and tickets map to calls by weight")
    func mix() throws {
        let mix = try WorkloadMix(parsing: "descendants=1,stats=3,leaderboard=0,find")
        #expect(mix.description == "descendants=1,stats=3,find=1")
        #expect(mix.totalWeight == 5)
        #expect((0..<5).map { mix.call(forTicket: $0) } == [.descendants, .stats, .stats, .stats, .find])
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

    @Test("calls a model cannot answer leave the mix; nothing left is an error")
    func mixWithout() throws {
        #expect(
            try WorkloadMix.standard.without([.stats]).description == "descendants=1,ancestors=1,leaderboard=1,find=1")
        #expect(throws: LoadError.self) { try WorkloadMix(parsing: "stats=2").without([.stats]) }
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
            elapsedSeconds: 2, byCall: [.stats: fast, .find: fast])
        #expect(cache.total.requests == 200 && cache.total.ok == 200)
        #expect(cache.total.throughput_per_s == 100)
        #expect(Set(cache.calls.keys) == ["stats", "find"])
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

    static func root(_ n: Int, size: UInt32) -> WorkloadSample.Root {
        WorkloadSample.Root(id: String(n), downlineSize: size)
    }

    @Test("roots group by subtree size in the order they came; leaves and repeats are dropped")
    func grouping() {
        let groups = WorkloadSample.group([
            Self.root(1, size: 0), Self.root(6, size: 5), Self.root(2, size: 10), Self.root(3, size: 11),
            Self.root(4, size: 1000), Self.root(5, size: 10_001), Self.root(5, size: 10_001),
        ])
        #expect(groups.map { $0.map(\.id) } == [["6", "2"], ["3", "4"], [], ["5"]])
        let sample = WorkloadSample(rootsBySize: groups, nodes: [], labelPrefixes: [], attributes: [], sources: [])
        #expect(sample.rootsBySize.count == 3)
    }

    static let sales = WorkloadSample.Source(
        name: "sales", dimensions: ["channel"], measures: ["count", "amount"], lastDay: Day(iso: "2026-01-31")!)

    static func sample(sources: [WorkloadSample.Source] = [sales], prefixes: [String] = ["Ra"]) -> WorkloadSample {
        WorkloadSample(
            rootsBySize: WorkloadSample.group([
                Self.root(1, size: 3), Self.root(2, size: 500), Self.root(3, size: 50_000),
            ]),
            nodes: ["7", "8"], labelPrefixes: prefixes,
            attributes: [.init(name: "role", values: ["DPOC"]), .init(name: "empty", values: [])], sources: sources)
    }

    @Test("the factory draws every size group, windows ending on the source's last day, and reproduces a seed")
    func factory() throws {
        let factory = try RequestFactory(sample: Self.sample())
        #expect(factory.sample.attributes.map(\.name) == ["role"])
        #expect(factory.unanswerable.isEmpty)
        var generator = SplitMix64(seed: 1)
        var roots: Set<String> = []
        var windows: Set<String> = []
        var groupings: Set<[String]> = []
        for _ in 0..<300 {
            guard case .stats(let query) = factory.make(.stats, using: &generator) else {
                Issue.record("stats made another call")
                return
            }
            roots.insert(query.root)
            windows.insert("\(query.events.from?.isoString ?? "-")..\(query.events.to?.isoString ?? "-")")
            groupings.insert(query.groupBy)
            #expect(query.events.source == "sales")
            #expect(query.filter.allSatisfy { $0 == Match("role", in: ["DPOC"]) })
        }
        #expect(roots == ["1", "2", "3"])
        #expect(windows == ["-..-", "2026-01-25..2026-01-31", "2026-01-02..2026-01-31", "2025-11-03..2026-01-31"])
        #expect(groupings == [[], ["day"], ["week"], ["month"], ["role"], ["day", "role"], ["channel"]])
        var metrics: Set<LeaderboardQuery.Metric> = []
        for _ in 0..<300 {
            guard case .leaderboard(let query) = factory.make(.leaderboard, using: &generator) else { return }
            metrics.insert(query.metric)
            if query.metric == .downlineMatching { #expect(!query.downlineFilter.isEmpty) }
        }
        #expect(metrics == Set(LeaderboardQuery.Metric.allCases))
        guard case .ancestors(let query) = factory.make(.ancestors, using: &generator) else {
            Issue.record("ancestors made another call")
            return
        }
        #expect(["7", "8"].contains(query.root))
        #expect(factory.make(.find, using: &generator) == .find(NodeSearch(labelPrefix: "Ra", pageSize: 20)))
        var a = SplitMix64(seed: 9)
        var b = SplitMix64(seed: 9)
        for kind in CallKind.allCases {
            let call = factory.make(kind, using: &a)
            #expect(call.kind == kind)
            #expect(call == factory.make(kind, using: &b))
        }
        #expect(throws: LoadError.self) {
            try RequestFactory(
                sample: WorkloadSample(rootsBySize: [], nodes: [], labelPrefixes: [], attributes: [], sources: []))
        }
    }

    @Test("without event sources: stats cannot be made, leaderboards rank by structure, find uses attributes")
    func factoryWithoutSources() throws {
        let factory = try RequestFactory(sample: Self.sample(sources: [], prefixes: []))
        #expect(factory.unanswerable == [.stats])
        var generator = SplitMix64(seed: 3)
        for _ in 0..<100 {
            guard case .leaderboard(let query) = factory.make(.leaderboard, using: &generator) else { return }
            #expect(![.selfMeasure, .treeMeasure].contains(query.metric))
            #expect(query.events == .all && query.measure == nil)
        }
        #expect(
            factory.make(.find, using: &generator)
                == .find(NodeSearch(filter: [Match("role", in: ["DPOC"])], pageSize: 20)))
    }
}
