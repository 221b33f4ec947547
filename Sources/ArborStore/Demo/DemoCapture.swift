import ArborModel

/// The installed war-story model's change capture on the demo's tables, switched off while `seed-demo` loads them
/// and switched back on, with the rollups rebuilt, before its transaction commits.
///
/// Left on, the capture triggers would aggregate and log every generated registration (a delta per rollup row, 9.3 M
/// for the full demo) inside the seed's statement. Off, the load runs at the speed of an unmigrated database and
/// the rollups are then built from the tables in one pass, as `migrate` builds them
/// (`ModelInstaller`), ending with a `reset` in `arbor.model_changes` so that every running server reloads.
struct DemoCapture {
    let plan: ModelInstallPlan
    let triggers: [ModelInstaller.ExistingTrigger]

    /// The demo's application tables, which a model's capture triggers may sit on.
    static let tables: Set<String> = ["roles", "users", "user_hierarchy", "registrations"]

    /// Disables the enabled capture triggers on the demo's tables; `nil` when there are none (no model installed).
    ///
    /// - Throws: ``StoreError/Code/invalidArgument`` when the installed model is not the built-in war-story model:
    ///   its rollups could not be rebuilt here.
    static func pause(on connection: PostgresConnection) throws -> DemoCapture? {
        let triggers = try ModelInstaller.existingTriggers(on: connection).filter {
            $0.enabled && $0.key.schema == "public" && tables.contains($0.key.table)
        }
        guard !triggers.isEmpty else { return nil }
        guard let model = try ModelCatalog.check(.demo, on: connection).resolved else {
            throw StoreError(.invalidArgument, "the demo's tables do not match the built-in war-story model")
        }
        let plan = try ModelInstallPlan(model)
        let installed = try connection.query("SELECT fingerprint FROM arbor.model").first?.decode(String.self, at: 0)
        guard try installed == plan.fingerprint.sha256(on: connection) else {
            throw StoreError(
                .invalidArgument,
                "another model than the built-in war-story model is installed and captures the demo's tables; "
                    + "seed the demo into a database of its own")
        }
        for trigger in triggers {
            try connection.execute(
                "ALTER TABLE \(trigger.qualifiedTable) DISABLE TRIGGER \(ModelSQL.quoted(trigger.name))")
        }
        return DemoCapture(plan: plan, triggers: triggers)
    }

    /// Enables the triggers again and rebuilds every rollup of the model from its table.
    func resume(on connection: PostgresConnection) throws {
        for trigger in triggers {
            try connection.execute(
                "ALTER TABLE \(trigger.qualifiedTable) ENABLE TRIGGER \(ModelSQL.quoted(trigger.name))")
        }
        for source in plan.sources {
            let table = source.rollup.qualifiedTable
            try connection.execute("TRUNCATE \(table)")
            try connection.withIndexesBuiltAfterwards(on: table) { try connection.execute(source.backfill) }
            try connection.execute("ANALYZE \(table)")
        }
        try connection.execute("INSERT INTO arbor.model_changes (kind) VALUES ('reset')")
    }
}
