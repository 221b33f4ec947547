import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// Small organisations under hand-written models, installed in a fresh database, whose every answer is worked out
/// by hand in the tests (see the tables in each fixture's comments).
enum LiveModelFixture: CaseIterable, Sendable {
    /// Integer ids (bigint) with a parent column, under names that need quoting (schema `Live "Org"`); attributes
    /// of every kind (a closed text one, boolean, integer, text with NULL and `''`); two sources: `sales`
    /// (`timestamptz` in America/New_York, events around midnight on both DST changes of 2024, numeric sums with
    /// scale 2, one of them `numeric(10,3)` to round) and `joins` (the nodes table itself, `timestamp`).
    ///
    /// ```
    /// id  parent name     role    active level city  joined               team
    /// 1   -      Asha     CEO     true   1     Pune  2024-01-01 00:00:00  a
    /// 2   1      bala     Manager true   2     Pune  2024-01-01 23:59:59  a
    /// 3   1      Chen     Manager false  2     NULL  2024-01-02 00:00:00  b
    /// 4   2      Dev      Agent   true   3     ''    2024-02-29 12:00:00  b
    /// 5   2      NULL     Agent   NULL   3     Goa   NULL                 a
    /// 6   3      Éva      Agent   true   10    Goa   2024-03-10 02:30:00  a
    /// 7   6      asha K   NULL    false  NULL  Pune  2024-03-10 00:00:00  NULL
    /// 20  7      Dev%     Agent   true   -1    Goa   2024-12-31 23:59:59  b
    /// 9   10     Ivy      Agent   true   2     Pune  2024-01-01 10:00:00  a
    /// 10  9      Jo       Manager true   3     NULL  NULL                 NULL
    /// 11  11     Kim      Agent   false  2     Goa   2024-01-01 00:00:00  b
    /// 12  999    Lee      Agent   true   4     Pune  2024-01-02 00:00:00  a
    /// 13  9      Mo       Agent   true   5     Goa   NULL                 NULL
    /// ```
    ///
    /// Sales (UTC time → day in New York; amount ×100, fee ×100 rounded half away from zero):
    /// ```
    /// e1  1    2024-03-10 04:59  → 03-09  web   true   10.50 → 1050   0.005 → 1    qty 1
    /// e15 1    2024-03-10 04:00  → 03-09  web   true    0.50 →   50   0.005 → 1    qty 2
    /// e2  2    2024-03-10 05:00  → 03-10  web   false  20.00 → 2000  -0.005 → -1   qty 2
    /// e3  4    2024-03-11 03:59  → 03-10  store NULL    5.25 →  525   0.015 → 2    qty NULL
    /// e4  4    2024-03-11 04:00  → 03-11  NULL  true   NULL          0.014 → 1    qty 3
    /// e5  6    2024-11-03 04:30  → 11-03  ''    false   1.00 →  100   0     → 0    qty 4
    /// e6  20   2024-11-04 04:30  → 11-03  web   true    2.00 →  200   NULL         qty 5
    /// e7  20   2024-11-04 05:00  → 11-04  store true   -3.00 → -300   0.001 → 0    qty -6
    /// e8  13   2024-11-04 05:00  → 11-04  web   false   7.00 →  700   0.100 → 10   qty 7
    /// e9  10   2024-03-10 05:00  → 03-10  web   true    1.00 →  100   0     → 0    qty 1
    /// e13 3    2024-03-10 05:00  → 03-10  web   true    0.01 →    1   0.004 → 0    qty 1
    /// e14 7    2024-11-04 05:00  → 11-04  web   NULL    0.00 →    0   0     → 0    qty 0
    /// e10 NULL, e11 999 (no node), e12 node 5 with a NULL time: counted nowhere
    /// ```
    case integerParentColumn
    /// Text ids (`varchar`) with an edge table (duplicates, a self-edge, a cycle b→c→d→b, a 2-cycle Z⇄é, edges
    /// from and to ids that are no node), a closed `region`, a `smallint` tier, a boolean; one source `visits`
    /// with a `date` time and an integer sum.
    ///
    /// ```
    /// handle display tier vip   region     edges: R→a R→b a→c b→c c→d d→b d→e e→e R→a x→y x→R Z→é é→Z
    /// R      Root    1    true  north             ghost→x y→nobody (dangling)
    /// Z      zed     2    false south
    /// a      Ann     2    NULL  north      visits: v1 R 2024-01-01 call 10   v2 a 2024-01-01 visit 20
    /// b      Bob     3    true  NULL               v3 a 2024-01-02 call NULL v4 c 2024-01-07 NULL 5
    /// c      Cy      3    false south              v5 d 2024-01-08 call 7    v6 e 2024-02-01 visit 1
    /// d      NULL    NULL true  north              v7 b 2023-12-31 call 3    v11 é 2024-01-01 visit 2
    /// e      Eve     10   false ''                 v12 x 2024-01-03 '' 4
    /// x      Xi      1    true  south              v8 ghost, v9 NULL node, v10 y NULL day: nowhere
    /// y      Yu      2    NULL  NULL
    /// é      Émile   3    true  north
    /// ```
    case textEdgeTable

