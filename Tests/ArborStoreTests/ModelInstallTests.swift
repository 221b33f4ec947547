import ArborModel
import ArborStore
import ArborTestSupport
import Foundation
import Testing

/// `migrate --model` on an organisation's own tables: integer ids with a parent column, sales with a dimension, an
/// integer and a numeric sum, in a time zone with daylight saving. The rollup must equal the GROUP BY of the raw
/// rows after every kind of write, and the change log must carry exactly what turns one snapshot into the next.
@Suite struct ModelInstallTests {
    static let schema = """
        CREATE TABLE staff (id integer PRIMARY KEY, boss bigint, name text, region text);
        CREATE TABLE sales (sale_id bigserial PRIMARY KEY, seller bigint, sold_at timestamptz, product text,
            units integer, big bigint, amount numeric(12,2));
        INSERT INTO staff VALUES (1, NULL, 'Asha', 'north'), (2, 1, 'Bilal', 'south'), (3, 2, 'Chen', NULL),
            (4, 2, 'Dina', 'north'), (5, 99, 'Eve', 'east');
        INSERT INTO sales (seller, sold_at, product, units, big, amount) VALUES
            (1, '2024-03-30 22:59:59+00', 'pen', 2, 1, 1.25),
            (1, '2024-03-30 23:00:00+00', 'pen', 3, 1, -1.25),
            (2, '2024-03-31 00:59:59+00', NULL, NULL, NULL, 0.05),
            (2, '2024-03-31 01:00:00+00', '', 7, 2, NULL),
            (3, '2024-10-26 22:30:00+00', 'ink', -4, 3, 10.00),
            (3, '2024-10-27 22:59:00+00', 'ink', 1, 4, 99.95),
            (4, '2024-10-27 23:00:00+00', 'ink', 1, 5, 0.15),
            (NULL, '2024-05-01 12:00:00+00', 'pen', 1, 6, 1),
            (4, NULL, 'pen', 1, 7, 1),
            (5000000000, '2024-05-01 12:00:00+00', 'pen', 1, 8, 1),
            (77, '2024-05-01 12:00:00+00', 'pen', 1, 9, 1)
        """

    static let model = """
        time_zone: Europe/Berlin
        nodes:
          table: staff
          id: id
          label: name
          attributes:
            region: region
        hierarchy:
          parent: boss
        events:
          sales:
            table: sales
            node: seller
            time: sold_at
            dimensions: [product]
            measures:
              units: { sum: units }
              big: { sum: big }
              amount: { sum: amount, scale: 2 }
              tenths: { sum: amount, scale: 1 }
        """

    static func withInstalled(
        _ label: String = #function,
        _ body: (PostgresClient, ResolvedModel, ModelInstallReport) async throws -> Void
    ) async throws {
        try await TestDatabase.withClient(label) { client in
            try await ModelInstallSupport.execute(client, schema)
            let model = try await ModelInstallSupport.resolve(Self.model, on: client)
            let report = try await ModelInstallSupport.install(model, on: client)
            try await body(client, model, report)
        }
    }

    static func expectExact(_ model: ResolvedModel, _ client: PostgresClient, _ comment: Comment) async throws {
        let source = model.sources[0]
        let (actual, expected) = try await client.withReadOnlySnapshot { connection in
            (
                try ModelInstallSupport.readRollup(source, on: connection),
                try ModelInstallSupport.expectedRollup(source, of: model, on: connection)
            )
        }
        #expect(actual == expected, comment)
        try await client.withReadOnlySnapshot { connection in
            try ModelInstallSupport.expectPacksMatchRollups(model, on: connection, comment)
        }
    }

