import ArborModel
import ArborTestSupport
import Foundation
import Testing

@testable import ArborStore

@Suite struct MigrationFileTests {
    @Test(arguments: [
        ("0001_application_tables.sql", 1, "application_tables"),
        ("0012_more_indexes.sql", 12, "more_indexes"),
    ])
    func parsesFileNames(file: String, version: Int, name: String) throws {
        let migration = try #require(Migration(fileName: file, sql: "SELECT 1;"))
        #expect(migration.version == version && migration.name == name)
    }

    @Test(arguments: ["0001_x.txt", "x_0001.sql", "0000_zero.sql", "0001_.sql", "0001.sql", "-1_x.sql"])
    func rejectsBadFileNames(file: String) {
        #expect(Migration(fileName: file, sql: "") == nil)
    }

    @Test func checksumsChangeWithTheText() throws {
        let a = try #require(Migration(fileName: "0001_a.sql", sql: "SELECT 1;"))
        let b = try #require(Migration(fileName: "0001_a.sql", sql: "SELECT 2;"))
        #expect(a.checksum != b.checksum && a.checksum.count == 16)
    }

    @Test func catalogListsEveryFileWithItsExactText() throws {
        let repo = try TestEnvironment.require("ARBOR_TEST_REPO")
        let folder = URL(fileURLWithPath: repo).appendingPathComponent("schema/migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }
            .sorted()
        #expect(files == Migration.all.map { "\($0).sql" })
        for migration in Migration.all {
            let text = try String(contentsOf: folder.appendingPathComponent("\(migration).sql"), encoding: .utf8)
            #expect(text == migration.sql, "\(migration) embedded text differs from the file")
        }
        let versions = Migration.all.map(\.version)
        #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 }, "versions must be unique")
    }
}

@Suite struct MigrationTests {
    static func tables(_ client: PostgresClient) async throws -> Set<String> {
        try await client.withConnection { connection in
            Set(
                try connection.query(
                    """
                    SELECT table_schema || '.' || table_name FROM information_schema.tables
                    WHERE table_schema IN ('public', 'arbor')
                    """
                ).map { try $0.decode(String.self, at: 0) })
        }
    }

    @Test func migratesAnEmptyDatabaseAndIsIdempotent() async throws {
        try await TestDatabase.withClient { client in
            let runner = MigrationRunner(client: client)
            #expect(try await runner.status().pendingVersions == Migration.all.map(\.version))
            let first = try await runner.migrate()
            #expect(first.applied.map(\.version) == Migration.all.map(\.version))
            #expect(first.alreadyApplied.isEmpty)
            #expect(first.timeZone == "UTC")
            let tables = try await Self.tables(client)
            for table in [
                "public.roles", "public.users", "public.user_hierarchy", "public.registrations", "arbor.settings",
                "arbor.daily_rollups", "arbor.change_log", "arbor.schema_migrations",
            ] {
                #expect(tables.contains(table), "missing \(table)")
            }
            let second = try await runner.migrate()
            #expect(second.applied.isEmpty)
            #expect(second.alreadyApplied == Migration.all.map(\.version))
            #expect(try await Self.tables(client) == tables)
            #expect(try await runner.status().isCurrent)
            let recorded = try await client.withConnection { connection in
                try connection.query("SELECT version, name, checksum FROM arbor.schema_migrations ORDER BY version")
                    .map {
                        "\(try $0.decode(Int.self, at: 0)) \(try $0.decode(String.self, at: 1)) \(try $0.decode(String.self, at: 2))"
                    }
            }
            #expect(recorded == Migration.all.map { "\($0.version) \($0.name) \($0.checksum)" })
        }
    }

    @Test func refusesADatabaseWithANewerSchema() async throws {
        try await TestDatabase.withClient { client in
            let runner = MigrationRunner(client: client)
            try await runner.migrate()
            try await client.withConnection { connection in
                try connection.execute(
                    "INSERT INTO arbor.schema_migrations (version, name, checksum) VALUES ($1, 'from_the_future', 'x')",
                    [.int(Migration.all.last!.version + 1)])
            }
            let error = await #expect(throws: StoreError.self) { try await runner.migrate() }
            #expect(error?.code == .schemaTooNew)
            let statusError = await #expect(throws: StoreError.self) { try await runner.status() }
            #expect(statusError?.code == .schemaTooNew)
        }
    }

    @Test func refusesADatabaseWhoseMigrationsDiffer() async throws {
        try await TestDatabase.withClient { client in
            let runner = MigrationRunner(client: client)
            try await runner.migrate()
            try await client.withConnection {
                try $0.execute("UPDATE arbor.schema_migrations SET checksum = 'edited' WHERE version = 2")
            }
            let error = await #expect(throws: StoreError.self) { try await runner.migrate() }
            #expect(error?.code == .schemaMismatch)
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        try await TestDatabase.withClient { client in
            let broken = [
                Migration.all[0],
                Migration(fileName: "0002_broken.sql", sql: "CREATE TABLE half_done (x int); SELECT 1/0;")!,
            ]
            let error = await #expect(throws: StoreError.self) {
                try await MigrationRunner(client: client, migrations: broken).migrate()
            }
            #expect(error?.code == .queryFailed)
            let (versions, halfDone) = try await client.withConnection { connection in
                (
                    try connection.query("SELECT version FROM arbor.schema_migrations").map {
                        try $0.decode(Int.self, at: 0)
                    },
                    try connection.query("SELECT to_regclass('half_done') IS NOT NULL").first!.decode(Bool.self, at: 0)
                )
            }
            #expect(versions == [1])
            #expect(!halfDone)
        }
    }

