import ArborIndex
import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// Nobody renames their schema for Arbor: the demo organisation copied under other names (`org.staff`,
/// `org.reports_to`, `org.sales`, `org.positions`, every column renamed) and mapped by a model that says so gets the
/// same answers as the original, from the cache and from live SQL.
@Suite struct RenamedTablesTests {
    static let renamed = [
        "CREATE SCHEMA org",
        "CREATE TABLE org.positions AS SELECT name AS title FROM public.roles",
        """
        CREATE TABLE org.staff AS SELECT id AS staff_id, name AS full_name, role AS position, state AS region,
            district AS area, block AS unit, village AS town, status AS standing, app_installed AS has_app
        FROM public.users
        """,
        "CREATE TABLE org.reports_to AS SELECT parent_id AS boss, child_id AS report FROM public.user_hierarchy",
        """
        CREATE TABLE org.sales AS SELECT created_by AS seller, created_at AS sold_at, registration_type AS kind,
            channel AS via
        FROM public.registrations
        """,
    ]

    /// The demo model with every name changed; attribute and dimension names are columns' names, so the answers'
    /// keys are too.
    static var renamedModel: DataModel {
        let org = { (name: String) in DataModel.TableName(schema: "org", name: name) }
        return DataModel(
            timeZone: DataModel.demo.timeZone,
            nodes: DataModel.Nodes(
                table: org("staff"), id: "staff_id", label: "full_name",
                attributes: [
                    DataModel.Attribute(
                        name: "role", column: "position",
                        valuesFrom: DataModel.ColumnReference(table: org("positions"), column: "title")),
                    DataModel.Attribute(name: "state", column: "region"),
                    DataModel.Attribute(name: "district", column: "area"),
                    DataModel.Attribute(name: "block", column: "unit"),
                    DataModel.Attribute(name: "village", column: "town"),
                    DataModel.Attribute(name: "status", column: "standing"),
                    DataModel.Attribute(name: "app_installed", column: "has_app"),
                ]),
            hierarchy: .edges(table: org("reports_to"), parent: "boss", child: "report"),
            sources: [
                DataModel.EventSource(
                    name: "registrations", table: org("sales"), node: "seller", time: "sold_at",
                    dimensions: ["kind", "via"])
            ])
    }

    @Test func theDemoUnderOtherNamesAnswersAlike() async throws {
        try await TestDatabase.withClient { client in
            _ = try await DemoOrganisation.seed(
                DemoOrganisation.Options(users: 300, days: 20, registrations: 20_000, seed: 7), client: client)
            try await client.withConnection { connection in
                for statement in Self.renamed { try connection.execute(statement) }
            }
            let (original, renamed) = try await client.withConnection { connection in
                (
                    try ModelCatalog.check(.demo, on: connection).resolved!,
                    try ModelCatalog.check(Self.renamedModel, on: connection).resolved!
                )
            }
            try await client.withConnection { connection in
                _ = try ModelInstaller.install(original, on: connection)
            }
            func answers(_ model: ResolvedModel, events: ModelSQL.EventReading) async throws -> [String] {
                let rows = try await client.withReadOnlySnapshot { try ModelRows.read(model, events: events, on: $0) }
                let index = try ModelIndex(model: model, rows: rows)
                let live = LiveModelQueries(model: model, events: events)
                let raj = try index.find(FindNodesQuery(model: model, labelPrefix: "Raj")).nodes.first!.id.canonical
                // Dimension names differ between the two models: the renamed one names its columns.
                let kind = model.sources[0].dimensions[0].name
                let stats = try EventStatsQuery(
                    model: model, root: raj, filter: [ValueMatch(name: "role", values: ["VOLUNTEER", "DPR"])],
                    eventMatches: [ValueMatch(name: kind, values: ["VOTER"])], groupBy: ["day", "district"],
                    measures: ["count"])
                let ranking = try RankingQuery(
                    model: model, metric: .treeMeasure, breakdownBy: "role", attributes: ["role", "district"],
                    limit: 20)
                let traversal = try NodeTraversalQuery(
                    model: model, direction: .descendants, root: raj, includeRoot: true,
                    attributes: ["label", "role"], includeParents: true)
                let ancestors = try NodeTraversalQuery(
                    model: model, direction: .ancestors, root: raj, attributes: ["state"])
                let cached = [
                    "\(try index.stats(stats))", "\(try index.rank(ranking))", "\(try index.traverse(traversal))",
                    "\(try index.traverse(ancestors))", "\(index.cycles(limit: 0))", "\(index.facts())",
                ]
                let fromLive = try await client.withReadOnlySnapshot { connection in
                    [
                        "\(try live.stats(stats, on: connection))", "\(try live.rank(ranking, on: connection))",
                        "\(try live.traverse(traversal, on: connection))",
                        "\(try live.traverse(ancestors, on: connection))",
                        "\(try live.cycles(limit: 0, on: connection))", "\(try live.facts(on: connection))",
                    ]
                }
                #expect(cached == fromLive, "\(model.model.nodes.table)")
                return cached
            }
            let originalAnswers = try await answers(original, events: .rollups)
            let renamedAnswers = try await answers(renamed, events: .sourceTables)
            #expect(originalAnswers == renamedAnswers)
            #expect(originalAnswers[0].contains("EventStatsRow"))
        }
    }
}
