import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// Running `migrate --model` again: the same model changes nothing; a changed model rebuilds exactly what depends
/// on it and removes what the model no longer has; a server's check refuses a model that is not installed.
@Suite struct ModelInstallRebuildTests {
    static let schema = """
        CREATE TABLE staff (id integer PRIMARY KEY, boss integer, name text, region text);
        CREATE TABLE sales (sale_id bigserial PRIMARY KEY, seller integer, sold_at timestamptz, product text,
            channel text, units integer, amount numeric(12,2), discount numeric(12,3));
        CREATE TABLE hires (person integer, hired_on date, kind text);
        INSERT INTO staff VALUES (1, NULL, 'Asha', 'north'), (2, 1, 'Bilal', 'south');
        INSERT INTO sales (seller, sold_at, product, channel, units, amount, discount) VALUES
            (1, '2024-03-10 04:30+00', 'pen', 'web', 2, 1.25, 0.125),
            (1, '2024-03-10 05:30+00', 'pen', 'app', 3, 2.50, NULL),
            (2, '2024-11-03 04:59+00', 'ink', NULL, 1, 0.05, 1.005),
            (2, '2024-11-03 05:00+00', 'ink', 'web', 1, 0.05, -1.005);
        INSERT INTO hires VALUES (1, '2020-01-01', 'direct'), (2, '2021-02-03', NULL)
        """

    static let first = """
        time_zone: Europe/Berlin
        nodes:
          table: staff
          id: id
          label: name
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
          hires:
            table: hires
            node: person
            time: hired_on
            dimensions: [kind]
        """

    /// A new dimension and a new measure on `sales`, another zone (which `hires`, a `date`, does not depend on),
    /// and an attribute (which changes nothing stored).
    static let second = """
        time_zone: America/New_York
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
            dimensions: [product, channel]
            measures:
              units: { sum: units }
              amount: { sum: amount, scale: 2 }
              discount: { sum: discount, scale: 2 }
          hires:
            table: hires
            node: person
            time: hired_on
            dimensions: [kind]
        """

    /// `hires` removed.
    static let third = """
        time_zone: America/New_York
        nodes:
          table: staff
          id: id
        hierarchy:
          parent: boss
        events:
          sales:
            table: sales
            node: seller
            time: sold_at
            dimensions: [product, channel]
            measures:
              units: { sum: units }
              amount: { sum: amount, scale: 2 }
              discount: { sum: discount, scale: 2 }
        """

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

    static func checkMessage(_ model: ResolvedModel, _ client: PostgresClient) async throws -> String? {
        do {
            try await client.withConnection { connection in
                try ModelInstallation.check(
                    model, on: connection, migrateCommand: "arbor-server migrate --model m.yaml")
            }
            return nil
        } catch let error as StoreError {
            #expect(error.code == .schemaMismatch)
            return error.message
        }
    }

    @Test func theSameModelAgainIsANoOp() async throws {
        try await TestDatabase.withClient { client in
            try await ModelInstallSupport.execute(client, Self.schema)
            let model = try await ModelInstallSupport.resolve(Self.first, on: client)
            let first = try await ModelInstallSupport.install(model, on: client)
            try await client.withConnection { connection in
                try connection.execute("INSERT INTO sales (seller, sold_at, product) VALUES (1, now(), 'pen')")
            }
            let before = try await client.withConnection { connection in
                (
                    try ModelInstallation.read(on: connection),
                    try connection.query("SELECT count(*) FROM arbor.model_changes").first!.decode(Int64.self, at: 0)
                )
            }
            let again = try await ModelInstallSupport.install(model, on: client)
            #expect(again.outcome == .unchanged)
            #expect(again.fingerprint == first.fingerprint && again.previousFingerprint == first.fingerprint)
            #expect(again.rollups.isEmpty && again.droppedTriggers.isEmpty && again.droppedRollups.isEmpty)
            let after = try await client.withConnection { connection in
                (
                    try ModelInstallation.read(on: connection),
                    try connection.query("SELECT count(*) FROM arbor.model_changes").first!.decode(Int64.self, at: 0)
                )
            }
            #expect(after.0 == before.0, "installed_at and the fingerprint stay")
            #expect(after.1 == before.1, "the change log is left alone")
            #expect(try await Self.checkMessage(model, client) == nil)
            try await Self.expectExact(model, client, "after a second install")
        }
    }