    static let schemaA = "Live \"Org\""

    var model: DataModel {
        switch self {
        case .integerParentColumn:
            let table = { (name: String) in DataModel.TableName(schema: Self.schemaA, name: name) }
            return DataModel(
                timeZone: "America/New_York",
                nodes: DataModel.Nodes(
                    table: table("Team Members"), id: "Member No", label: "Full Name",
                    attributes: [
                        DataModel.Attribute(
                            name: "role", column: "Role",
                            valuesFrom: DataModel.ColumnReference(table: table("Role List"), column: "Role Name")),
                        DataModel.Attribute(name: "active", column: "Is Active"),
                        DataModel.Attribute(name: "level", column: "Level"),
                        DataModel.Attribute(name: "city", column: "city"),
                    ]),
                hierarchy: .parentColumn("Reports To"),
                sources: [
                    DataModel.EventSource(
                        name: "sales", table: table("Sales \"Ledger\""), node: "Seller", time: "Sold At",
                        dimensions: ["channel", "promo"],
                        measures: [
                            DataModel.Measure(name: "amount", column: "Amount $", scale: 2),
                            DataModel.Measure(name: "fee", column: "Fee", scale: 2),
                            DataModel.Measure(name: "qty", column: "qty"),
                        ]),
                    DataModel.EventSource(
                        name: "joins", table: table("Team Members"), node: "Member No", time: "Joined",
                        dimensions: ["team"]),
                ])
        case .textEdgeTable:
            let table = { (name: String) in DataModel.TableName(name: name) }
            return DataModel(
                nodes: DataModel.Nodes(
                    table: table("people"), id: "handle", label: "display",
                    attributes: [
                        DataModel.Attribute(
                            name: "region", column: "region",
                            valuesFrom: DataModel.ColumnReference(table: table("regions"), column: "name")),
                        DataModel.Attribute(name: "tier", column: "tier"),
                        DataModel.Attribute(name: "vip", column: "vip"),
                    ]),
                hierarchy: .edges(table: table("links"), parent: "boss", child: "report"),
                sources: [
                    DataModel.EventSource(
                        name: "visits", table: table("visits"), node: "who", time: "on_day", dimensions: ["kind"],
                        measures: [DataModel.Measure(name: "mins", column: "mins")])
                ])
        }
    }

