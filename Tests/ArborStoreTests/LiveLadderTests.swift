import ArborModel
import ArborStore
import Testing

/// A ladder of 30 diamonds has 2^30 root-to-bottom paths: a traversal that enumerates paths never finishes, one
/// that visits each user once answers in milliseconds.
@Suite struct LiveLadderTests {
    static let diamonds = 30

    /// Rung `k`'s top is user 3k+1; its two sides are 3k+2 and 3k+3; the bottom of the last diamond is 3·30+1.
    static func top(_ k: Int) -> UserID { UserID(high: 0, low: UInt64(3 * k + 1)) }

    static func ladder(closingCycle: Bool) -> (users: [UserRow], edges: [EdgeRow]) {
        var users: [UserRow] = []
        var edges: [EdgeRow] = []
        for n in 1...(3 * diamonds + 1) {
            users.append(UserRow(id: UserID(high: 0, low: UInt64(n)), name: "U\(n)", role: "VOLUNTEER"))
        }
        for k in 0..<diamonds {
            let left = UserID(high: 0, low: UInt64(3 * k + 2))
            let right = UserID(high: 0, low: UInt64(3 * k + 3))
            edges += [
                EdgeRow(parent: top(k), child: left), EdgeRow(parent: top(k), child: right),
                EdgeRow(parent: left, child: top(k + 1)), EdgeRow(parent: right, child: top(k + 1)),
            ]
        }
        if closingCycle { edges.append(EdgeRow(parent: top(diamonds), child: top(0))) }
        return (users, edges)
    }

    @Test(arguments: [false, true])
    func everyCallAnswersFast(closingCycle: Bool) async throws {
        try await TestDatabase.withMigratedClient("ladder\(closingCycle)", timeZone: "UTC") { client in
            let (users, edges) = Self.ladder(closingCycle: closingCycle)
            try await GraphLoader.load(
                roles: [RoleRow(name: "VOLUNTEER", level: 1)], users: users, edges: edges,
                registrations: users.map { ($0.id, "2024-05-01 10:00:00+00", "VOTER", "APP") }, into: client)
            let live = LiveQueries(client: client)
            // Each call must answer within a generous bound: path enumeration would take hours, not seconds.
            let clock = ContinuousClock()
            var start = clock.now
            func lap(_ call: String) {
                #expect(clock.now - start < .seconds(2), "\(call) took \(clock.now - start)")
                start = clock.now
            }

            let descendants = try await live.descendants(DescendantsQuery(root: Self.top(0)), deadline: nil).value
            #expect(descendants.total == 90)
            #expect(descendants.entries.last == DescendantEntry(id: Self.top(Self.diamonds), depth: 60))
            lap("Descendants")

            let stats = try await live.filteredStats(FilteredStatsQuery(root: Self.top(0)), deadline: nil).value
            #expect(stats.totalRegistrations == 91 && stats.usersInScope == 91)
            lap("FilteredStats")
            let bounded = try await live.filteredStats(
                FilteredStatsQuery(root: Self.top(0), excludeRoot: true, maxDepth: 59), deadline: nil
            ).value
            #expect(bounded.usersInScope == 89)
            lap("FilteredStats with max_depth")

            let board = try await live.leaderboard(LeaderboardQuery(metric: .downlineSize, limit: 2), deadline: nil)
                .value
            // With the cycle everyone reaches everyone else: 90 each, ties by id.
            #expect(board.rows.map(\.downlineSize) == (closingCycle ? [90, 90] : [90, 88]))
            #expect(board.rows.first?.treeRegistrations == 90)
            lap("Leaderboard")

            let cycles = try await live.cycles(CyclesQuery(), deadline: nil).value
            #expect(cycles.total == (closingCycle ? 1 : 0))
            #expect(cycles.cycles.first?.count == (closingCycle ? 91 : nil))
            lap("Cycles")
        }
    }
}
