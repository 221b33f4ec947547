import ArborModel
import Testing

@testable import ArborIndex

/// Shapes that break naive implementations: a chain a million users deep (recursion would overflow the stack)
/// and a long ladder of diamonds (path enumeration would never finish).
@Suite struct DeepStructureTests {
    static func id(_ index: Int) -> UserID { UserID(high: 0, low: UInt64(index)) }

    @Test func millionLongChainBuildsAndAnswers() throws {
        let count = 1_000_000
        let users = (0..<count).map { UserRow(id: Self.id($0), name: "U\($0)", role: "VOLUNTEER") }
        // The chain closes into one big cycle at the end as well: 999_999 → 0 would make it one component, so
        // only the last 1000 users form a cycle.
        var edges = (1..<count).map { EdgeRow(parent: Self.id($0 - 1), child: Self.id($0)) }
        edges.append(EdgeRow(parent: Self.id(count - 1), child: Self.id(count - 1000)))
        let rollups = [
            RollupRow(
                user: Self.id(count - 1), day: Day(iso: "2024-05-01")!, registrationType: "NEW", channel: nil,
                registrations: 2)
        ]
        let snapshot = try IndexSnapshot.build(
            roles: [RoleRow(name: "VOLUNTEER", level: 1)], users: users, edges: edges, rollups: rollups)

        let cycles = snapshot.cycles(CyclesQuery())
        #expect(cycles.total == 1)
        #expect(cycles.cycles.first == ((count - 1000)..<count).map(Self.id))

        let all = try snapshot.descendants(DescendantsQuery(root: Self.id(0), limit: 3))
        #expect(all.total == UInt64(count - 1))
        #expect(all.entries == [1, 2, 3].map { DescendantEntry(id: Self.id($0), depth: UInt32($0)) })

        let top = try snapshot.leaderboard(LeaderboardQuery(metric: .downlineSize, limit: 2))
        #expect(top.rows.map(\.downlineSize) == [UInt32(count - 1), UInt32(count - 2)])
        #expect(top.rows.map(\.treeRegistrations) == [2, 2])

        let stats = try snapshot.filteredStats(FilteredStatsQuery(root: Self.id(0), excludeRoot: true))
        #expect(stats.totalRegistrations == 2 && stats.usersInScope == UInt32(count - 1))
    }

    @Test func longLadderOfDiamondsStaysFast() throws {
        // t(k) → a(k), t(k) → b(k), a(k) → t(k+1), b(k) → t(k+1): 2^rungs paths from t(0) to the bottom.
        let rungs = 3000
        func t(_ k: Int) -> UserID { UserID(high: 1, low: UInt64(k)) }
        func a(_ k: Int) -> UserID { UserID(high: 2, low: UInt64(k)) }
        func b(_ k: Int) -> UserID { UserID(high: 3, low: UInt64(k)) }
        let users =
            (0...rungs).map { UserRow(id: t($0), role: "T") }
            + (0..<rungs).flatMap {
                [UserRow(id: a($0), role: "A"), UserRow(id: b($0), role: "A")]
            }
        let edges = (0..<rungs).flatMap {
            [
                EdgeRow(parent: t($0), child: a($0)), EdgeRow(parent: t($0), child: b($0)),
                EdgeRow(parent: a($0), child: t($0 + 1)), EdgeRow(parent: b($0), child: t($0 + 1)),
            ]
        }
        let rollups = (0...rungs).map {
            RollupRow(user: t($0), day: Day(iso: "2024-05-01")!, registrationType: nil, channel: nil, registrations: 1)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let snapshot = try IndexSnapshot.build(
            roles: [RoleRow(name: "T", level: 1), RoleRow(name: "A", level: 2)], users: users, edges: edges,
            rollups: rollups)
        let all = try snapshot.descendants(DescendantsQuery(root: t(0)))
        let board = try snapshot.leaderboard(LeaderboardQuery(limit: 3))
        let stats = try snapshot.filteredStats(FilteredStatsQuery(root: t(0)))
        let elapsed = clock.now - started

        #expect(all.total == UInt64(3 * rungs))
        #expect(all.entries.last == DescendantEntry(id: t(rungs), depth: UInt32(2 * rungs)))
        #expect(board.rows.map(\.userID) == [t(0), a(0), b(0)])
        #expect(board.rows.map(\.treeRegistrations) == [UInt64(rungs), UInt64(rungs), UInt64(rungs)])
        #expect(board.rows.map(\.downlineSize) == [UInt32(3 * rungs), UInt32(3 * rungs - 2), UInt32(3 * rungs - 2)])
        #expect(stats.totalRegistrations == UInt64(rungs + 1))
        #expect(elapsed < .seconds(10), "took \(elapsed); linear work should take milliseconds")
    }

    @Test func rollupsSpanningTooManyDaysAreRejected() {
        let user = UserRow(id: Self.id(1))
        let rollups = [
            RollupRow(
                user: user.id, day: Day(iso: "1900-01-01")!, registrationType: nil, channel: nil, registrations: 1),
            RollupRow(
                user: user.id, day: Day(iso: "2200-01-01")!, registrationType: nil, channel: nil, registrations: 1),
        ]
        #expect(throws: IndexBuildError.self) {
            try IndexSnapshot.build(roles: [], users: [user], edges: [], rollups: rollups)
        }
        var builder = IndexSnapshotBuilder(roles: [], users: [user], edges: [])
        for rollup in rollups { builder.addRollup(rollup) }
        #expect(throws: IndexBuildError.self) { try builder.build() }
    }

