import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// `migrate --model` on text ids under names that need quoting, a many-to-many edge table with duplicate edges,
/// an event source that is the nodes table itself (a `date` time, boolean and integer dimensions), a second source
/// with a `timestamp` time, and a closed attribute.
@Suite struct ModelInstallEdgeTableTests {
    static let schema = """
        CREATE SCHEMA "Org Chart";
        CREATE TABLE "Org Chart".people ("Person Id" varchar(20) PRIMARY KEY, "Full Name" text, grade text,
            joined date, remote boolean, level smallint, bonus bigint);
        CREATE TABLE "Org Chart"."reports to" ("Up" text, "Down" text);
        CREATE TABLE "Org Chart".grades (name text PRIMARY KEY);
        CREATE TABLE visits (visitor text, seen timestamp, room integer);
        INSERT INTO "Org Chart".grades VALUES ('junior'), ('senior');
        INSERT INTO "Org Chart".people VALUES
            ('ana', 'Ana', 'senior', '2020-01-01', true, 3, 100),
            ('Bo b', 'Bob', 'junior', '2020-01-01', true, 3, NULL),
            ('zoë', 'Zoë', 'junior', '2021-06-30', false, 1, -5),
            ('', 'Nobody', NULL, NULL, NULL, NULL, 1),
            ('cy', 'Cy', 'junior', '2021-06-30', NULL, NULL, 7);
        INSERT INTO "Org Chart"."reports to" VALUES ('ana', 'Bo b'), ('ana', 'Bo b'), ('Bo b', 'zoë'), (NULL, 'cy'),
            ('ghost', 'cy');
        INSERT INTO visits VALUES ('ana', '2024-03-31 23:59:59', 1), ('ana', '2024-04-01 00:00:00', 1),
            ('zoë', NULL, 2), (NULL, '2024-04-01 12:00', 3)
        """

    static let model = """
        time_zone: Asia/Kolkata
        nodes:
          table: Org Chart.people
          id: Person Id
          label: Full Name
          attributes:
            grade: { column: grade, values_from: Org Chart.grades.name }
        hierarchy:
          edges: { table: Org Chart.reports to, parent: Up, child: Down }
        events:
          joined:
            table: Org Chart.people
            node: Person Id
            time: joined
            dimensions: [remote, level]
            measures:
              bonus: { sum: bonus }
          visits:
            table: visits
            node: visitor
            time: seen
            dimensions: [room]
        """

    static let people = DataModel.TableName(schema: "Org Chart", name: "people")
    static let edges = DataModel.TableName(schema: "Org Chart", name: "reports to")