    var statements: [String] {
        switch self {
        case .integerParentColumn:
            let s = ModelSQL.quoted(Self.schemaA)
            let sales = "\(s).\(ModelSQL.quoted("Sales \"Ledger\""))"
            return [
                "CREATE SCHEMA \(s)",
                "CREATE TABLE \(s).\"Role List\" (\"Role Name\" text)",
                "INSERT INTO \(s).\"Role List\" VALUES ('CEO'), ('Manager'), ('Agent'), ('Intern'), (NULL)",
                """
                CREATE TABLE \(s)."Team Members" ("Member No" bigint PRIMARY KEY, "Reports To" bigint,
                    "Full Name" text, "Role" text, "Is Active" boolean, "Level" integer, city text,
                    "Joined" timestamp, team text)
                """,
                "CREATE INDEX ON \(s).\"Team Members\" (\"Reports To\")",
                """
                INSERT INTO \(s)."Team Members" VALUES
                    (1, NULL, 'Asha', 'CEO', true, 1, 'Pune', '2024-01-01 00:00:00', 'a'),
                    (2, 1, 'bala', 'Manager', true, 2, 'Pune', '2024-01-01 23:59:59', 'a'),
                    (3, 1, 'Chen', 'Manager', false, 2, NULL, '2024-01-02 00:00:00', 'b'),
                    (4, 2, 'Dev', 'Agent', true, 3, '', '2024-02-29 12:00:00', 'b'),
                    (5, 2, NULL, 'Agent', NULL, 3, 'Goa', NULL, 'a'),
                    (6, 3, 'Éva', 'Agent', true, 10, 'Goa', '2024-03-10 02:30:00', 'a'),
                    (7, 6, 'asha K', NULL, false, NULL, 'Pune', '2024-03-10 00:00:00', NULL),
                    (20, 7, 'Dev%', 'Agent', true, -1, 'Goa', '2024-12-31 23:59:59', 'b'),
                    (9, 10, 'Ivy', 'Agent', true, 2, 'Pune', '2024-01-01 10:00:00', 'a'),
                    (10, 9, 'Jo', 'Manager', true, 3, NULL, NULL, NULL),
                    (11, 11, 'Kim', 'Agent', false, 2, 'Goa', '2024-01-01 00:00:00', 'b'),
                    (12, 999, 'Lee', 'Agent', true, 4, 'Pune', '2024-01-02 00:00:00', 'a'),
                    (13, 9, 'Mo', 'Agent', true, 5, 'Goa', NULL, NULL)
                """,
                """
                CREATE TABLE \(sales) ("Seller" bigint, "Sold At" timestamptz, channel text,
                    promo boolean, "Amount $" numeric(12,2), "Fee" numeric(10,3), qty integer)
                """,
                "CREATE INDEX ON \(sales) (\"Seller\")",
                "CREATE INDEX ON \(sales) (\"Sold At\")",
                """
                INSERT INTO \(sales) VALUES
                    (1, '2024-03-10 04:59:00+00', 'web', true, 10.50, 0.005, 1),
                    (1, '2024-03-10 04:00:00+00', 'web', true, 0.50, 0.005, 2),
                    (2, '2024-03-10 05:00:00+00', 'web', false, 20.00, -0.005, 2),
                    (4, '2024-03-11 03:59:00+00', 'store', NULL, 5.25, 0.015, NULL),
                    (4, '2024-03-11 04:00:00+00', NULL, true, NULL, 0.014, 3),
                    (6, '2024-11-03 04:30:00+00', '', false, 1.00, 0.000, 4),
                    (20, '2024-11-04 04:30:00+00', 'web', true, 2.00, NULL, 5),
                    (20, '2024-11-04 05:00:00+00', 'store', true, -3.00, 0.001, -6),
                    (13, '2024-11-04 05:00:00+00', 'web', false, 7.00, 0.100, 7),
                    (10, '2024-03-10 05:00:00+00', 'web', true, 1.00, 0.000, 1),
                    (3, '2024-03-10 05:00:00+00', 'web', true, 0.01, 0.004, 1),
                    (7, '2024-11-04 05:00:00+00', 'web', NULL, 0.00, 0.000, 0),
                    (NULL, '2024-03-10 05:00:00+00', 'web', true, 100.00, 0.000, 100),
                    (999, '2024-03-10 05:00:00+00', 'web', true, 100.00, 0.000, 100),
                    (5, NULL, 'web', true, 100.00, 0.000, 100)
                """,
            ]
        case .textEdgeTable:
            return [
                "CREATE TABLE regions (name text)",
                "INSERT INTO regions VALUES ('north'), ('south'), ('east')",
                """
                CREATE TABLE people (handle varchar(20) PRIMARY KEY, display text, tier smallint, vip boolean,
                    region text)
                """,
                """
                INSERT INTO people VALUES
                    ('R', 'Root', 1, true, 'north'), ('Z', 'zed', 2, false, 'south'), ('a', 'Ann', 2, NULL, 'north'),
                    ('b', 'Bob', 3, true, NULL), ('c', 'Cy', 3, false, 'south'), ('d', NULL, NULL, true, 'north'),
                    ('e', 'Eve', 10, false, ''), ('x', 'Xi', 1, true, 'south'), ('y', 'Yu', 2, NULL, NULL),
                    ('é', 'Émile', 3, true, 'north')
                """,
                "CREATE TABLE links (boss varchar(20), report varchar(20))",
                "CREATE INDEX ON links (boss)",
                "CREATE INDEX ON links (report)",
                """
                INSERT INTO links VALUES ('R', 'a'), ('R', 'b'), ('a', 'c'), ('b', 'c'), ('c', 'd'), ('d', 'b'),
                    ('d', 'e'), ('e', 'e'), ('R', 'a'), ('ghost', 'x'), ('x', 'y'), ('y', 'nobody'), ('Z', 'é'),
                    ('é', 'Z'), ('x', 'R')
                """,
                "CREATE TABLE visits (who text, on_day date, kind text, mins integer)",
                """
                INSERT INTO visits VALUES ('R', '2024-01-01', 'call', 10), ('a', '2024-01-01', 'visit', 20),
                    ('a', '2024-01-02', 'call', NULL), ('c', '2024-01-07', NULL, 5), ('d', '2024-01-08', 'call', 7),
                    ('e', '2024-02-01', 'visit', 1), ('b', '2023-12-31', 'call', 3), ('ghost', '2024-01-01', 'call', 100),
                    (NULL, '2024-01-01', 'call', 100), ('y', NULL, 'call', 100), ('é', '2024-01-01', 'visit', 2),
                    ('x', '2024-01-03', '', 4)
                """,
            ]
        }
    }

    /// Installs the fixture in a fresh database, resolves its model against the catalog and runs `body`.
    func run(
        _ label: String = #function, _ body: (LiveModelHarness) async throws -> Void
    ) async throws {
        try await TestDatabase.withClient(label) { client in
            let statements = self.statements
            let model = self.model
            let resolved = try await client.withConnection { connection in
                for statement in statements { try connection.execute(statement) }
                return try ModelCatalog.check(model, on: connection)
            }
            let resolvedModel = try #require(resolved.resolved, "\(resolved.problems)")
            try await body(LiveModelHarness(client: client, live: LiveModelQueries(model: resolvedModel)))
        }
    }
}