    @Test func tooManyTypeChannelPairsAreRejected() {
        let user = UserRow(id: Self.id(1))
        let rollups = (0..<65537).map {
            RollupRow(
                user: user.id, day: Day(iso: "2024-05-01")!, registrationType: "T\($0 / 256)", channel: "C\($0 % 256)",
                registrations: 1)
        }
        #expect(throws: IndexBuildError.self) {
            try IndexSnapshot.build(roles: [], users: [user], edges: [], rollups: rollups)
        }
        var builder = IndexSnapshotBuilder(roles: [], users: [user], edges: [])
        for rollup in rollups { builder.addRollup(rollup) }
        #expect(throws: IndexBuildError.self) { try builder.build() }
    }

    @Test func largeCountsAreSummedExactly() throws {
        let user = UserRow(id: Self.id(1))
        let child = UserRow(id: Self.id(2))
        let huge = Int64(RollupTable.maximumCount / 2) + 5
        let rollups = [
            RollupRow(
                user: child.id, day: Day(iso: "2024-05-01")!, registrationType: "NEW", channel: nil, registrations: huge
            )
        ]
        let snapshot = try IndexSnapshot.build(
            roles: [], users: [user, child], edges: [EdgeRow(parent: user.id, child: child.id)], rollups: rollups)
        let stats = try snapshot.filteredStats(FilteredStatsQuery(root: user.id, groupBy: [.day]))
        #expect(stats.rows == [StatsRow(keys: ["2024-05-01"], registrations: UInt64(huge), registeringUsers: 1)])
        let board = try snapshot.leaderboard(
            LeaderboardQuery(registrations: RegistrationFilter(types: ["NEW"]), limit: 1))
        #expect(board.rows.first?.treeRegistrations == UInt64(huge))
        var builder = IndexSnapshotBuilder(
            roles: [], users: [user, child], edges: [EdgeRow(parent: user.id, child: child.id)])
        for rollup in rollups { builder.addRollup(rollup) }
        let streamed = try builder.build()
        #expect(try streamed.filteredStats(FilteredStatsQuery(root: user.id, groupBy: [.day])) == stats)
    }

    /// Days that drift from the first one by up to 60,000 days in both directions still go straight into place
    /// (the writer moves its base), and answers match a build of the same rows.
    @Test func packsSpanningManyDaysMoveTheBaseAndStayInPlace() throws {
        let users = (1...3).map { UserRow(id: Self.id($0)) }
        let start = Day(iso: "2000-01-01")!
        let days: [Int32] = [0, -30000, 29000, 5, 29999]
        var builder = IndexSnapshotBuilder(
            roles: [], users: users, edges: [], kinds: [RollupKind(code: 9, registrationType: "NEW", channel: nil)])
        var rows: [RollupRow] = []
        for (index, user) in users.enumerated() {
            let entries = days.map {
                RollupEntry(day: start.advanced(by: $0 + Int32(index)), kind: 9, registrations: 70_000)
            }
            builder.addRollups(of: user.id, entries)
            rows += entries.map {
                RollupRow(user: user.id, day: $0.day, registrationType: "NEW", channel: nil, registrations: 70_000)
            }
        }
        #expect(builder.rollupsWrittenInPlace)
        let packed = try builder.build()
        let built = try IndexSnapshot.build(
            roles: [], users: users, edges: [], rollups: rows)
        for window in [(-30000, 30002), (-5, 10), (28000, 30002)] as [(Int32, Int32)] {
            let query = LeaderboardQuery(
                metric: .selfRegistrations,
                registrations: RegistrationFilter(from: start.advanced(by: window.0), to: start.advanced(by: window.1)),
                limit: 3)
            #expect(try packed.leaderboard(query) == built.leaderboard(query))
        }
        let everything = try packed.leaderboard(LeaderboardQuery(metric: .selfRegistrations, limit: 1))
        #expect(everything.rows.first?.selfRegistrations == 5 * 70_000)
    }

    /// A user's rows after a later user's move everything to staging; the snapshot is the same.
    @Test func rowsOutOfUserOrderGiveTheSameSnapshot() throws {
        let users = (1...4).map { UserRow(id: Self.id($0)) }
        let day = Day(iso: "2024-05-01")!
        let rows = [(1, 0, 3), (2, 1, 4), (3, 0, 5), (1, 2, 6), (4, 3, 7), (2, 0, 1)].map { user, offset, count in
            RollupRow(
                user: Self.id(user), day: day.advanced(by: offset), registrationType: "T\(offset % 2)", channel: nil,
                registrations: Int64(count))
        }
        var builder = IndexSnapshotBuilder(roles: [], users: users, edges: [])
        for row in rows.prefix(3) { builder.addRollup(row) }
        #expect(builder.rollupsWrittenInPlace)
        for row in rows.dropFirst(3) { builder.addRollup(row) }
        #expect(!builder.rollupsWrittenInPlace)
        let staged = try builder.build()
        let sorted = rows.sorted { ($0.user, $0.day.daysSinceEpoch) < ($1.user, $1.day.daysSinceEpoch) }
        var inPlace = IndexSnapshotBuilder(roles: [], users: users, edges: [])
        for row in sorted { inPlace.addRollup(row) }
        #expect(inPlace.rollupsWrittenInPlace)
        let direct = try inPlace.build()
        let query = LeaderboardQuery(metric: .selfRegistrations, limit: 4)
        #expect(try staged.leaderboard(query) == direct.leaderboard(query))
        #expect(try staged.leaderboard(query).rows.map(\.selfRegistrations) == [9, 7, 5, 5])
        for type in ["T0", "T1"] {
            let filtered = LeaderboardQuery(
                metric: .selfRegistrations, registrations: RegistrationFilter(types: [type]))
            #expect(try staged.leaderboard(filtered) == direct.leaderboard(filtered))
        }
    }

    @Test func countsAboveTheLimitAndUnknownKindsAreRejected() {
        let user = UserRow(id: Self.id(1))
        let day = Day(iso: "2024-05-01")!
        var builder = IndexSnapshotBuilder(roles: [], users: [user], edges: [])
        builder.addRollup(
            RollupRow(
                user: user.id, day: day, registrationType: nil, channel: nil,
                registrations: Int64(RollupTable.maximumCount) + 1))
        #expect(throws: IndexBuildError.self) { try builder.build() }

        var packs = IndexSnapshotBuilder(
            roles: [], users: [user], edges: [], kinds: [RollupKind(code: 1, registrationType: nil, channel: nil)])
        packs.addRollups(of: user.id, [RollupEntry(day: day, kind: 2, registrations: 1)])
        #expect(throws: IndexBuildError(message: "a rollup pack names kind 2, which arbor.rollup_kinds does not hold"))
        {
            try packs.build()
        }
    }
}