    @Test func aChangedModelRebuildsWhatDependsOnIt() async throws {
        try await TestDatabase.withClient { client in
            try await ModelInstallSupport.execute(client, Self.schema)
            let first = try await ModelInstallSupport.resolve(Self.first, on: client)
            let second = try await ModelInstallSupport.resolve(Self.second, on: client)
            let third = try await ModelInstallSupport.resolve(Self.third, on: client)
            let installed = try await ModelInstallSupport.install(first, on: client)
            try await Self.expectExact(first, client, "first model")

            let message = try #require(try await Self.checkMessage(second, client))
            #expect(message.hasPrefix("the model differs from the one installed on "))
            #expect(message.hasSuffix("; run `arbor-server migrate --model m.yaml` to rebuild"))
            #expect(message.contains("time_zone 'America/New_York'"), "says what differs: \(message)")

            let rebuilt = try await ModelInstallSupport.install(second, on: client)
            #expect(rebuilt.outcome == .rebuilt)
            #expect(rebuilt.previousFingerprint == installed.fingerprint)
            #expect(rebuilt.fingerprint != installed.fingerprint)
            #expect(rebuilt.rollups.map(\.source) == ["sales", "hires"])
            #expect(rebuilt.rollups.map(\.action) == [.built, .kept])
            #expect(rebuilt.droppedRollups == ["arbor.\"rollup_sales\""])
            #expect(try await Self.checkMessage(second, client) == nil)
            #expect(try await Self.checkMessage(first, client) != nil)
            try await Self.expectExact(second, client, "after the rebuild")
            let columns = try await client.withConnection { connection in
                try connection.query(
                    """
                    SELECT attname::text FROM pg_attribute
                    WHERE attrelid = 'arbor.rollup_sales'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
                    """
                ).map { try $0.decode(String.self, at: 0) }
            }
            #expect(
                columns == [
                    "node", "day", "dim_product", "dim_channel", "count", "sum_units", "sum_amount", "sum_discount",
                ])

            // The new triggers keep it exact; readers are told to reload.
            let s0 = try await ModelInstallSupport.observe(second.sources[0], of: second, since: nil, on: client)
            try await client.withTransaction { connection in
                try connection.execute(
                    """
                    INSERT INTO sales (seller, sold_at, product, channel, units, amount, discount)
                    VALUES (2, '2024-11-03 04:30+00', 'ink', 'app', 5, 1.99, 0.015)
                    """)
                try connection.execute("UPDATE sales SET channel = 'web' WHERE channel IS NULL")
                try connection.execute("INSERT INTO hires VALUES (2, '2022-02-02', 'moved')")
            }
            try await Self.expectExact(second, client, "after writes under the new model")
            let s1 = try await ModelInstallSupport.observe(
                second.sources[0], of: second, since: s0.snapshot, on: client)
            #expect(ModelInstallSupport.apply(s1.changes, of: "sales", to: s0.rollup) == s1.rollup)

            let removed = try await ModelInstallSupport.install(third, on: client)
            #expect(removed.outcome == .rebuilt)
            #expect(removed.rollups.map(\.action) == [.kept])
            #expect(removed.droppedRollups == ["arbor.\"rollup_hires\""])
            #expect(removed.droppedTriggers.contains("arbor_model_event_hires_insert on hires"))
            let (hiresTriggers, hiresRollup, registered, functions) = try await client.withConnection { connection in
                (
                    try ModelInstallSupport.triggers(on: DataModel.TableName(name: "hires"), on: connection),
                    try connection.query("SELECT to_regclass('arbor.rollup_hires') IS NOT NULL").first!
                        .decode(Bool.self, at: 0),
                    try connection.query("SELECT source FROM arbor.model_rollups").map {
                        try $0.decode(String.self, at: 0)
                    },
                    try connection.query(
                        "SELECT proname::text FROM pg_proc WHERE proname LIKE 'capture_event_hires%'"
                    ).count
                )
            }
            #expect(hiresTriggers == [])
            #expect(!hiresRollup)
            #expect(registered == ["sales"])
            #expect(functions == 0)
            try await Self.expectExact(third, client, "after removing a source")
            // Writes to a table the model no longer names are not captured and do not fail.
            try await client.withConnection { try $0.execute("INSERT INTO hires VALUES (1, '2023-01-01', 'x')") }
        }
    }

    @Test func noModelInstalledIsRefusedWithTheCommandToRun() async throws {
        try await TestDatabase.withClient { client in
            try await ModelInstallSupport.execute(client, Self.schema)
            let model = try await ModelInstallSupport.resolve(Self.first, on: client)
            #expect(try await client.withConnection { try ModelInstallation.read(on: $0) } == nil)
            #expect(
                try await Self.checkMessage(model, client)
                    == "the database has no Arbor objects for this model; run `arbor-server migrate --model m.yaml`")
        }
    }

    @Test func aDisabledOrMissingTriggerIsFoundAndRepaired() async throws {
        try await TestDatabase.withClient { client in
            try await ModelInstallSupport.execute(client, Self.schema)
            let model = try await ModelInstallSupport.resolve(Self.first, on: client)
            _ = try await ModelInstallSupport.install(model, on: client)
            // Writes while the trigger is off are missed by the rollup: the repair must rebuild it.
            try await client.withConnection { connection in
                try connection.execute("ALTER TABLE sales DISABLE TRIGGER arbor_model_event_sales_insert")
                try connection.execute("INSERT INTO sales (seller, sold_at, product) VALUES (2, now(), 'missed')")
                try connection.execute("DROP TRIGGER arbor_model_nodes_update ON staff")
            }
            let message = try #require(try await Self.checkMessage(model, client))
            #expect(message.hasPrefix("Arbor's objects for this model are incomplete (missing or disabled: "))
            #expect(message.contains("trigger arbor_model_nodes_update on public.staff"))
            #expect(message.hasSuffix("run `arbor-server migrate --model m.yaml` to repair"))
            let repaired = try await ModelInstallSupport.install(model, on: client)
            #expect(repaired.outcome == .repaired)
            #expect(repaired.rollups.map(\.action) == [.built, .kept])
            #expect(try await Self.checkMessage(model, client) == nil)
            try await Self.expectExact(model, client, "after the repair")
        }
    }

    @Test func aViewCannotBeCapturedAndNothingIsLeftBehind() async throws {
        try await TestDatabase.withClient { client in
            try await ModelInstallSupport.execute(
                client, Self.schema + ";\nCREATE VIEW sales_view AS SELECT * FROM sales")
            let model = try await ModelInstallSupport.resolve(
                Self.first.replacingOccurrences(of: "table: sales", with: "table: sales_view"), on: client)
            do {
                _ = try await ModelInstallSupport.install(model, on: client)
                Issue.record("a view was accepted as an event table")
            } catch let error as StoreError {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("public.sales_view is a view"))
            }
            let leftovers = try await client.withConnection { connection in
                try connection.query(
                    "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'arbor_model%'"
                ).first!.decode(Int64.self, at: 0)
            }
            #expect(leftovers == 0)
            #expect(try await client.withConnection { try ModelInstallation.read(on: $0) } == nil)
        }
    }

    @Test func anUnknownTimeZoneIsAnInvalidArgument() async throws {
        try await TestDatabase.withClient { client in
            try await ModelInstallSupport.execute(client, Self.schema)
            var model = try await ModelInstallSupport.resolve(Self.first, on: client)
            model.model.timeZone = "Mars/Olympus_Mons"
            do {
                _ = try await ModelInstallSupport.install(model, on: client)
                Issue.record("an unknown zone was accepted")
            } catch let error as StoreError {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("unknown time zone \"Mars/Olympus_Mons\""))
            }
        }
    }
}
