import ArborIndex
import ArborModel
import Benchmark
import DemoShape

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident], timeUnits: .microseconds, warmupIterations: 3,
        maxDuration: .seconds(3), maxIterations: 1000)
    let snapshotSize = BenchmarkMetric.custom("snapshot arrays (MB)", useScalingFactor: false)
    let heavy = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident, snapshotSize], timeUnits: .milliseconds, warmupIterations: 1,
        maxDuration: .seconds(10), maxIterations: 5)

    let shapes: [(String, @Sendable () -> Prepared)] = [
        ("50k", { @Sendable in demo }), ("1M", { @Sendable in million }),
    ]
    for (label, prepared) in shapes {
        Benchmark("\(label): build snapshot from rows", configuration: heavy) { benchmark in
            let prepared = prepared()
            benchmark.startMeasurement()
            let snapshot = try prepared.build()
            benchmark.stopMeasurement()
            benchmark.measurement(
                .custom("snapshot arrays (MB)", useScalingFactor: false), snapshot.approximateByteCount >> 20)
            blackHole(snapshot)
        }

        Benchmark("\(label): Descendants(Raj)") { benchmark in
            let prepared = prepared()
            let query = DescendantsQuery(root: prepared.data.raj)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try prepared.snapshot.descendants(query)) }
        }

        Benchmark("\(label): FilteredStats(Raj, 45 days, role VOLUNTEER + district D7 + type NEW, by day)") {
            benchmark in
            let prepared = prepared()
            var registrations = prepared.window(days: 45)
            registrations.types = ["NEW"]
            let query = FilteredStatsQuery(
                root: prepared.data.raj, userFilter: UserFilter(roles: ["VOLUNTEER"], districts: ["D7"]),
                registrations: registrations, groupBy: [.day])
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try prepared.snapshot.filteredStats(query)) }
        }

        Benchmark("\(label): FilteredStats(Raj, 45 days, 2 roles + 350 districts + type NEW, by day)") { benchmark in
            let prepared = prepared()
            var registrations = prepared.window(days: 45)
            registrations.types = ["NEW"]
            let query = FilteredStatsQuery(
                root: prepared.data.raj,
                userFilter: UserFilter(roles: ["VOLUNTEER", "LEAD"], districts: (0..<350).map { "D\($0)" }),
                registrations: registrations, groupBy: [.day])
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try prepared.snapshot.filteredStats(query)) }
        }

        Benchmark("\(label): FilteredStats(Raj, 90 days, no filters, by day and channel)") { benchmark in
            let prepared = prepared()
            let query = FilteredStatsQuery(root: prepared.data.raj, groupBy: [.day, .channel])
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try prepared.snapshot.filteredStats(query)) }
        }

        Benchmark("\(label): Leaderboard(all users, 30 days, tree_registrations)") { benchmark in
            let prepared = prepared()
            let query = LeaderboardQuery(registrations: prepared.window(days: 30))
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try prepared.snapshot.leaderboard(query)) }
        }

        Benchmark("\(label): Leaderboard(all users, 30 days, type NEW, tree_registrations, limit 1000)") { benchmark in
            let prepared = prepared()
            var registrations = prepared.window(days: 30)
            registrations.types = ["NEW"]
            let query = LeaderboardQuery(registrations: registrations, limit: 1000)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try prepared.snapshot.leaderboard(query)) }
        }

        Benchmark("\(label): Leaderboard(within Raj, downline_role VOLUNTEER)") { benchmark in
            let prepared = prepared()
            let query = LeaderboardQuery(metric: .downlineRole("VOLUNTEER"), within: prepared.data.raj)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try prepared.snapshot.leaderboard(query)) }
        }

        Benchmark("\(label): Cycles") { benchmark in
            let prepared = prepared()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(prepared.snapshot.cycles(CyclesQuery())) }
        }

        Benchmark("\(label): FindUsers(prefix \"raj k\")") { benchmark in
            let prepared = prepared()
            let query = FindUsersQuery(namePrefix: "raj k", limit: 20)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try prepared.snapshot.findUsers(query)) }
        }
    }
}
