import ArborModel
import ArborTestSupport
import Testing

@testable import ArborStore

/// How the live SQL reads the rollups and walks the hierarchy: what makes it fast on a large organisation (see
/// `docs/live-queries.md`, "Reading the rollups"), and that the shortcuts give the answers of the plain reading.
@Suite struct LiveModelPlanTests {
    /// In the parent-column fixture the leaves are 4, 5, 20, 13 and 12; 12's parent (999) is no node, so it has
    /// no parent and is not folded.
    @Test func singleParentLeavesAreFoldedIntoTheirParent() async throws {
        try await LiveModelFixture.integerParentColumn.run { h in
            let sql = ModelSQL(h.model)
            let leaves = try await folded(sql, h.client)
            #expect(leaves == ["4→2", "5→2", "13→9", "20→7"])
        }
    }

    /// Folding is an optimisation, so when in doubt a node is not folded: two edge rows to one parent, or a child
    /// row naming no node, keep a leaf in the closure. An edge from a parent that is no node is ignored, as
    /// everywhere. The downline numbers are those of the unfolded hierarchy.
    ///
    /// ```
    /// p → l1 l2 l3 l3 l4 l5 l6     q → l2     ghost → l4     l5 → nobody     l6 → l6
    /// kind: p boss, q boss, l1 a, l2 b, l3 a, l4 NULL, l5 b, l6 a, r a
    /// ```
    @Test func foldingLeavesOutWhatItCannotProve() async throws {
        try await TestDatabase.withClient { client in
            let model = DataModel(
                nodes: DataModel.Nodes(
                    table: DataModel.TableName(name: "member"), id: "handle",
                    attributes: [DataModel.Attribute(name: "kind", column: "kind")]),
                hierarchy: .edges(table: DataModel.TableName(name: "link"), parent: "up", child: "down"))
            let resolved = try await client.withConnection { connection in
                try connection.execute("CREATE TABLE member (handle text PRIMARY KEY, kind text)")
                try connection.execute(
                    """
                    INSERT INTO member VALUES ('p', 'boss'), ('q', 'boss'), ('l1', 'a'), ('l2', 'b'), ('l3', 'a'),
                        ('l4', NULL), ('l5', 'b'), ('l6', 'a'), ('r', 'a')
                    """)
                try connection.execute("CREATE TABLE link (up text, down text)")
                try connection.execute(
                    """
                    INSERT INTO link VALUES ('p', 'l1'), ('p', 'l2'), ('q', 'l2'), ('p', 'l3'), ('p', 'l3'),
                        ('p', 'l4'), ('ghost', 'l4'), ('p', 'l5'), ('l5', 'nobody'), ('p', 'l6'), ('l6', 'l6')
                    """)
                return try ModelCatalog.check(model, on: connection)
            }
            let m = try #require(resolved.resolved)
            let leaves = try await folded(ModelSQL(m), client)
            #expect(leaves == ["l1→p", "l4→p"])

            let h = LiveModelHarness(client: client, live: LiveModelQueries(model: m))
            let board = try await h.rank(
                RankingQuery(
                    model: m, metric: .downlineMatching, downlineFilter: [ValueMatch(name: "kind", values: ["a"])],
                    breakdownBy: "kind", limit: 3))
            #expect(board.totalRanked == 9)
            #expect(
                board.rows == [
                    RankingRow(
                        rank: 1, id: txt("p"), label: "", attributes: [], selfValues: [], treeValues: [],
                        directChildren: 6, downlineSize: 6, downlineMatching: 3,
                        breakdown: [
                            KeyCount(key: "", count: 1), KeyCount(key: "a", count: 3), KeyCount(key: "b", count: 2),
                        ]),
                    RankingRow(
                        rank: 2, id: txt("l1"), label: "", attributes: [], selfValues: [], treeValues: [],
                        directChildren: 0, downlineSize: 0, downlineMatching: 0, breakdown: []),
                    RankingRow(
                        rank: 3, id: txt("l2"), label: "", attributes: [], selfValues: [], treeValues: [],
                        directChildren: 0, downlineSize: 0, downlineMatching: 0, breakdown: []),
                ])
            let sizes = try await h.rank(RankingQuery(model: m, metric: .downlineSize, limit: 2))
            #expect(sizes.rows.map(\.id) == [txt("p"), txt("q")] && sizes.rows.map(\.downlineSize) == [6, 1])
        }
    }

    /// The hand-written fixtures' events (time zones around DST, NULL and empty dimensions, rounding, nodes that
    /// are no node) give the same FilteredStats and Leaderboard answers from the rollups as from the events.
    @Test(arguments: LiveModelFixture.allCases) func rollupsAnswerAsTheEvents(fixture: LiveModelFixture) async throws {
        try await fixture.run { h in
            let m = h.model
            try await h.client.withConnection { _ = try ModelInstaller.install(m, on: $0) }
            let fromRollups = LiveModelHarness(client: h.client, live: LiveModelQueries(model: m, events: .rollups))
            // Open attributes only: a closed one would refuse `""` before either path reads anything.
            let (root, downline, breakdown) =
                fixture == .integerParentColumn
                ? ("1", ValueMatch(name: "city", values: [""], negate: true), "active")
                : ("R", ValueMatch(name: "vip", values: ["true"]), "tier")
            let keyNames = ["day", "week", "node"] + m.attributes.map(\.name)
            for source in m.sources {
                let dimensions = source.dimensions.map(\.name)
                var queries = [
                    try EventStatsQuery(model: m, root: root, source: source.name),
                    try EventStatsQuery(model: m, root: root, source: source.name, groupBy: ["month"]),
                    try EventStatsQuery(
                        model: m, root: root, excludeRoot: true, source: source.name, groupBy: ["node"] + dimensions,
                        measures: source.measures.map(\.name)),
                    try EventStatsQuery(
                        model: m, root: root, maxDepth: 2, source: source.name, fromDate: "2024-01-02",
                        toDate: "2024-11-03", groupBy: ["week"] + dimensions.prefix(1), limit: 2),
                ]
                for key in keyNames {
                    queries.append(
                        try EventStatsQuery(model: m, root: root, source: source.name, groupBy: [key, "month"]))
                }
                for query in queries {
                    let (rolled, read) = (try await fromRollups.stats(query), try await h.stats(query))
                    #expect(rolled == read, "\(query)")
                }
                for metric in [RankingMetric.treeMeasure, .selfMeasure, .downlineSize, .downlineMatching] {
                    let query = try RankingQuery(
                        model: m, metric: metric, source: source.name, fromDate: "2024-01-01",
                        downlineFilter: [downline], breakdownBy: breakdown, limit: 4)
                    let (rolled, read) = (try await fromRollups.rank(query), try await h.rank(query))
                    #expect(rolled == read, "\(query)")
                }
            }
        }
    }

    /// On an organisation large enough for plans to matter (3,000 nodes, four reports each, 60 days of events):
    /// FilteredStats reads each counted node's rows in the window from the rollup's key alone (its count and sums
    /// are included), never scanning the rollup; the downline closure skips the single-parent leaves.
    @Test func statsReadTheRollupKeyAndTheClosureSkipsLeaves() async throws {
        try await TestDatabase.withClient { client in
            let model = DataModel(
                timeZone: "UTC",
                nodes: DataModel.Nodes(table: DataModel.TableName(name: "org"), id: "id"),
                hierarchy: .parentColumn("boss"),
                sources: [
                    DataModel.EventSource(
                        name: "ev", table: DataModel.TableName(name: "ev"), node: "who", time: "at",
                        dimensions: ["ch"], measures: [DataModel.Measure(name: "amount", column: "amount", scale: 2)])
                ])
            let resolved = try await client.withConnection { connection in
                try connection.execute("CREATE TABLE org (id int8 PRIMARY KEY, boss int8)")
                try connection.execute(
                    "INSERT INTO org SELECT i, CASE WHEN i > 0 THEN (i - 1) / 4 END FROM generate_series(0, 2999) i")
                try connection.execute("CREATE TABLE ev (who int8, at date, ch text, amount numeric(10, 2))")
                try connection.execute(
                    """
                    INSERT INTO ev SELECT (i * 7919) % 3000, DATE '2024-01-01' + i % 60, (ARRAY['web', 'shop'])[1 + i % 2],
                        (i % 1000) / 100.0
                    FROM generate_series(1, 60000) i
                    """)
                return try ModelCatalog.check(model, on: connection)
            }
            let m = try #require(resolved.resolved)
            try await client.withConnection { connection in
                _ = try ModelInstaller.install(m, on: connection)
                try connection.execute("VACUUM (ANALYZE) arbor.rollup_ev")
                let key = try connection.query(
                    "SELECT indexdef FROM pg_indexes WHERE schemaname = 'arbor' AND indexname = 'rollup_ev_key'")
                #expect(
                    try key.first?.decode(String.self, at: 0).hasSuffix(
                        "INCLUDE (count, sum_amount) NULLS NOT DISTINCT") == true)
            }
            let live = LiveModelQueries(model: m, events: .rollups)
            let stats = try live.statsStatement(
                EventStatsQuery(
                    model: m, root: "1", fromDate: "2024-01-10", toDate: "2024-02-08", groupBy: ["day", "ch"],
                    measures: ["count", "amount"]))
            let plan = try await client.withConnection { connection in
                try connection.query("EXPLAIN " + stats.sql, stats.binds).map { try $0.decode(String.self, at: 0) }
                    .joined(separator: "\n")
            }
            #expect(plan.contains("Index Only Scan using rollup_ev_key on rollup_ev"), "\(plan)")
            #expect(!plan.contains("Seq Scan on rollup_ev"), "\(plan)")

            // Nodes 750…2999 are the leaves, each below one node: the closure has a pair per (ancestor, inner
            // node), Σ depth over the 750 inner nodes.
            var depth = [0]
            for i in 1..<3000 { depth.append(depth[(i - 1) / 4] + 1) }
            let pairs = (1..<750).reduce(0) { $0 + depth[$1] }
            let sql = ModelSQL(m)
            let closure = sql.closure(from: "(SELECT id FROM org) AS", skipping: "folded")
            let counted = try await client.withConnection { connection in
                try connection.query(
                    """
                    WITH RECURSIVE \(sql.singleParentLeaves(among: "\(sql.nodesTable) f", key: "f.\(sql.idColumn)")),
                    \(closure)
                    SELECT count(*) FROM closure
                    """
                ).first!.decode(Int64.self, at: 0)
            }
            #expect(counted == Int64(pairs))
        }
    }

    /// The `folded` relation as `leaf→parent`, in id order.
    func folded(_ sql: ModelSQL, _ client: PostgresClient) async throws -> [String] {
        let folded = sql.singleParentLeaves(among: "\(sql.nodesTable) f", key: "f.\(sql.idColumn)")
        return try await client.withConnection { connection in
            try connection.query(
                "WITH RECURSIVE \(folded) SELECT id::text, parent::text FROM folded ORDER BY folded.id"
            )
            .map { "\(try $0.decode(String.self, at: 0))→\(try $0.decode(String.self, at: 1))" }
        }
    }
}
