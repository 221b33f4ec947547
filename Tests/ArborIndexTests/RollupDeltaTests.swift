import ArborFixtures
import ArborModel
import Testing

@testable import ArborIndex

/// `IndexSnapshot.applying(rollupDeltas:)` against a fresh build of the updated rows.
@Suite struct RollupDeltaTests {
    /// A rollup row without its count: what a delta adds to.
    struct RollupKey: Hashable {
        var user: UserID
        var day: Day
        var type: String?
        var channel: String?
    }

    /// Random delta batches over a random graph, tracking the counts they lead to so that no count goes negative.
    struct RandomDeltas {
        var random: SeededGenerator
        let users: [UserID]
        /// Current counts of known users' keys (zero counts removed).
        var counts: [RollupKey: Int64] = [:]
        var unknownRows: [RollupRow] = []

        init(seed: UInt64, graph: RandomGraph) {
            random = SeededGenerator(seed: seed)
            users = graph.users.map(\.id)
            let known = Set(users)
            for row in graph.rollups {
                if known.contains(row.user) {
                    let key = RollupKey(
                        user: row.user, day: row.day, type: row.registrationType, channel: row.channel)
                    counts[key, default: 0] += row.registrations
                } else {
                    unknownRows.append(row)
                }
            }
        }

        /// The rows a build of the current state takes (rows of unknown users included; the build drops them).
        var rows: [RollupRow] {
            counts.map {
                RollupRow(
                    user: $0.key.user, day: $0.key.day, registrationType: $0.key.type, channel: $0.key.channel,
                    registrations: $0.value)
            } + unknownRows
        }

        mutating func add(_ key: RollupKey, _ delta: Int64, to batch: inout [RollupRow]) {
            batch.append(
                RollupRow(
                    user: key.user, day: key.day, registrationType: key.type, channel: key.channel,
                    registrations: delta))
            let count = counts[key, default: 0] + delta
            counts[key] = count == 0 ? nil : count
        }

        mutating func randomKey(dayOffsets: Range<Int32>) -> RollupKey {
            RollupKey(
                user: users.randomElement(using: &random)!,
                day: RandomGraph.firstDay.advanced(by: Int32.random(in: dayOffsets, using: &random)),
                type: RandomGraph.typePool.randomElement(using: &random)!,
                channel: RandomGraph.channelPool.randomElement(using: &random)!)
        }