    @Test func numbersMayHaveGapsAndALateLowerNumberIsStillApplied() async throws {
        try await TestDatabase.withClient { client in
            let one = Migration(fileName: "0001_a.sql", sql: "CREATE TABLE a (x int);")!
            let three = Migration(fileName: "0003_c.sql", sql: "CREATE TABLE c (x int);")!
            let two = Migration(fileName: "0002_b.sql", sql: "CREATE TABLE b (x int);")!
            let first = try await MigrationRunner(client: client, migrations: [three, one]).migrate()
            #expect(first.applied.map(\.version) == [1, 3])
            let second = try await MigrationRunner(client: client, migrations: [one, two, three]).migrate()
            #expect(second.applied.map(\.version) == [2])
            #expect(second.alreadyApplied == [1, 3])
            let status = try await MigrationRunner(client: client, migrations: [one, two, three]).status()
            #expect(status.isCurrent)
            // A binary that does not know an applied migration below its newest one is refused too.
            let error = await #expect(throws: StoreError.self) {
                try await MigrationRunner(client: client, migrations: [one, three]).migrate()
            }
            #expect(error?.code == .schemaMismatch)
        }
    }

    @Test func concurrentRunsDoNotRace() async throws {
        try await TestDatabase.with { configuration in
            let clients = (0..<3).map { _ in
                PostgresClient(configuration: configuration, maxConnections: 1, logger: TestDatabase.logger)
            }
            let reports = try await withThrowingTaskGroup(of: MigrationReport.self) { group in
                for client in clients { group.addTask { try await MigrationRunner(client: client).migrate() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for client in clients { await client.shutdown() }
            #expect(reports.map(\.applied.count).sorted() == [0, 0, Migration.all.count])
        }
    }

    @Test func keepsAnOrganisationsExistingTablesAndBackfillsRollups() async throws {
        try await TestDatabase.withClient { client in
            try await client.withConnection { connection in
                try connection.executeScript(
                    """
                    CREATE TABLE roles (name text PRIMARY KEY, level int, extra text DEFAULT 'kept');
                    CREATE TABLE users (id uuid PRIMARY KEY, name text, role text REFERENCES roles, state text,
                        district text, block text, village text, status text, app_installed boolean,
                        created_by uuid, created_at timestamptz);
                    CREATE TABLE user_hierarchy (parent_id uuid, child_id uuid, PRIMARY KEY (parent_id, child_id));
                    CREATE TABLE registrations (id bigserial PRIMARY KEY, created_by uuid, created_at timestamptz,
                        registration_type text, channel text);
                    INSERT INTO roles (name, level) VALUES ('LPR', 1);
                    INSERT INTO registrations (created_by, created_at, registration_type, channel)
                    SELECT ('00000000-0000-0000-0000-00000000000' || (i % 3))::uuid, timestamptz '2024-03-01 00:00Z' + i * interval '7 hours',
                           CASE WHEN i % 5 = 0 THEN NULL ELSE 'type' || (i % 2) END, 'app'
                    FROM generate_series(1, 500) i;
                    """)
            }
            try await MigrationRunner(client: client).migrate()
            let (rollups, raw, extra) = try await client.withConnection { connection in
                (
                    try Rollups.read(connection), try Rollups.fromRegistrations(connection),
                    try connection.query("SELECT extra FROM roles").first!.decode(String.self, at: 0)
                )
            }
            #expect(extra == "kept")
            #expect(!rollups.isEmpty)
            #expect(rollups == raw)
        }
    }

    @Test func dayBoundariesFollowTheTimeZone() async throws {
        try await TestDatabase.withMigratedClient(timeZone: "Asia/Kolkata") { client in
            let days = try await client.withConnection { connection in
                try connection.execute(
                    """
                    INSERT INTO registrations (created_by, created_at, registration_type, channel) VALUES
                        ('00000000-0000-0000-0000-000000000001', '2024-06-10 18:29:00Z', 'early', 'web'),
                        ('00000000-0000-0000-0000-000000000001', '2024-06-10 18:31:00Z', 'late', 'web')
                    """)
                return try connection.query(
                    "SELECT registration_type, day FROM arbor.daily_rollups ORDER BY registration_type"
                ).map { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(Day.self, at: 1))" }
            }
            #expect(days == ["early 2024-06-10", "late 2024-06-11"])

            // Back to UTC: both on the 10th, rebuilt in the migration's transaction.
            let report = try await MigrationRunner(client: client).migrate(timeZone: "UTC")
            #expect(report.timeZoneChanged && report.timeZone == "UTC")
            let utcDays = try await client.withConnection { connection in
                try connection.query("SELECT DISTINCT day FROM arbor.daily_rollups").map {
                    try $0.decode(Day.self, at: 0).description
                }
            }
            #expect(utcDays == ["2024-06-10"])
            let again = try await MigrationRunner(client: client).migrate(timeZone: "UTC")
            #expect(!again.timeZoneChanged)
        }
    }

    @Test(arguments: ["Mars/Olympus", "", "UTC'; DROP TABLE users; --"])
    func rejectsUnknownTimeZones(zone: String) async throws {
        try await TestDatabase.withMigratedClient("badzone") { client in
            let error = await #expect(throws: StoreError.self) {
                try await MigrationRunner(client: client).migrate(timeZone: zone)
            }
            #expect(error?.code == .invalidArgument)
            let stored = try await client.withConnection {
                try $0.query("SELECT arbor.time_zone()").first!.decode(String.self, at: 0)
            }
            #expect(stored == "UTC")
        }
    }
}
