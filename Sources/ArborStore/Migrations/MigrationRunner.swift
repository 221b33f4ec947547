/// Applies the numbered migrations to a database.
///
/// - Each pending migration runs in its own transaction together with its row in `arbor.schema_migrations`
///   (version, name, applied_at, checksum), so a failed migration leaves nothing behind.
/// - Running again applies nothing: it is idempotent.
/// - A session advisory lock serialises concurrent runs (two servers starting at once): the second waits, then
///   finds nothing to do.
/// - A database whose recorded schema is newer than this binary is refused with ``StoreError/Code/schemaTooNew``;
///   one whose applied migrations differ from this binary's text with ``StoreError/Code/schemaMismatch``.
public struct MigrationRunner: Sendable {
    /// `pg_advisory_lock` key: "Arbor" in ASCII.
    static let advisoryLockKey: Int64 = 0x41_7262_6F72

    private let client: PostgresClient
    private let migrations: [Migration]

    /// - Parameters:
    ///   - client: Where to apply them.
    ///   - migrations: The migrations, by default every one compiled into the binary.
    public init(client: PostgresClient, migrations: [Migration] = Migration.all) {
        self.client = client
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies pending migrations in order, then sets the organisation's time zone if `timeZone` is given (the
    /// rollups are rebuilt in the same transaction when it changes). Without `timeZone` the stored zone is kept
    /// (UTC on a new database).
    ///
    /// - Throws: ``StoreError/Code/schemaTooNew``, ``StoreError/Code/schemaMismatch``,
    ///   ``StoreError/Code/invalidArgument`` for an unknown time zone, or the failing migration's error.
    @discardableResult
    public func migrate(timeZone: String? = nil) async throws -> MigrationReport {
        let migrations = self.migrations
        return try await self.client.withConnection { connection in
            try connection.execute("SELECT pg_advisory_lock($1)", [.int64(Self.advisoryLockKey)])
            defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", [.int64(Self.advisoryLockKey)]) }
            try connection.executeScript(
                """
                CREATE SCHEMA IF NOT EXISTS arbor;
                CREATE TABLE IF NOT EXISTS arbor.schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    checksum text NOT NULL
                );
                """)
            let applied = try Self.appliedMigrations(connection)
            try Self.check(applied: applied, known: migrations)
            var report = MigrationReport(
                applied: [], alreadyApplied: applied.map(\.version).sorted(), timeZone: nil, timeZoneChanged: false)
            let appliedVersions = Set(applied.map(\.version))
            for migration in migrations where !appliedVersions.contains(migration.version) {
                try Self.apply(migration, on: connection)
                report.applied.append(migration)
            }
            if let timeZone {
                report.timeZoneChanged = try Self.setTimeZone(timeZone, on: connection)
            }
            let hasSettings = try connection.query("SELECT to_regclass('arbor.settings') IS NOT NULL").first!
                .decode(Bool.self, at: 0)
            if hasSettings {
                report.timeZone = try connection.query("SELECT time_zone FROM arbor.settings").first?
                    .decode(String.self, at: 0)
            }
            return report
        }
    }

    /// Compares the database's recorded schema with this binary's migrations without changing anything.
    ///
    /// - Throws: ``StoreError/Code/schemaTooNew`` or ``StoreError/Code/schemaMismatch`` as ``migrate(timeZone:)``
    ///   would.
    public func status() async throws -> SchemaStatus {
        let migrations = self.migrations
        return try await self.client.withConnection { connection in
            let exists = try connection.query("SELECT to_regclass('arbor.schema_migrations') IS NOT NULL").first!
                .decode(Bool.self, at: 0)
            let applied = exists ? try Self.appliedMigrations(connection) : []
            try Self.check(applied: applied, known: migrations)
            return SchemaStatus(
                appliedVersions: applied.map(\.version).sorted(), knownVersions: migrations.map(\.version))
        }
    }

    private struct AppliedMigration {
        var version: Int
        var name: String
        var checksum: String
    }

    private static func appliedMigrations(_ connection: PostgresConnection) throws -> [AppliedMigration] {
        try connection.query("SELECT version, name, checksum FROM arbor.schema_migrations ORDER BY version").map {
            AppliedMigration(
                version: try $0.decode(Int.self, at: 0), name: try $0.decode(String.self, at: 1),
                checksum: try $0.decode(String.self, at: 2))
        }
    }

    private static func check(applied: [AppliedMigration], known: [Migration]) throws {
        let newestKnown = known.last?.version ?? 0
        if let newest = applied.map(\.version).max(), newest > newestKnown {
            throw StoreError(
                .schemaTooNew,
                "the database schema is at version \(newest), newer than this binary's \(newestKnown); "
                    + "upgrade arbor-server")
        }
        let byVersion = Dictionary(uniqueKeysWithValues: known.map { ($0.version, $0) })
        for row in applied {
            guard let migration = byVersion[row.version], migration.checksum == row.checksum else {
                throw StoreError(
                    .schemaMismatch,
                    "migration \(row.version) (\(row.name)) recorded in the database differs from this binary's")
            }
        }
    }

    private static func apply(_ migration: Migration, on connection: PostgresConnection) throws {
        try connection.execute("BEGIN")
        do {
            try connection.executeScript(migration.sql)
            try connection.execute(
                "INSERT INTO arbor.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                [.int(migration.version), .text(migration.name), .text(migration.checksum)])
            try connection.execute("COMMIT")
        } catch var error as StoreError {
            if connection.isInTransaction { _ = try? connection.execute("ROLLBACK") }
            error.message = "migration \(migration) failed: \(error.message)"
            throw error
        }
    }

    /// Returns whether the zone changed.
    private static func setTimeZone(_ zone: String, on connection: PostgresConnection) throws -> Bool {
        try connection.execute("BEGIN")
        do {
            let changed = try connection.query("SELECT arbor.set_time_zone($1)", [.text(zone)]).first!
                .decode(Bool.self, at: 0)
            try connection.execute("COMMIT")
            return changed
        } catch let error as StoreError {
            if connection.isInTransaction { _ = try? connection.execute("ROLLBACK") }
            if error.sqlState == "22023" || error.sqlState == "22P02" {
                throw StoreError(
                    .invalidArgument, "unknown time zone \"\(zone)\" (use an IANA name such as Asia/Kolkata)",
                    serverDiagnostics: error.serverDiagnostics, statement: error.statement)
            }
            throw error
        }
    }
}
