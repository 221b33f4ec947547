/// How the objects in the database compare with what a ``ModelInstallPlan`` creates: which triggers and rollups
/// are missing, disabled or built for another definition.
struct InstalledState {
    let plan: ModelInstallPlan
    let triggers: [CaptureTrigger]
    let existing: [ModelInstaller.ExistingTrigger]
    let registered: [String: ModelInstaller.RegisteredRollup]

    private var working: Set<ModelInstaller.TriggerKey> { Set(existing.filter(\.enabled).map(\.key)) }

    /// Whether `source`'s rollup can be kept: it exists, was built for the same definition, and all its triggers
    /// are in place and enabled (so no write since was missed).
    func isIntact(_ source: SourceCaptureSQL) -> Bool {
        guard let rollup = registered[source.source.name], rollup.exists,
            rollup.tableName == source.rollup.tableName,
            rollup.definition == ModelFingerprint.sourceDefinition(source.source, of: plan.model)
        else { return false }
        let working = self.working
        return source.triggers.allSatisfy { working.contains(ModelInstaller.TriggerKey($0)) }
    }

    /// What is missing for the plan to be complete, one line each (empty when complete).
    var missing: [String] {
        let working = self.working
        var missing = triggers.filter { !working.contains(ModelInstaller.TriggerKey($0)) }.map {
            "trigger \($0.name) on \($0.table)"
        }
        for source in plan.sources where registered[source.source.name]?.exists != true {
            missing.append("rollup \(source.rollup.qualifiedTable)")
        }
        for source in plan.sources where registered[source.source.name]?.exists == true && !isIntact(source) {
            missing.append("rollup \(source.rollup.qualifiedTable) for this model")
        }
        for source in registered.keys.sorted() where !plan.sources.contains(where: { $0.source.name == source }) {
            missing.append("no rollup of source \(source), which the model does not have")
        }
        return missing
    }
}
