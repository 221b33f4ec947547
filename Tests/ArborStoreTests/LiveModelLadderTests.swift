import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// A ladder of 30 diamonds in the demo's tables has 2^30 root-to-bottom paths: live SQL that enumerates paths never
/// finishes, SQL that visits each node once answers in milliseconds.
@Suite struct LiveModelLadderTests {
    static let diamonds = 30

    /// User `n` as a uuid that orders as `n`.
    static func id(_ n: Int) -> String {
        "00000000-0000-4000-8000-\(String(repeating: "0", count: 12 - String(n).count))\(n)"
    }

    /// Rung `k`'s top is user 3k+1; its two sides are 3k+2 and 3k+3; the bottom of the last diamond is 3·30+1.
    static func top(_ k: Int) -> String { id(3 * k + 1) }

    static func edges(closingCycle: Bool) -> [(String, String)] {
        var edges: [(String, String)] = []
        for k in 0..<diamonds {
            let (left, right) = (id(3 * k + 2), id(3 * k + 3))
            edges += [(top(k), left), (top(k), right), (left, top(k + 1)), (right, top(k + 1))]
        }
        if closingCycle { edges.append((top(diamonds), top(0))) }
        return edges
    }

    @Test(arguments: [false, true])
    func everyCallAnswersFast(closingCycle: Bool) async throws {
        try await TestDatabase.withClient("ladder\(closingCycle)") { client in
            let users = (1...(3 * Self.diamonds + 1)).map(Self.id)
            let edges = Self.edges(closingCycle: closingCycle)
            let model = try await client.withTransaction { connection in
                try DemoOrganisation.createTables(on: connection)
                try connection.execute("INSERT INTO roles (name, level) VALUES ('VOLUNTEER', 1)")
                try connection.execute(
                    "INSERT INTO users (id, name, role) SELECT id, 'U' || id, 'VOLUNTEER' FROM unnest($1::text[]::uuid[]) id",
                    [.textArray(users)])
                try connection.execute(
                    "INSERT INTO user_hierarchy SELECT * FROM unnest($1::text[]::uuid[], $2::text[]::uuid[])",
                    [.textArray(edges.map(\.0)), .textArray(edges.map(\.1))])
                try connection.execute(
                    """
                    INSERT INTO registrations (created_by, created_at, registration_type, channel)
                    SELECT id, '2024-05-01 10:00:00+00', 'VOTER', 'APP' FROM unnest($1::text[]::uuid[]) id
                    """, [.textArray(users)])
                return try #require(try ModelCatalog.check(.demo, on: connection).resolved)
            }
            let live = LiveModelQueries(model: model)
            // Each call must answer within a generous bound: path enumeration would take hours, not seconds.
            let clock = ContinuousClock()
            var start = clock.now
            func lap(_ call: String) {
                #expect(clock.now - start < .seconds(2), "\(call) took \(clock.now - start)")
                start = clock.now
            }
            func answer<T: Sendable>(
                _ body: @escaping @Sendable (LiveModelQueries, PostgresConnection) throws -> T
            ) async throws -> T {
                try await live.run(client, deadline: nil, body).value
            }

            let descendants = try await answer {
                try $0.traverse(
                    NodeTraversalQuery(model: model, direction: .descendants, root: Self.top(0)), on: $1)
            }
            #expect(descendants.total == 90)
            #expect(descendants.entries.last?.id.canonical == Self.top(Self.diamonds))
            #expect(descendants.entries.last?.depth == 60)
            lap("Descendants")
            let ancestors = try await answer {
                try $0.traverse(
                    NodeTraversalQuery(model: model, direction: .ancestors, root: Self.top(Self.diamonds)), on: $1)
            }
            #expect(ancestors.total == 90)
            lap("Ancestors")

            let stats = try await answer { try $0.stats(EventStatsQuery(model: model, root: Self.top(0)), on: $1) }
            #expect(stats.totals == [91] && stats.nodesInScope == 91)
            lap("FilteredStats")
            let bounded = try await answer {
                try $0.stats(EventStatsQuery(model: model, root: Self.top(0), excludeRoot: true, maxDepth: 59), on: $1)
            }
            #expect(bounded.nodesInScope == 89)
            lap("FilteredStats with max_depth")

            let board = try await answer {
                try $0.rank(RankingQuery(model: model, metric: .downlineSize, limit: 2), on: $1)
            }
            // With the cycle everyone reaches everyone else: 90 each, ties by id.
            #expect(board.rows.map(\.downlineSize) == (closingCycle ? [90, 90] : [90, 88]))
            #expect(board.rows.first?.treeValues == [90])
            lap("Leaderboard")

            let cycles = try await answer { try $0.cycles(limit: 0, on: $1) }
            #expect(cycles.total == (closingCycle ? 1 : 0))
            #expect(cycles.groups.first?.count == (closingCycle ? 91 : nil))
            lap("Cycles")
        }
    }
}
