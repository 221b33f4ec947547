import ArborModel
import ArborTestSupport
import Testing

@testable import ArborStore

/// The generated SQL binds every request value with its column's type, so the server plans with constants and
/// never converts a parameter per row (the demo-only live SQL before the model bound dates as text and cast them
/// again for each of 9.3 M rows).
@Suite struct LiveModelSQLTests {
    func plan(_ statement: (sql: String, binds: [PostgresBind]), _ h: LiveModelHarness) async throws -> String {
        try await h.client.withConnection { connection in
            try connection.execute("SELECT set_config('TimeZone', 'UTC', false)")
            return try connection.query("EXPLAIN (VERBOSE, COSTS OFF) " + statement.sql, statement.binds)
                .map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
        }
    }

    @Test func datesZonesAndIDsArePlannedAsConstants() async throws {
        try await LiveModelFixture.integerParentColumn.run { h in
            let m = h.model
            let stats = try h.live.statsStatement(
                EventStatsQuery(
                    model: m, root: "1", eventMatches: [ValueMatch(name: "channel", values: ["web"])],
                    fromDate: "2024-03-10", toDate: "2024-11-03", groupBy: ["week", "level"], measures: ["amount"]))
            let statsPlan = try await plan(stats, h)
            #expect(statsPlan.contains("'2024-03-10'::date") && statsPlan.contains("'2024-11-03'::date"))
            #expect(statsPlan.contains("'America/New_York'::text"))
            #expect(!statsPlan.contains("::text)::date"), "a date converted from text:\n\(statsPlan)")
            // The window's bounds on the time column itself are folded to instants: no arithmetic left per row.
            #expect(!statsPlan.contains("- 2)") && !statsPlan.contains("+ 3)"), "\(statsPlan)")
            #expect(statsPlan.contains("'{web}'::text[]"))
            #expect(statsPlan.contains("'1'::bigint"))
            #expect(
                statsPlan.contains("\"Sold At\" >= '2024-03-08 05:00:00+00'"),
                "the window serves the index on the time:\n\(statsPlan)")

            let find = h.live.findStatement(try FindNodesQuery(model: m, labelPrefix: "Ash", ids: ["1", "7"]))
            let findPlan = try await plan(find, h)
            #expect(findPlan.contains("'{1,7}'::bigint[]") && findPlan.contains("'ash'::text"), "\(findPlan)")

            let traversal = h.live.traversalStatement(
                try NodeTraversalQuery(
                    model: m, direction: .descendants, root: "1", maxDepth: 2,
                    filter: [ValueMatch(name: "level", values: ["2", "10"])], limit: 5))
            let traversalPlan = try await plan(traversal, h)
            #expect(traversalPlan.contains("'{2,10}'::bigint[]") && traversalPlan.contains("'{1}'::bigint[]"))
        }
    }

    @Test func smallIntegerIDsBindAsSmallint() async throws {
        try await TestDatabase.withClient { client in
            let model = DataModel(
                nodes: DataModel.Nodes(table: DataModel.TableName(name: "s"), id: "id"),
                hierarchy: .edges(table: DataModel.TableName(name: "e"), parent: "up", child: "down"))
            let resolved = try await client.withConnection { connection in
                // The edge columns are wider than the ids: a dangling 100000 must be ignored, not overflow.
                try connection.execute("CREATE TABLE s (id smallint PRIMARY KEY)")
                try connection.execute("INSERT INTO s VALUES (-3), (2), (10)")
                try connection.execute("CREATE TABLE e (up bigint, down bigint)")
                try connection.execute("INSERT INTO e VALUES (-3, 2), (-3, 10), (2, 100000), (100000, 10), (10, 10)")
                return try ModelCatalog.check(model, on: connection)
            }
            let h = LiveModelHarness(client: client, live: LiveModelQueries(model: try #require(resolved.resolved)))
            let m = h.model
            let down = try await h.traverse(NodeTraversalQuery(model: m, direction: .descendants, root: "-3"))
            #expect(down.entries == [entry(int(2), 1, int(-3)), entry(int(10), 1, int(-3))])
            let found = try await h.find(FindNodesQuery(model: m, ids: ["10", "-3", "7"]))
            #expect(found.nodes.map(\.id) == [int(-3), int(10)])
            let findPlan = try await plan(h.live.findStatement(try FindNodesQuery(model: m, ids: ["10", "-3"])), h)
            #expect(findPlan.contains("'{10,-3}'::smallint[]"), "\(findPlan)")
            #expect(try await h.cycles(limit: 0).groups == [[int(10)]])
            let facts = try await h.facts()
            #expect(facts.nodes == 3 && facts.edges == 3 && facts.cycleGroups == 1)
            let rows = try await client.withReadOnlySnapshot { try ModelRows.read(m, on: $0) }
            #expect(rows.edges.count == 3)  // the pairs with 100000 cannot name a smallint node
        }
    }
}
