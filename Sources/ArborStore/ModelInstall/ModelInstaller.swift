public import ArborModel

/// Installs Arbor's own objects for a model in schema `arbor` (what `arbor-server migrate --model` runs):
///
/// - `arbor.model`: the installed model's ``ModelFingerprint`` (text and SHA-256), time zone and time of install;
/// - per event source a daily rollup, ``SourceRollup``, filled from the source table and kept exact in each writer's
///   own transaction by statement-level triggers;
/// - change capture on the nodes table, the edge table, each event table and each closed-values table, logging to
///   `arbor.model_changes` what an incremental refresh applies (``PostgresConnection/modelChanges(since:until:model:)``);
/// - `arbor.current_version()`, the version token, when the database does not have it yet.
///
/// The application's tables get triggers and nothing else: no column, index or constraint. The trigger functions
/// run as the installing role (`SECURITY DEFINER`), so the application's own role needs no rights in schema
/// `arbor`, and every expression they evaluate is total, so capturing a write never makes it fail.
///
/// Everything happens in one transaction that first takes `SHARE ROW EXCLUSIVE` on every captured table: writers
/// wait (readers do not) until the rollups are filled and the triggers in place, so no write is missed or counted
/// twice. Running it again with the same model changes nothing; with another model it drops the capture triggers
/// and functions (also on tables the model no longer names) and every rollup whose definition changed, then builds
/// the new ones and logs a `reset` for readers.
public enum ModelInstaller {
    /// The transaction-level advisory lock every install takes first ("Arbor" in ASCII).
    static let advisoryLockKey: Int64 = 0x41_7262_6F72
    /// Installs `model`, or brings an earlier installation up to it. Call it outside a transaction; it runs its
    /// own.
    ///
    /// - Throws: ``StoreError`` — ``StoreError/Code/invalidArgument`` for an unknown time zone, a table that cannot
    ///   carry triggers (a view), a name too long for PostgreSQL, or a table in schema `arbor` that is in the way;
    ///   otherwise the failing statement's error. Nothing is left behind on failure.
    public static func install(_ model: ResolvedModel, on connection: PostgresConnection) throws -> ModelInstallReport {
        let plan = try ModelInstallPlan(model)
        guard !connection.isInTransaction else {
            throw StoreError(.invalidArgument, "installing a model needs a connection outside a transaction")
        }
        try connection.execute("BEGIN")
        do {
            let report = try run(plan, on: connection)
            try connection.execute("COMMIT")
            return report
        } catch {
            if connection.isInTransaction { _ = try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    private static func run(_ plan: ModelInstallPlan, on connection: PostgresConnection) throws -> ModelInstallReport {
        // Concurrent installs wait for each other.
        try connection.execute("SELECT pg_advisory_xact_lock($1)", [.int64(Self.advisoryLockKey)])
        for statement in ModelInstallSchema.statements { try connection.execute(statement) }
        let hasVersion = try connection.query("SELECT to_regprocedure('arbor.current_version()') IS NOT NULL")
            .first!.decode(Bool.self, at: 0)
        if !hasVersion { try connection.execute(ModelInstallSchema.currentVersion) }
        try checkTimeZone(plan.model.model.timeZone, on: connection)
        let fingerprint = try plan.fingerprint.sha256(on: connection)

        var report = ModelInstallReport(outcome: .installed, fingerprint: fingerprint)
        let capturableValueTables = try checkTables(of: plan, on: connection, notes: &report.notes)
        var locked: [String] = []
        for table in (plan.capturedTables + capturableValueTables).map(ModelSQL.qualified) where !locked.contains(table)
        {
            locked.append(table)
        }
        try connection.execute("LOCK TABLE \(locked.joined(separator: ", ")) IN SHARE ROW EXCLUSIVE MODE")

        let installed = try connection.query("SELECT fingerprint FROM arbor.model").first?.decode(String.self, at: 0)
        report.previousFingerprint = installed
        let triggers = plan.triggers(closedValueTables: capturableValueTables)
        let existing = try existingTriggers(on: connection)
        let state = InstalledState(
            plan: plan, triggers: triggers, existing: existing, registered: try registeredRollups(on: connection))
        if installed == fingerprint && state.missing.isEmpty {
            report.outcome = .unchanged
            return report
        }
        report.outcome = installed == nil ? .installed : installed == fingerprint ? .repaired : .rebuilt

        let kept = Set(plan.sources.filter(state.isIntact).map(\.source.name))
        for trigger in existing {
            try connection.execute("DROP TRIGGER \(ModelSQL.quoted(trigger.name)) ON \(trigger.qualifiedTable)")
            report.droppedTriggers.append("\(trigger.name) on \(trigger.qualifiedTable)")
        }
        for function in try captureFunctions(on: connection) { try connection.execute("DROP FUNCTION \(function)") }
        for (source, rollup) in state.registered.sorted(by: { $0.key < $1.key }) where !kept.contains(source) {
            try connection.execute("DROP TABLE IF EXISTS arbor.\(ModelSQL.quoted(rollup.tableName))")
            // The packs of a registered source are named after it (SourcePack); a layout without them has none.
            try connection.execute(
                "DROP TABLE IF EXISTS arbor.\(ModelSQL.quoted(SourcePack.tablePrefix + source)), "
                    + "arbor.\(ModelSQL.quoted(SourcePack.combinationsPrefix + source))")
            try connection.execute("DELETE FROM arbor.model_rollups WHERE source = $1", [.text(source)])
            report.droppedRollups.append("arbor.\(ModelSQL.quoted(rollup.tableName))")
        }

        try connection.execute(ModelInstallSchema.packMerge)
        let (workMem, jit) = try connection.query("SELECT current_setting('work_mem'), current_setting('jit')").first
            .map { (try $0.decode(String.self, at: 0), try $0.decode(String.self, at: 1)) }!
        for function in plan.functions { try connection.execute(function) }
        // Firing a trigger checks no privilege on its function, creating one does: without EXECUTE nobody else can
        // attach these definer-rights functions to a table of their own and write into schema arbor through them.
        for function in try captureFunctions(on: connection) {
            try connection.execute("REVOKE EXECUTE ON FUNCTION \(function) FROM PUBLIC")
        }
        for source in plan.sources {
            let table = source.rollup.qualifiedTable
            if kept.contains(source.source.name) {
                let rows = try connection.query("SELECT count(*) FROM \(table)").first!.decode(Int64.self, at: 0)
                report.rollups.append(.init(source: source.source.name, table: table, action: .kept, rows: rows))
                continue
            }
            for table in [table, source.pack.qualifiedTable, source.pack.qualifiedCombinationsTable] {
                let inTheWay = try connection.query("SELECT to_regclass($1) IS NOT NULL", [.text(table)]).first!
                    .decode(Bool.self, at: 0)
                if inTheWay {
                    throw StoreError(
                        .invalidArgument,
                        "\(table) exists and is not a rollup installed by `migrate --model`; rename the event "
                            + "source \(source.source.name)")
                }
            }
            try connection.execute(source.createTable)
            let rows = try connection.execute(source.backfill)
            for statement in source.createIndexes { try connection.execute(statement) }
            try connection.execute("ANALYZE \(table)")
            // One pass over the rollup sorts and aggregates every row: in memory and without JIT it is far faster.
            try connection.execute("SELECT set_config('work_mem', '256MB', true), set_config('jit', 'off', true)")
            for statement in source.createPackTables + source.packBackfill { try connection.execute(statement) }
            try connection.execute(
                "SELECT set_config('work_mem', $1, true), set_config('jit', $2, true)",
                [
                    .text(workMem), .text(jit),
                ])
            try connection.execute(
                "INSERT INTO arbor.model_rollups (source, table_name, definition) VALUES ($1, $2, $3)",
                [
                    .text(source.source.name), .text(source.rollup.tableName),
                    .text(ModelFingerprint.sourceDefinition(source.source, of: plan.model)),
                ])
            report.rollups.append(.init(source: source.source.name, table: table, action: .built, rows: Int64(rows)))
        }
        for trigger in triggers { try connection.execute(trigger.create) }
        var captured: [String] = []
        for trigger in triggers where !captured.contains(trigger.table.description) {
            captured.append(trigger.table.description)
        }
        report.capturedTables = captured

        // Entries written under another model may not even parse under this one; every reader reloads anyway.
        try connection.execute("DELETE FROM arbor.model_changes")
        try connection.execute("INSERT INTO arbor.model_changes (kind) VALUES ('reset')")
        try connection.execute(
            """
            INSERT INTO arbor.model (singleton, fingerprint, model_text, time_zone, installed_at)
            VALUES (true, $1, $2, $3, now())
            ON CONFLICT (singleton) DO UPDATE SET fingerprint = excluded.fingerprint,
                model_text = excluded.model_text, time_zone = excluded.time_zone, installed_at = excluded.installed_at
            """,
            [.text(fingerprint), .text(plan.fingerprint.text), .text(plan.model.model.timeZone)])
        return report
    }

    /// Checks that every captured table is a table (a view cannot carry the triggers) and returns the closed-values
    /// tables that can carry one; the others get a note.
    static func checkTables(
        of plan: ModelInstallPlan, on connection: PostgresConnection, notes: inout [String]
    ) throws -> [DataModel.TableName] {
        for table in plan.capturedTables {
            guard let kind = try relationKind(of: table, on: connection) else {
                throw StoreError(.invalidArgument, "no table \(table): run `arbor-server check-model` first")
            }
            guard kind == "r" || kind == "p" else {
                throw StoreError(
                    .invalidArgument,
                    "\(table) is \(describe(kind)); Arbor captures changes with triggers, which need a table")
            }
        }
        var capturable: [DataModel.TableName] = []
        for table in plan.closedValueTables {
            let kind = try relationKind(of: table, on: connection)
            if kind == "r" || kind == "p" {
                capturable.append(table)
            } else {
                notes.append(
                    "\(table) is \(kind.map(describe) ?? "missing"): changes to its values are seen at full reloads "
                        + "only")
            }
        }
        return capturable
    }

    /// Raises ``StoreError/Code/invalidArgument`` for a zone PostgreSQL does not know.
    private static func checkTimeZone(_ zone: String, on connection: PostgresConnection) throws {
        do {
            try connection.execute("SAVEPOINT arbor_time_zone")
            _ = try connection.query("SELECT now() AT TIME ZONE $1", [.text(zone)])
            try connection.execute("RELEASE SAVEPOINT arbor_time_zone")
        } catch let error as StoreError where error.sqlState == "22023" {
            try connection.execute("ROLLBACK TO SAVEPOINT arbor_time_zone")
            throw StoreError(
                .invalidArgument, "unknown time zone \"\(zone)\" (use an IANA name such as Asia/Kolkata)",
                serverDiagnostics: error.serverDiagnostics, statement: error.statement)
        }
    }

    /// `pg_class.relkind` of `table`, or `nil` when there is none.
    private static func relationKind(of table: DataModel.TableName, on connection: PostgresConnection) throws
        -> String?
    {
        try connection.query(
            """
            SELECT c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2
            """, [.text(table.schema), .text(table.name)]
        ).first?.decode(String.self, at: 0)
    }

    private static func describe(_ relationKind: String) -> String {
        switch relationKind {
        case "v": "a view"
        case "m": "a materialized view"
        case "f": "a foreign table"
        default: "not a table (relkind \(relationKind))"
        }
    }

    struct TriggerKey: Hashable {
        var schema: String
        var table: String
        var name: String

        init(schema: String, table: String, name: String) {
            self.schema = schema
            self.table = table
            self.name = name
        }

        init(_ trigger: CaptureTrigger) {
            self.init(schema: trigger.table.schema, table: trigger.table.name, name: trigger.name)
        }
    }

    struct ExistingTrigger {
        var key: TriggerKey
        var name: String { key.name }
        /// The table as `regclass` prints it: quoted where needed, qualified unless on the search path.
        var qualifiedTable: String
        var enabled: Bool
    }

    /// Every capture function in schema `arbor`, as `regprocedure` prints it.
    static func captureFunctions(on connection: PostgresConnection) throws -> [String] {
        try connection.query(
            """
            SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'arbor' AND p.proname LIKE 'capture\\_%'
            """
        ).map { try $0.decode(String.self, at: 0) }
    }

    /// Every trigger, on any table, that calls one of Arbor's capture functions.
    static func existingTriggers(on connection: PostgresConnection) throws -> [ExistingTrigger] {
        try connection.query(
            """
            SELECT t.tgname::text, tn.nspname::text, c.relname::text, c.oid::regclass::text, t.tgenabled <> 'D'
            FROM pg_trigger t
            JOIN pg_proc p ON p.oid = t.tgfoid
            JOIN pg_namespace pn ON pn.oid = p.pronamespace
            JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace tn ON tn.oid = c.relnamespace
            WHERE pn.nspname = 'arbor' AND p.proname LIKE 'capture\\_%' AND NOT t.tgisinternal
            ORDER BY 2, 3, 1
            """
        ).map { row in
            ExistingTrigger(
                key: TriggerKey(
                    schema: try row.decode(String.self, at: 1), table: try row.decode(String.self, at: 2),
                    name: try row.decode(String.self, at: 0)),
                qualifiedTable: try row.decode(String.self, at: 3), enabled: try row.decode(Bool.self, at: 4))
        }
    }

    struct RegisteredRollup {
        var tableName: String
        var definition: String
        var exists: Bool
    }

    static func registeredRollups(on connection: PostgresConnection) throws -> [String: RegisteredRollup] {
        var rollups: [String: RegisteredRollup] = [:]
        for row in try connection.query(
            """
            SELECT source, table_name, definition,
                to_regclass('arbor.' || quote_ident(table_name)) IS NOT NULL
                AND to_regclass('arbor.' || quote_ident($1 || source)) IS NOT NULL
            FROM arbor.model_rollups
            """, [.text(SourcePack.tablePrefix)])
        {
            rollups[try row.decode(String.self, at: 0)] = RegisteredRollup(
                tableName: try row.decode(String.self, at: 1), definition: try row.decode(String.self, at: 2),
                exists: try row.decode(Bool.self, at: 3))
        }
        return rollups
    }
}