        mutating func batch() -> [RollupRow] {
            var batch: [RollupRow] = []
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                switch Int.random(in: 0..<9, using: &random) {
                case 0:  // more registrations on an existing or new key inside the span
                    add(randomKey(dayOffsets: 0..<20), Int64.random(in: 1...4, using: &random), to: &batch)
                case 1, 2:  // fewer on an existing key, sometimes down to zero
                    guard let (key, count) = counts.randomElement(using: &random) else { continue }
                    let delta = Bool.random(using: &random) ? count : Int64.random(in: 1...count, using: &random)
                    add(key, -delta, to: &batch)
                case 3:  // a day before the span
                    add(randomKey(dayOffsets: -6..<0), Int64.random(in: 1...3, using: &random), to: &batch)
                case 4:  // a day after the span
                    add(randomKey(dayOffsets: 20..<26), Int64.random(in: 1...3, using: &random), to: &batch)
                case 5:  // a new (type, channel) pair
                    var key = randomKey(dayOffsets: 0..<20)
                    key.type = ["FRESH", "X", nil].randomElement(using: &random)!
                    key.channel = ["SMS", "", nil].randomElement(using: &random)!
                    add(key, Int64.random(in: 1...3, using: &random), to: &batch)
                case 6:  // a user the snapshot does not know: ignored, whatever the sign
                    batch.append(
                        RollupRow(
                            // Random graphs never set the middle bytes of `high`.
                            user: UserID(high: 0x00AB_0000_0000_0000, low: UInt64.random(in: 0...2, using: &random)),
                            day: RandomGraph.firstDay, registrationType: "NEW", channel: "APP",
                            registrations: Int64.random(in: -3...3, using: &random)))
                case 7:  // one key repeated in the batch: up, then partly down again
                    let key = randomKey(dayOffsets: -2..<22)
                    let up = Int64.random(in: 1...5, using: &random)
                    add(key, up, to: &batch)
                    add(key, -Int64.random(in: 1...up, using: &random), to: &batch)
                default:  // every row of one user removed
                    let user = users.randomElement(using: &random)!
                    for (key, count) in counts where key.user == user { add(key, -count, to: &batch) }
                }
            }
            if Int.random(in: 0..<6, using: &random) == 0, let key = counts.keys.first {
                // A zero delta changes nothing.
                add(key, 0, to: &batch)
            }
            return batch.shuffled(using: &random)
        }
    }

    static func build(_ graph: RandomGraph, rollups: [RollupRow]) throws -> IndexSnapshot {
        try IndexSnapshot.build(
            roles: graph.roles, users: graph.users, edges: graph.edges, rollups: rollups)
    }

    /// Both snapshots answer the same random queries alike (every accumulation path of FilteredStats included).
    static func expectSameAnswers(
        _ applied: IndexSnapshot, _ built: IndexSnapshot, _ queries: inout RandomQueries, _ label: String
    ) throws {
        for _ in 0..<6 {
            let stats = queries.filteredStats()
            let expected = Result { () throws(QueryError) in try built.filteredStats(stats) }
            for strategy in [.automatic, .sparse, .tuples] as [StatsGrouping.Strategy] {
                #expect(
                    Result { () throws(QueryError) in try applied.filteredStats(stats, strategy: strategy) }
                        == expected, "\(label) \(strategy): \(stats)")
            }
            let board = queries.leaderboard()
            #expect(
                Result { () throws(QueryError) in try applied.leaderboard(board) }
                    == Result { () throws(QueryError) in try built.leaderboard(board) }, "\(label): \(board)")
        }
        // Everything by day, type and channel: every row of the two snapshots, unwindowed.
        if let root = queries.users.first {
            let everything = FilteredStatsQuery(root: root, groupBy: [.user, .day, .registrationType, .channel])
            let leaders = LeaderboardQuery(metric: .selfRegistrations, limit: 1000)
            #expect(try applied.filteredStats(everything) == built.filteredStats(everything), "\(label)")
            #expect(try applied.leaderboard(leaders) == built.leaderboard(leaders), "\(label)")
        }
        let descendants = queries.descendants()
        #expect(
            Result { () throws(QueryError) in try applied.descendants(descendants) }
                == Result { () throws(QueryError) in try built.descendants(descendants) }, "\(label): \(descendants)")
    }

    @Test(arguments: 0..<300)
    func appliedDeltasAnswerLikeARebuild(seed: Int) throws {
        let graph = RandomGraph(seed: UInt64(seed))
        var deltas = RandomDeltas(seed: UInt64(seed) &* 31 &+ 1, graph: graph)
        var queries = RandomQueries(
            random: SeededGenerator(seed: UInt64(seed) &* 104_729), users: graph.users.map(\.id))
        let original = try Self.build(graph, rollups: graph.rollups)

        let first = deltas.batch()
        let second = deltas.batch()
        let expected = try Self.build(graph, rollups: deltas.rows)

        let once = try original.applying(rollupDeltas: first + second)
        try Self.expectSameAnswers(once, expected, &queries, "one batch")

        let twice = try original.applying(rollupDeltas: first)
            .applying(rollupDeltas: second)
        try Self.expectSameAnswers(twice, expected, &queries, "two batches")
        try Self.expectSameAnswers(twice, once, &queries, "two batches against one")
        Self.expectRunsSortedByDay(once.rollups)
        Self.expectRunsSortedByDay(twice.rollups)
        // The snapshot the deltas were applied to still answers as before.
        try Self.expectSameAnswers(
            original, try Self.build(graph, rollups: graph.rollups), &queries, "original afterwards")
    }

    static func expectRunsSortedByDay(_ table: RollupTable) {
        #expect(table.offsets.first == 0 && table.offsets.last == table.days.count)
        #expect(table.combinations.count == table.days.count && table.counts.count == table.days.count)
        for user in 0..<(table.offsets.count - 1) {
            let run = table.offsets[user]..<table.offsets[user + 1]
            #expect(zip(run.dropFirst(), run).allSatisfy { table.days[$0] >= table.days[$1] })
            #expect(run.allSatisfy { Int(table.days[$0]) < table.dayCount && table.counts[$0] > 0 })
            #expect(table.userTotals[user] == run.reduce(0) { $0 + UInt64(table.counts[$1]) })
        }
        #expect(table.combinations.allSatisfy { Int($0) < table.combinationType.count })
    }

    static let parent = UserRow(id: UserID(high: 0, low: 1), name: "P", role: "R")
    static let child = UserRow(id: UserID(high: 0, low: 2), name: "C", role: "R")
    static let may1 = Day(iso: "2024-05-01")!

    static func row(_ user: UserRow, _ day: Day, _ type: String?, _ registrations: Int64) -> RollupRow {
        RollupRow(user: user.id, day: day, registrationType: type, channel: "APP", registrations: registrations)
    }

    static func snapshot(_ rollups: [RollupRow]) throws -> IndexSnapshot {
        try IndexSnapshot.build(
            roles: [RoleRow(name: "R", level: 1)], users: [parent, child],
            edges: [EdgeRow(parent: parent.id, child: child.id)], rollups: rollups)
    }

    static let byDay = FilteredStatsQuery(root: parent.id, groupBy: [.user, .day, .registrationType])

    @Test func emptyBatchSharesEverything() throws {
        let original = try Self.snapshot([Self.row(Self.child, Self.may1, "NEW", 3)])
        let applied = try original.applying(rollupDeltas: [])
        #expect(try applied.filteredStats(Self.byDay) == original.filteredStats(Self.byDay))
        #expect(Self.address(applied.rollups.days) == Self.address(original.rollups.days))
        #expect(Self.address(applied.rollups.counts) == Self.address(original.rollups.counts))
    }

    @Test func untouchedStructuresAreSharedNotCopied() throws {
        let original = try Self.snapshot([Self.row(Self.child, Self.may1, "NEW", 3)])
        let applied = try original.applying(
            rollupDeltas: [Self.row(Self.parent, Self.may1, "NEW", 2)])
        #expect(Self.address(applied.hierarchy.children) == Self.address(original.hierarchy.children))
        #expect(Self.address(applied.hierarchy.reachLow) == Self.address(original.hierarchy.reachLow))
        #expect(Self.address(applied.columns.role) == Self.address(original.columns.role))
        #expect(Self.address(applied.names.bytes) == Self.address(original.names.bytes))
        #expect(Self.address(applied.rolePrefix) == Self.address(original.rolePrefix))
        #expect(Self.address(applied.userIDs) == Self.address(original.userIDs))
        #expect(Self.address(applied.rollups.days) != Self.address(original.rollups.days))
    }

    static func address<T>(_ array: [T]) -> UnsafeRawPointer? {
        array.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    @Test func deltasFillASnapshotWithoutRollups() throws {
        let rows = [
            Self.row(Self.child, Self.may1, "NEW", 3), Self.row(Self.parent, Self.may1.advanced(by: -3), nil, 1),
        ]
        let applied = try Self.snapshot([]).applying(rollupDeltas: rows)
        #expect(applied.rollups.firstDay == Self.may1.daysSinceEpoch - 3 && applied.rollups.dayCount == 4)
        #expect(try applied.filteredStats(Self.byDay) == Self.snapshot(rows).filteredStats(Self.byDay))
    }

    @Test func removingEveryRowOfAUserLeavesAnEmptyRun() throws {
        let rows = [
            Self.row(Self.child, Self.may1, "NEW", 3), Self.row(Self.child, Self.may1.advanced(by: 1), "NEW", 1),
            Self.row(Self.parent, Self.may1.advanced(by: 1), "RENEW", 4),
        ]
        let original = try Self.snapshot(rows)
        let applied = try original.applying(
            rollupDeltas: [
                Self.row(Self.child, Self.may1, "NEW", -3), Self.row(Self.child, Self.may1.advanced(by: 1), "NEW", -1),
            ])
        #expect(applied.rollups.offsets == [0, 1, 1])
        #expect(applied.rollups.userTotals == [4, 0])
        // The first day no longer has rows, so the span starts a day later, as a build would.
        #expect(applied.rollups.firstDay == Self.may1.daysSinceEpoch + 1 && applied.rollups.dayCount == 1)
        let expected = try Self.snapshot([rows[2]])
        #expect(try applied.filteredStats(Self.byDay) == expected.filteredStats(Self.byDay))
        let everything = try applied.applying(
            rollupDeltas: [Self.row(Self.parent, Self.may1.advanced(by: 1), "RENEW", -4)])
        #expect(everything.rollups.days.isEmpty && everything.rollups.offsets == [0, 0, 0])
        #expect(try everything.filteredStats(Self.byDay) == Self.snapshot([]).filteredStats(Self.byDay))
    }

    static let negativeBatches = [
        [row(child, may1, "NEW", -4)],  // below an existing count
        [row(child, may1, "RENEW", -1)],  // a key with no row
        [row(child, may1, "NEW", 2), row(child, may1, "NEW", -6)],  // the batch's sum
    ]

    @Test(arguments: RollupDeltaTests.negativeBatches)
    func countsDroppingBelowZeroAreRejected(deltas: [RollupRow]) throws {
        let original = try Self.snapshot([Self.row(Self.child, Self.may1, "NEW", 3)])
        let error = #expect(throws: IndexBuildError.self) {
            try original.applying(rollupDeltas: deltas)
        }
        #expect(error?.message.contains(Self.child.id.uuidString) == true, "\(String(describing: error))")
        #expect(error?.message.contains("2024-05-01") == true, "\(String(describing: error))")
    }

    @Test func largeCountsStayExact() throws {
        // Many rows of `Count.max` each; the limit is far above any real day.
        let huge = Int64(RollupTable.maximumCount / 4) + 9
        let original = try Self.snapshot([Self.row(Self.child, Self.may1, "NEW", 3)])
        let up = try original.applying(
            rollupDeltas: [Self.row(Self.child, Self.may1, "NEW", huge)])
        let builtUp = try Self.snapshot([Self.row(Self.child, Self.may1, "NEW", huge + 3)])
        #expect(try up.filteredStats(Self.byDay) == builtUp.filteredStats(Self.byDay))
        let down = try up.applying(
            rollupDeltas: [Self.row(Self.child, Self.may1, "NEW", -(huge - 1))])
        #expect(down.rollups.counts == [4])
        let overflow = #expect(throws: IndexBuildError.self) {
            try up.applying(
                rollupDeltas: [Self.row(Self.child, Self.may1, "NEW", Int64.max)])
        }
        #expect(overflow?.message.contains(Self.child.id.uuidString) == true)
    }

    @Test func daySpanLimitIsEnforcedOnTheResult() throws {
        let original = try Self.snapshot([Self.row(Self.child, Self.may1, "NEW", 3)])
        let far = Day(iso: "2400-01-01")!
        #expect(throws: IndexBuildError.self) {
            try original.applying(rollupDeltas: [Self.row(Self.parent, far, "NEW", 1)])
        }
        // The same far day is fine once the old day is gone: the span is that of the remaining rows.
        let moved = try original.applying(
            rollupDeltas: [Self.row(Self.parent, far, "NEW", 1), Self.row(Self.child, Self.may1, "NEW", -3)])
        #expect(
            try moved.filteredStats(Self.byDay)
                == Self.snapshot([Self.row(Self.parent, far, "NEW", 1)]).filteredStats(Self.byDay))
    }

    @Test func pairLimitIsEnforcedOnTheResult() throws {
        let rows = (0..<65536).map { Self.row(Self.child, Self.may1, "T\($0)", 1) }
        let original = try Self.snapshot(rows)
        #expect(throws: IndexBuildError.self) {
            try original.applying(
                rollupDeltas: [Self.row(Self.parent, Self.may1, "FRESH", 1)])
        }
        // A new pair fits when the batch removes the last row of another one.
        let swapped = try original.applying(
            rollupDeltas: [Self.row(Self.parent, Self.may1, "FRESH", 1), Self.row(Self.child, Self.may1, "T7", -1)])
        var expectedRows = rows
        expectedRows.remove(at: 7)
        expectedRows.append(Self.row(Self.parent, Self.may1, "FRESH", 1))
        let expected = try Self.snapshot(expectedRows)
        for types in [["FRESH"], ["T7"], ["T8", "T65535"]] {
            let query = FilteredStatsQuery(
                root: Self.parent.id, registrations: RegistrationFilter(types: types),
                groupBy: [.user, .registrationType])
            #expect(try swapped.filteredStats(query) == expected.filteredStats(query), "\(types)")
        }
        #expect(try swapped.filteredStats(Self.byDay) == expected.filteredStats(Self.byDay))
    }
}
