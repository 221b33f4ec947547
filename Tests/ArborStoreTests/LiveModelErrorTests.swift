import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// What the live path refuses, and in which order: closed values, then unknown roots; sums past 64 bits.
@Suite struct LiveModelErrorTests {
    @Test func closedValuesThenUnknownNodes() async throws {
        try await LiveModelFixture.integerParentColumn.run { h in
            let m = h.model
            let boss = [ValueMatch(name: "role", values: ["Agent", "Boss"])]
            let traversal = try await h.queryError {
                _ = try await h.traverse(
                    NodeTraversalQuery(model: m, direction: .descendants, root: "500", filter: boss))
            }
            #expect(traversal?.code == .invalidArgument)
            #expect(traversal?.message == "filter[0].values: \"Boss\" is not a known role")
            let unknown = try await h.queryError {
                _ = try await h.traverse(
                    NodeTraversalQuery(
                        model: m, direction: .descendants, root: "500",
                        filter: [ValueMatch(name: "role", values: ["Intern"])]))
            }
            #expect(unknown == QueryError.unknownNode(int(500), field: "root"))
            // "" is not in the list either, negated or not.
            let empty = try await h.queryError {
                _ = try await h.stats(
                    EventStatsQuery(
                        model: m, root: "1", filter: [ValueMatch(name: "role", values: [""], negate: true)]))
            }
            #expect(empty?.code == .invalidArgument && empty?.field == "filter[0].values")
            let stats = try await h.queryError { _ = try await h.stats(EventStatsQuery(model: m, root: "0")) }
            #expect(stats == QueryError.unknownNode(int(0), field: "root"))
            let downline = try await h.queryError {
                _ = try await h.rank(
                    RankingQuery(model: m, within: "501", downlineFilter: [ValueMatch(name: "role", values: ["CFO"])]))
            }
            #expect(downline?.field == "downline_filter[0].values")
            let within = try await h.queryError { _ = try await h.rank(RankingQuery(model: m, within: "501")) }
            #expect(within == QueryError.unknownNode(int(501), field: "within"))
            let find = try await h.queryError {
                _ = try await h.find(FindNodesQuery(model: m, filter: [ValueMatch(name: "role", values: ["ceo"])]))
            }
            #expect(find?.message == "filter[0].values: \"ceo\" is not a known role")
            // Values of open attributes simply match nothing.
            let open = try await h.find(FindNodesQuery(model: m, filter: [ValueMatch(name: "city", values: ["Oslo"])]))
            #expect(open.nodes.isEmpty)
        }
    }

    /// `c(id, parent, grp)`: 1 a; 2 b under 1; 3 c under 1. Events `big`: 2 on 01-01 max, 2 on 01-02 -5,
    /// 3 twice on 01-03 max and 1.
    @Test func sumsPastSixtyFourBits() async throws {
        try await TestDatabase.withClient { client in
            let model = DataModel(
                nodes: DataModel.Nodes(
                    table: DataModel.TableName(name: "c"), id: "id",
                    attributes: [DataModel.Attribute(name: "grp", column: "grp")]),
                hierarchy: .parentColumn("parent"),
                sources: [
                    DataModel.EventSource(
                        name: "ledger", table: DataModel.TableName(name: "ledger"), node: "node", time: "day",
                        measures: [DataModel.Measure(name: "big", column: "big")])
                ])
            let resolved = try await client.withConnection { connection in
                for statement in [
                    "CREATE TABLE c (id integer PRIMARY KEY, parent integer, grp text)",
                    "INSERT INTO c VALUES (1, NULL, 'a'), (2, 1, 'b'), (3, 1, 'c')",
                    "CREATE TABLE ledger (node integer, day date, big bigint)",
                    """
                    INSERT INTO ledger VALUES (2, '2024-01-01', 9223372036854775807), (2, '2024-01-02', -5),
                        (3, '2024-01-03', 9223372036854775807), (3, '2024-01-03', 1)
                    """,
                ] {
                    try connection.execute(statement)
                }
                return try ModelCatalog.check(model, on: connection)
            }
            let h = LiveModelHarness(client: client, live: LiveModelQueries(model: try #require(resolved.resolved)))
            let m = h.model
            let outOfRange = QueryError.sumOutOfRange("big")

            let two = try await h.stats(
                EventStatsQuery(model: m, root: "2", groupBy: ["day"], measures: ["count", "big"]))
            #expect(
                two.rows == [
                    statsRow(["2024-01-01"], [1, .max], nodes: 1), statsRow(["2024-01-02"], [1, -5], nodes: 1),
                ])
            #expect(two.totals == [2, .max - 5])
            #expect(
                try await h.queryError {
                    _ = try await h.stats(EventStatsQuery(model: m, root: "1", measures: ["big"]))
                } == outOfRange)
            // A group on a later page past the range refuses the whole answer.
            let paged = try await h.queryError {
                _ = try await h.stats(
                    EventStatsQuery(model: m, root: "1", groupBy: ["node"], measures: ["big"], limit: 1))
            }
            #expect(paged == outOfRange)
            #expect(try await h.stats(EventStatsQuery(model: m, root: "1", measures: ["count"])).totals == [4])
            let early = try await h.stats(EventStatsQuery(model: m, root: "1", toDate: "2024-01-02", measures: ["big"]))
            #expect(early.totals == [.max - 5])

            // Leaderboard: a returned row's value, or any ranked node's ordering value.
            #expect(try await h.queryError { _ = try await h.rank(RankingQuery(model: m)) } == outOfRange)
            let onlyB = try await h.rank(RankingQuery(model: m, filter: [ValueMatch(name: "grp", values: ["b"])]))
            #expect(onlyB.rows.map(\.selfValues) == [[2, .max - 5]] && onlyB.rows.map(\.treeValues) == [[0, 0]])
            let ordering = try await h.queryError {
                _ = try await h.rank(
                    RankingQuery(
                        model: m, metric: .selfMeasure, measure: "big", ascending: true,
                        filter: [ValueMatch(name: "grp", values: ["b", "c"])], limit: 1))
            }
            #expect(ordering == outOfRange)

            // The cached path's load refuses a (node, day) row past the range, naming the source and measure.
            do {
                _ = try await client.withReadOnlySnapshot { try ModelRows.read(m, on: $0) }
                Issue.record("the load should have failed")
            } catch let error as StoreError {
                #expect(error.message.contains("ledger") && error.message.contains("big"))
            }
        }
    }
}