/// A client and the live queries of one fixture, with one call per query kind, each in its own snapshot.
struct LiveModelHarness: Sendable {
    let client: PostgresClient
    let live: LiveModelQueries
    var model: ResolvedModel { live.model }

    func traverse(_ query: NodeTraversalQuery) async throws -> NodeTraversalResult {
        try await live.run(client, deadline: nil) { try $0.traverse(query, on: $1) }.value
    }

    /// Also checks that SQL's order of the rows is the contract's (``ResolvedModel/ordersKeys(_:before:groupBy:)``).
    func stats(_ query: EventStatsQuery) async throws -> EventStatsResult {
        let result = try await live.run(client, deadline: nil) { try $0.stats(query, on: $1) }.value
        for (a, b) in zip(result.rows, result.rows.dropFirst()) {
            #expect(model.ordersKeys(a.keys, before: b.keys, groupBy: query.groupBy), "\(a.keys) before \(b.keys)")
        }
        return result
    }

    func rank(_ query: RankingQuery) async throws -> RankingResult {
        try await live.run(client, deadline: nil) { try $0.rank(query, on: $1) }.value
    }

    func find(_ query: FindNodesQuery) async throws -> FindNodesResult {
        try await live.run(client, deadline: nil) { try $0.find(query, on: $1) }.value
    }

    func cycles(limit: UInt32) async throws -> CycleGroupsResult {
        try await live.run(client, deadline: nil) { try $0.cycles(limit: limit, on: $1) }.value
    }

    func facts() async throws -> ModelFacts {
        try await live.run(client, deadline: nil) { try $0.facts(on: $1) }.value
    }

    /// The QueryError a call throws, or `nil` when it answers.
    func queryError(_ call: () async throws -> Void) async throws -> QueryError? {
        do {
            try await call()
            return nil
        } catch let error as QueryError {
            return error
        }
    }
}

/// Shorthands for expected answers.
func int(_ value: Int64) -> NodeID { .integer(value) }
func txt(_ value: String) -> NodeID { .text(value) }
func entry(_ id: NodeID, _ depth: UInt32, _ parent: NodeID) -> TraversalEntry {
    TraversalEntry(id: id, depth: depth, parent: parent)
}
func statsRow(_ keys: [String], _ values: [Int64], nodes: UInt32) -> EventStatsRow {
    EventStatsRow(keys: keys, values: values, nodes: nodes)
}