    @Test func installFillsTheRollupFromTheRowsThatExist() async throws {
        try await Self.withInstalled { client, model, report in
            #expect(report.outcome == .installed)
            #expect(report.previousFingerprint == nil)
            #expect(report.fingerprint.count == 64)
            #expect(report.rollups.map(\.action) == [.built])
            #expect(report.capturedTables == ["public.staff", "public.sales"])
            try await Self.expectExact(model, client, "after the backfill")
            let rollup = try await client.withConnection { connection in
                try ModelInstallSupport.readRollup(model.sources[0], on: connection)
            }
            // Hand-checked: Berlin days across both DST changes, half-away rounding, NULL and "" dimensions, events
            // whose node is NULL, out of the id's range, or whose time is NULL left out; node 77 (no node) kept.
            let day = { (text: String) in Day(iso: text)! }
            #expect(
                rollup == [
                    ModelInstallKey(node: "1", day: day("2024-03-30"), dimensions: ["pen"]): [1, 2, 1, 125, 13],
                    ModelInstallKey(node: "1", day: day("2024-03-31"), dimensions: ["pen"]): [1, 3, 1, -125, -13],
                    ModelInstallKey(node: "2", day: day("2024-03-31"), dimensions: [nil]): [1, 0, 0, 5, 1],
                    ModelInstallKey(node: "2", day: day("2024-03-31"), dimensions: [""]): [1, 7, 2, 0, 0],
                    ModelInstallKey(node: "3", day: day("2024-10-27"), dimensions: ["ink"]): [2, -3, 7, 10995, 1100],
                    ModelInstallKey(node: "4", day: day("2024-10-28"), dimensions: ["ink"]): [1, 1, 5, 15, 2],
                    ModelInstallKey(node: "77", day: day("2024-05-01"), dimensions: ["pen"]): [1, 1, 9, 100, 10],
                ])
            let installation = try await client.withConnection { try ModelInstallation.read(on: $0) }
            #expect(installation?.fingerprint == report.fingerprint)
            #expect(installation?.timeZone == "Europe/Berlin")
            #expect(installation?.modelText == ModelFingerprint(model).text)
        }
    }

    @Test func everyKindOfWriteKeepsTheRollupExact() async throws {
        try await Self.withInstalled { client, model, _ in
            let steps: [(String, [String])] = [
                (
                    "insert",
                    [
                        """
                        INSERT INTO sales (seller, sold_at, product, units, big, amount) VALUES
                            (1, '2024-03-30 22:59:59+00', 'pen', 5, 1, 0.35), (2, '2024-07-01 00:00+00', 'ink', 1, 1, 2),
                            (NULL, '2024-07-01 00:00+00', 'ink', 1, 1, 2), (3, NULL, 'ink', 1, 1, 2)
                        """
                    ]
                ),
                ("move to another node", ["UPDATE sales SET seller = 4 WHERE seller = 1 AND units = 5"]),
                ("move to another day", ["UPDATE sales SET sold_at = sold_at + interval '1 hour' WHERE seller = 4"]),
                ("move to another dimension value", ["UPDATE sales SET product = NULL WHERE product = 'ink'"]),
                ("change only a measure", ["UPDATE sales SET amount = amount * 3, units = units + 1 WHERE seller = 2"]),
                ("an update that changes nothing counted", ["UPDATE sales SET sale_id = sale_id + 1000"]),
                ("node becomes NULL", ["UPDATE sales SET seller = NULL WHERE seller = 3"]),
                ("node comes back", ["UPDATE sales SET seller = 3 WHERE seller IS NULL AND product IS NULL"]),
                (
                    "several statements in one transaction",
                    [
                        "INSERT INTO sales (seller, sold_at, product, units) SELECT 1 + g % 4, "
                            + "'2024-03-30 20:00+00'::timestamptz + g * interval '17 minutes', "
                            + "(ARRAY['pen', 'ink', NULL])[1 + g % 3], g FROM generate_series(1, 500) g",
                        "DELETE FROM sales WHERE units % 7 = 0",
                        "UPDATE sales SET seller = 2 WHERE units % 5 = 0",
                    ]
                ),
                ("delete a whole key", ["DELETE FROM sales WHERE seller = 2"]),
                ("delete everything left of a node", ["DELETE FROM sales WHERE seller = 77"]),
            ]
            var last = try await ModelInstallSupport.observe(model.sources[0], of: model, since: nil, on: client)
            for (name, statements) in steps {
                try await client.withTransaction { connection in
                    for statement in statements { try connection.execute(statement) }
                }
                try await Self.expectExact(model, client, "after \(name)")
                let next = try await ModelInstallSupport.observe(
                    model.sources[0], of: model, since: last.snapshot, on: client)
                #expect(
                    ModelInstallSupport.apply(next.changes, of: "sales", to: last.rollup) == next.rollup,
                    "the change log of \(name) turns the old rollup into the new one")
                last = next
            }
        }
    }

    @Test func aRolledBackWriteLeavesNothing() async throws {
        try await Self.withInstalled { client, model, _ in
            let before = try await ModelInstallSupport.observe(model.sources[0], of: model, since: nil, on: client)
            try await client.withConnection { connection in
                try connection.execute("BEGIN")
                try connection.execute(
                    "INSERT INTO sales (seller, sold_at, product) VALUES (1, now(), 'pen'), (2, now(), 'ink')")
                try connection.execute("UPDATE staff SET region = 'west'")
                try connection.execute("ROLLBACK")
            }
            let after = try await ModelInstallSupport.observe(
                model.sources[0], of: model, since: before.snapshot, on: client)
            #expect(after.rollup == before.rollup)
            #expect(after.changes == [])
            try await Self.expectExact(model, client, "after a rollback")
        }
    }

    @Test func truncateEmptiesTheRollupAndAsksForAReload() async throws {
        try await Self.withInstalled { client, model, _ in
            let before = try await ModelInstallSupport.observe(model.sources[0], of: model, since: nil, on: client)
            try await client.withConnection { try $0.execute("TRUNCATE sales") }
            let after = try await ModelInstallSupport.observe(
                model.sources[0], of: model, since: before.snapshot, on: client)
            #expect(after.rollup.isEmpty)
            #expect(after.changes.map(\.kind) == [.reset])
            try await client.withConnection { connection in
                try connection.execute(
                    "INSERT INTO sales (seller, sold_at, product, amount) VALUES (1, '2024-01-01 12:00+00', 'pen', 1)")
            }
            try await Self.expectExact(model, client, "after a TRUNCATE and an insert")
        }
    }

    @Test func sumsPastSixtyFourBitsNeverFailTheWriter() async throws {
        try await Self.withInstalled { client, model, _ in
            try await client.withConnection { connection in
                try connection.execute(
                    """
                    INSERT INTO sales (seller, sold_at, product, big, amount) VALUES
                        (1, '2024-06-01 12:00+00', 'gold', 9223372036854775807, 9999999999.99),
                        (1, '2024-06-01 12:00+00', 'gold', 9223372036854775807, 9999999999.99)
                    """)
            }
            try await Self.expectExact(model, client, "after totals past Int64")
            let gold = try await client.withConnection { connection in
                try ModelInstallSupport.readRollup(model.sources[0], on: connection).first {
                    $0.key.dimensions == ["gold"]
                }
            }
            #expect(gold?.value[2] == Int128(Int64.max) * 2)
            // That month's pack says nothing from now on (a load reads the rollup instead); the others stay usable.
            let packs = try await client.withConnection { connection in
                try ModelInstallSupport.readPacks(model.sources[0], on: connection)
            }
            #expect(packs.unusable == ["1/2024-06-01"])
            #expect(!packs.rollup.isEmpty)
        }
    }

    /// Entries carry their writer's transaction id, and a snapshot taken while an older transaction is still
    /// running gets that transaction's entries only from the next snapshot on — exact when commits happen out of
    /// id order.
    @Test func theChangeLogFollowsVisibilityNotIdOrder() async throws {
        try await TestDatabase.with { configuration in
            let client = PostgresClient(configuration: configuration, maxConnections: 2, logger: TestDatabase.logger)
            do {
                try await Self.checkVisibility(configuration, client)
                await client.shutdown()
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }

    static func checkVisibility(_ configuration: PostgresConfiguration, _ client: PostgresClient) async throws {
        try await ModelInstallSupport.execute(client, Self.schema)
        let model = try await ModelInstallSupport.resolve(Self.model, on: client)
        _ = try await ModelInstallSupport.install(model, on: client)
        let source = model.sources[0]
        let s0 = try await ModelInstallSupport.observe(source, of: model, since: nil, on: client)

        let older = try PostgresConnection.connect(configuration: configuration)
        let newer = try PostgresConnection.connect(configuration: configuration)
        try older.execute("BEGIN")
        let olderID = try older.query("SELECT pg_current_xact_id()::text::bigint").first!.decode(UInt64.self, at: 0)
        try older.execute("INSERT INTO sales (seller, sold_at, product, units) VALUES (1, now(), 'old', 1)")
        try older.execute("UPDATE staff SET region = 'moved' WHERE id = 3")
        try newer.execute("BEGIN")
        let newerID = try newer.query("SELECT pg_current_xact_id()::text::bigint").first!.decode(UInt64.self, at: 0)
        try newer.execute("INSERT INTO sales (seller, sold_at, product, units) VALUES (4, now(), 'new', 2)")
        try newer.execute("UPDATE staff SET boss = 1 WHERE id = 4")
        try newer.execute("COMMIT")
        #expect(olderID < newerID)

        let s1 = try await ModelInstallSupport.observe(source, of: model, since: s0.snapshot, on: client)
        #expect(!s1.snapshot.isVisible(olderID) && s1.snapshot.isVisible(newerID))
        #expect(Set(s1.changes.map(\.transactionID)) == [newerID])
        let today = s1.changes.compactMap { change -> Day? in
            if case .event(_, let key, _) = change.kind { return key.day }
            return nil
        }.first!
        #expect(
            Set(s1.changes.map(\.kind)) == [
                .event(
                    source: "sales", key: ModelChange.EventKey(node: .integer(4), day: today, dimensions: ["new"]),
                    deltas: [1, 2, 0, 0, 0]),
                .node(.integer(4)),
                .edge(parent: .integer(2), child: .integer(4), delta: -1),
                .edge(parent: .integer(1), child: .integer(4), delta: 1),
            ])
        try older.execute("COMMIT")
        let s2 = try await ModelInstallSupport.observe(source, of: model, since: s1.snapshot, on: client)
        #expect(Set(s2.changes.map(\.transactionID)) == [olderID])
        #expect(s2.changes.contains { $0.kind == .node(.integer(3)) })
        #expect(!s2.changes.contains { if case .edge = $0.kind { true } else { false } }, "region is no edge")
        let replayed = ModelInstallSupport.apply(s1.changes, of: "sales", to: s0.rollup)
            .flatMap { ModelInstallSupport.apply(s2.changes, of: "sales", to: $0) }
        #expect(replayed == s2.rollup)
        // The whole span at once gives the same.
        let whole = try await client.withReadOnlySnapshot { connection in
            try connection.modelChanges(since: s0.snapshot, until: s2.snapshot, model: model)
        }
        #expect(Set(whole) == Set(s1.changes + s2.changes))
    }

    /// Writers in concurrent READ COMMITTED statements on the same few rollup keys: each upsert waits for the other's
    /// row lock and then adds to the committed row, so the rollup stays exact; upserts in key order never deadlock.
    @Test func concurrentWritersOnTheSameKeysStayExact() async throws {
        try await TestDatabase.with { configuration in
            let client = PostgresClient(configuration: configuration, maxConnections: 6, logger: TestDatabase.logger)
            do {
                try await ModelInstallSupport.execute(client, Self.schema)
                let model = try await ModelInstallSupport.resolve(Self.model, on: client)
                _ = try await ModelInstallSupport.install(model, on: client)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<5 {
                        group.addTask {
                            for round in 0..<15 {
                                let (sql, binds) = Self.concurrentStatement(writer: writer, round: round)
                                try await client.withConnection { try $0.execute(sql, binds) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                try await Self.expectExact(model, client, "after concurrent writers")
                await client.shutdown()
            } catch let error as StoreError {
                await client.shutdown()
                Issue.record("\(error.logDescription)")
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }

    /// Each writer touches only its own rows (tagged in `big`), so the application's statements never wait for each
    /// other; what they share is the rollup rows, since every writer counts events of the same few keys.
    static func concurrentStatement(writer: Int, round: Int) -> (String, [PostgresBind]) {
        switch round % 3 {
        case 0:
            return (
                """
                INSERT INTO sales (seller, sold_at, product, units, big, amount)
                SELECT 1 + g % 3, '2024-03-31 00:30+00', (ARRAY['pen', NULL])[1 + g % 2], g, $1, g * 0.35
                FROM generate_series(1, 20) g
                """, [.int(writer)]
            )
        case 1: return ("DELETE FROM sales WHERE big = $1 AND sale_id % 3 = 0", [.int(writer)])
        default:
            return ("UPDATE sales SET product = 'ink', seller = 3 WHERE big = $1 AND units % 4 = 0", [.int(writer)])
        }
    }

    /// With a parent column, node writes log the node and the change of its edge (−1 old parent, +1 new).
    @Test func nodeWritesLogNodesAndParentEdges() async throws {
        try await Self.withInstalled { client, model, _ in
            let s0 = try await ModelInstallSupport.observe(model.sources[0], of: model, since: nil, on: client)
            try await client.withConnection { connection in
                try connection.execute("INSERT INTO staff VALUES (6, 4, 'Fay', NULL), (7, NULL, 'Gil', NULL)")
            }
            let s1 = try await ModelInstallSupport.observe(model.sources[0], of: model, since: s0.snapshot, on: client)
            #expect(
                Set(s1.changes.map(\.kind)) == [
                    .node(.integer(6)), .node(.integer(7)), .edge(parent: .integer(4), child: .integer(6), delta: 1),
                ])
            try await client.withTransaction { connection in
                try connection.execute("UPDATE staff SET boss = 7 WHERE id = 6")
                try connection.execute("UPDATE staff SET boss = 5000000000 WHERE id = 7")
                try connection.execute("DELETE FROM staff WHERE id = 2")
            }
            let s2 = try await ModelInstallSupport.observe(model.sources[0], of: model, since: s1.snapshot, on: client)
            #expect(
                Set(s2.changes.map(\.kind)) == [
                    .node(.integer(6)), .edge(parent: .integer(4), child: .integer(6), delta: -1),
                    .edge(parent: .integer(7), child: .integer(6), delta: 1), .node(.integer(7)), .node(.integer(2)),
                    .edge(parent: .integer(1), child: .integer(2), delta: -1),
                ])
            try await client.withConnection { try $0.execute("TRUNCATE staff") }
            let s3 = try await ModelInstallSupport.observe(model.sources[0], of: model, since: s2.snapshot, on: client)
            #expect(s3.changes.map(\.kind) == [.reset])
        }
    }

    @Test func theApplicationsRoleNeedsNoRightsInSchemaArbor() async throws {
        try await Self.withInstalled { client, model, _ in
            let role = "arbor_test_writer_\(UUID().uuidString.prefix(8).lowercased())"
            try await client.withConnection { connection in
                try connection.execute("CREATE ROLE \(role)")
                try connection.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON staff, sales TO \(role)")
                try connection.execute("GRANT USAGE ON SEQUENCE sales_sale_id_seq TO \(role)")
            }
            do {
                try await client.withTransaction { connection in
                    try connection.execute("SET LOCAL ROLE \(role)")
                    try connection.execute(
                        "INSERT INTO sales (seller, sold_at, product, units) VALUES (2, now(), 'pen', 1)")
                    try connection.execute("UPDATE sales SET units = 2 WHERE seller = 2")
                    try connection.execute("DELETE FROM sales WHERE seller = 3")
                    try connection.execute("UPDATE staff SET boss = 4 WHERE id = 5")
                }
                try await Self.expectExact(model, client, "after writes by a role without rights in arbor")
                let canAttach = try await client.withConnection { connection in
                    try connection.query(
                        "SELECT has_function_privilege($1, 'arbor.capture_event_sales()', 'EXECUTE')", [.text(role)]
                    ).first!.decode(Bool.self, at: 0)
                }
                #expect(!canAttach, "nobody else may attach the definer-rights functions to a table")
            } catch {
                Issue.record("a write by the application's role failed: \(error)")
            }
            try await client.withConnection { connection in
                try connection.execute("DROP OWNED BY \(role)")
                try connection.execute("DROP ROLE \(role)")
            }
        }
    }

    @Test func theApplicationsTablesGetTriggersAndNothingElse() async throws {
        try await TestDatabase.withClient { client in
            try await ModelInstallSupport.execute(client, Self.schema)
            let tables = [DataModel.TableName(name: "staff"), DataModel.TableName(name: "sales")]
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
            #expect(
                triggers == [
                    [
                        "arbor_model_nodes_delete", "arbor_model_nodes_insert", "arbor_model_nodes_truncate",
                        "arbor_model_nodes_update",
                    ],
                    [
                        "arbor_model_event_sales_delete", "arbor_model_event_sales_insert",
                        "arbor_model_event_sales_truncate", "arbor_model_event_sales_update",
                    ],
                ])
        }
    }

    /// Many random transactions — inserts, moves, measure changes, deletes, rollbacks — checked after each.
    @Test(arguments: [UInt64(1), 2, 3])
    func randomWritesKeepTheRollupExact(seed: UInt64) async throws {
        try await Self.withInstalled("random\(seed)") { client, model, _ in
            var random = RandomModelGraph.Random(seed: seed)
            var last = try await ModelInstallSupport.observe(model.sources[0], of: model, since: nil, on: client)
            for round in 0..<12 {
                var statements: [(String, [PostgresBind])] = []
                for _ in 0..<(1 + random.below(4)) {
                    statements.append(Self.randomStatement(&random))
                }
                let rollback = random.below(6) == 0
                let batch = statements
                try await client.withConnection { connection in
                    try connection.execute("BEGIN")
                    for (sql, binds) in batch { try connection.execute(sql, binds) }
                    try connection.execute(rollback ? "ROLLBACK" : "COMMIT")
                }
                try await Self.expectExact(model, client, "seed \(seed) round \(round)")
                let next = try await ModelInstallSupport.observe(
                    model.sources[0], of: model, since: last.snapshot, on: client)
                #expect(ModelInstallSupport.apply(next.changes, of: "sales", to: last.rollup) == next.rollup)
                last = next
            }
        }
    }

    static func randomStatement(_ random: inout RandomModelGraph.Random) -> (String, [PostgresBind]) {
        let nodes: [Int64?] = [1, 2, 3, 4, 5, 77, nil, 5_000_000_000]
        let products: [String?] = ["pen", "ink", "", nil]
        // Around both 2024 DST changes in Berlin and midnights.
        let base = [1_711_839_600, 1_729_980_000, 1_730_070_000, 1_704_067_200][random.below(4)]
        let time = Int64(base + random.below(7200) - 3600)
        let amount = random.below(5) == 0 ? nil : String(format: "%.2f", Double(random.below(20001) - 10000) / 100)
        switch random.below(5) {
        case 0, 1:
            let count = 1 + random.below(40)
            return (
                """
                INSERT INTO sales (seller, sold_at, product, units, big, amount)
                SELECT $1::bigint, to_timestamp($2::bigint + g * 97), (ARRAY[$3, 'x'])[1 + g % 2], g - 20, g,
                    $4::numeric + g * 0.05
                FROM generate_series(1, $5::int) g
                """,
                [
                    .int64(nodes[random.below(nodes.count)]), .int64(time),
                    .text(products[random.below(products.count)]), .text(amount), .int(count),
                ]
            )
        case 2:
            return (
                "UPDATE sales SET seller = $1, product = $2 WHERE sale_id % 5 = $3",
                [.int64(nodes[random.below(nodes.count)]), .text(products[random.below(4)]), .int(random.below(5))]
            )
        case 3:
            return (
                "UPDATE sales SET sold_at = sold_at + $1::bigint * interval '1 minute', amount = $2::numeric "
                    + "WHERE sale_id % 7 = $3",
                [.int64(Int64(random.below(3000) - 1500)), .text(amount), .int(random.below(7))]
            )
        default:
            return ("DELETE FROM sales WHERE sale_id % 11 = $1", [.int(random.below(11))])
        }
    }
}