    static func withInstalled(
        _ label: String = #function, _ body: (PostgresClient, ResolvedModel) async throws -> Void
    ) async throws {
        try await TestDatabase.withClient(label) { client in
            try await ModelInstallSupport.execute(client, schema)
            let model = try await ModelInstallSupport.resolve(Self.model, on: client)
            let report = try await ModelInstallSupport.install(model, on: client)
            #expect(report.outcome == .installed)
            #expect(report.rollups.map(\.source) == ["joined", "visits"])
            #expect(
                report.capturedTables == [
                    "Org Chart.people", "Org Chart.reports to", "public.visits", "Org Chart.grades",
                ])
            try await body(client, model)
        }
    }

    static func expectExact(_ model: ResolvedModel, _ client: PostgresClient, _ comment: Comment) async throws {
        let pairs = try await client.withReadOnlySnapshot { connection in
            try model.sources.map { source in
                (
                    try ModelInstallSupport.readRollup(source, on: connection),
                    try ModelInstallSupport.expectedRollup(source, of: model, on: connection)
                )
            }
        }
        for (source, (actual, expected)) in zip(model.sources, pairs) {
            #expect(actual == expected, "\(source.name): \(comment)")
        }
        try await client.withReadOnlySnapshot { connection in
            try ModelInstallSupport.expectPacksMatchRollups(model, on: connection, comment)
        }
    }

    @Test func theBackfillOfEverySourceIsExact() async throws {
        try await Self.withInstalled { client, model in
            try await Self.expectExact(model, client, "after the backfill")
            let joined = try await client.withConnection { connection in
                try ModelInstallSupport.readRollup(model.sources[0], on: connection)
            }
            let day = { (text: String) in Day(iso: text)! }
            #expect(
                joined == [
                    ModelInstallKey(node: "ana", day: day("2020-01-01"), dimensions: ["true", "3"]): [1, 100],
                    ModelInstallKey(node: "Bo b", day: day("2020-01-01"), dimensions: ["true", "3"]): [1, 0],
                    ModelInstallKey(node: "zoë", day: day("2021-06-30"), dimensions: ["false", "1"]): [1, -5],
                    ModelInstallKey(node: "cy", day: day("2021-06-30"), dimensions: [nil, nil]): [1, 7],
                ])
            // A timestamp is wall-clock time in the model's zone: its date, whatever the zone.
            let visits = try await client.withConnection { connection in
                try ModelInstallSupport.readRollup(model.sources[1], on: connection)
            }
            #expect(
                visits == [
                    ModelInstallKey(node: "ana", day: day("2024-03-31"), dimensions: ["1"]): [1],
                    ModelInstallKey(node: "ana", day: day("2024-04-01"), dimensions: ["1"]): [1],
                ])
        }
    }

    @Test func nodeWritesKeepTheNodesOwnSourceExactAndAreLogged() async throws {
        try await Self.withInstalled { client, model in
            let joined = model.sources[0]
            let s0 = try await ModelInstallSupport.observe(joined, of: model, since: nil, on: client)
            try await client.withTransaction { connection in
                try connection.execute(
                    """
                    INSERT INTO "Org Chart".people VALUES ('dee', 'Dee', 'senior', '2020-01-01', true, 3, 50),
                        ('eli', 'Eli', NULL, NULL, true, 2, 9)
                    """)
                try connection.execute(
                    "UPDATE \"Org Chart\".people SET joined = joined + 1, level = 9 WHERE \"Person Id\" = 'ana'")
                try connection.execute("DELETE FROM \"Org Chart\".people WHERE \"Person Id\" = 'zoë'")
                try connection.execute(
                    "UPDATE \"Org Chart\".people SET \"Full Name\" = 'Bobby' WHERE \"Person Id\" = 'Bo b'")
            }
            try await Self.expectExact(model, client, "after node writes")
            let s1 = try await ModelInstallSupport.observe(joined, of: model, since: s0.snapshot, on: client)
            #expect(ModelInstallSupport.apply(s1.changes, of: "joined", to: s0.rollup) == s1.rollup)
            let nodes = Set(
                s1.changes.compactMap { change -> String? in
                    if case .node(let id) = change.kind { return id.canonical }
                    return nil
                })
            #expect(nodes == ["dee", "eli", "ana", "zoë", "Bo b"])
            #expect(Set(s1.changes.map(\.transactionID)).count == 1)
            // Renaming Bob changed no rollup row; no event entry of 0.
            #expect(
                !s1.changes.contains { change in
                    if case .event(_, _, let deltas) = change.kind { return deltas.allSatisfy { $0 == 0 } }
                    return false
                })
        }
    }

    @Test func edgeChangesAreLoggedAsMultiplicityDeltas() async throws {
        try await Self.withInstalled { client, model in
            let s0 = try await ModelInstallSupport.observe(model.sources[0], of: model, since: nil, on: client)
            let table = ModelSQL.qualified(Self.edges)
            try await client.withTransaction { connection in
                try connection.execute("INSERT INTO \(table) VALUES ('zoë', 'cy'), ('zoë', 'cy'), (NULL, 'ana')")
                try connection.execute(
                    "DELETE FROM \(table) WHERE ctid = (SELECT min(ctid) FROM \(table) WHERE \"Up\" = 'ana')")
                try connection.execute("UPDATE \(table) SET \"Up\" = 'cy' WHERE \"Up\" = 'Bo b'")
                try connection.execute("UPDATE \(table) SET \"Up\" = \"Up\" WHERE \"Up\" = 'ghost'")
            }
            let s1 = try await ModelInstallSupport.observe(model.sources[0], of: model, since: s0.snapshot, on: client)
            let edges = s1.changes.compactMap { change -> String? in
                if case .edge(let parent, let child, let delta) = change.kind {
                    return "\(parent.canonical)→\(child.canonical) \(delta)"
                }
                return nil
            }
            #expect(Set(edges) == ["zoë→cy 2", "ana→Bo b -1", "Bo b→zoë -1", "cy→zoë 1"])
            #expect(edges.count == 4)
            #expect(s1.changes.allSatisfy { if case .edge = $0.kind { true } else { false } })
            try await client.withConnection { try $0.execute("TRUNCATE \(table)") }
            let s2 = try await ModelInstallSupport.observe(model.sources[0], of: model, since: s1.snapshot, on: client)
            #expect(s2.changes.map(\.kind) == [.reset])
        }
    }

    @Test func closedValuesAndTheSecondSourceAreCaptured() async throws {
        try await Self.withInstalled { client, model in
            let visits = model.sources[1]
            let s0 = try await ModelInstallSupport.observe(visits, of: model, since: nil, on: client)
            try await client.withConnection { connection in
                try connection.execute("INSERT INTO \"Org Chart\".grades VALUES ('lead')")
            }
            try await client.withTransaction { connection in
                try connection.execute(
                    "INSERT INTO visits VALUES ('cy', '2024-02-29 10:00', NULL), ('cy', '2024-02-29 11:00', NULL)")
                try connection.execute("UPDATE visits SET room = 4 WHERE visitor = 'ana' AND seen < '2024-04-01'")
            }
            try await Self.expectExact(model, client, "after visits")
            let s1 = try await ModelInstallSupport.observe(visits, of: model, since: s0.snapshot, on: client)
            #expect(s1.changes.first?.kind == .closedValues)
            #expect(ModelInstallSupport.apply(s1.changes, of: "visits", to: s0.rollup) == s1.rollup)
            #expect(
                s1.changes.contains {
                    $0.kind
                        == .event(
                            source: "visits",
                            key: ModelChange.EventKey(
                                node: .text("cy"), day: Day(iso: "2024-02-29")!, dimensions: [nil]),
                            deltas: [2])
                })
        }
    }

    @Test func theApplicationsTablesGetTriggersAndNothingElse() async throws {
        try await TestDatabase.withClient { client in
            try await ModelInstallSupport.execute(client, Self.schema)
            let tables = [
                Self.people, Self.edges, DataModel.TableName(name: "visits"),
                DataModel.TableName(schema: "Org Chart", name: "grades"),
            ]
            let before = try await client.withConnection { connection in
                try tables.map { try ModelInstallSupport.shape(of: $0, on: connection) }
            }
            let model = try await ModelInstallSupport.resolve(Self.model, on: client)
            _ = try await ModelInstallSupport.install(model, on: client)
            let (after, triggers) = try await client.withConnection { connection in
                (
                    try tables.map { try ModelInstallSupport.shape(of: $0, on: connection) },
                    try tables.map { try ModelInstallSupport.triggers(on: $0, on: connection) }
                )
            }
            #expect(after == before)
            let rowTriggers = { (prefix: String) in
                ["delete", "insert", "truncate", "update"].map { "\(prefix)_\($0)" }
            }
            #expect(
                triggers == [
                    (rowTriggers("arbor_model_event_joined") + rowTriggers("arbor_model_nodes")).sorted(),
                    rowTriggers("arbor_model_edges"), rowTriggers("arbor_model_event_visits"), ["arbor_model_values"],
                ])
        }
    }
}
