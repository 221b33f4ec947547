public import ArborModel

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The model a database was installed for by ``ModelInstaller`` (the row of `arbor.model`).
public struct ModelInstallation: Sendable, Hashable {
    /// The SHA-256 of the installed ``ModelFingerprint``, in hex.
    public var fingerprint: String
    /// The installed ``ModelFingerprint/text``.
    public var modelText: String
    public var timeZone: String
    public var installedAt: Date

    /// The installed model, or `nil` when the database has none (no `arbor.model`, or an empty one).
    public static func read(on connection: PostgresConnection) throws -> ModelInstallation? {
        let exists = try connection.query("SELECT to_regclass('arbor.model') IS NOT NULL").first!
            .decode(Bool.self, at: 0)
        guard exists else { return nil }
        return try connection.query("SELECT fingerprint, model_text, time_zone, installed_at FROM arbor.model")
            .first.map { row in
                ModelInstallation(
                    fingerprint: try row.decode(String.self, at: 0), modelText: try row.decode(String.self, at: 1),
                    timeZone: try row.decode(String.self, at: 2), installedAt: try row.decode(Date.self, at: 3))
            }
    }

    /// Checks that the database has Arbor's objects for exactly `model`, complete and enabled: what a server runs
    /// before it serves. Read-only.
    ///
    /// - Parameter migrateCommand: the command that fixes it, quoted in the message (the model file's path
    ///   filled in by the caller).
    /// - Throws: ``StoreError/Code/schemaMismatch`` whose message says what is wrong and to run `migrateCommand`:
    ///   no model installed, another model installed (and when), or objects of this model missing or disabled.
    public static func check(
        _ model: ResolvedModel, on connection: PostgresConnection,
        migrateCommand: String = "arbor-server migrate --model FILE"
    ) throws {
        let plan = try ModelInstallPlan(model)
        guard let installed = try read(on: connection) else {
            throw StoreError(
                .schemaMismatch, "the database has no Arbor objects for this model; run `\(migrateCommand)`")
        }
        let fingerprint = try plan.fingerprint.sha256(on: connection)
        guard installed.fingerprint == fingerprint else {
            throw StoreError(
                .schemaMismatch,
                "the model differs from the one installed on \(installed.installedAt.formatted(.iso8601)) "
                    + "(\(Self.firstDifference(installed.modelText, plan.fingerprint.text))); run `\(migrateCommand)` "
                    + "to rebuild")
        }
        var notes: [String] = []
        let capturable = try ModelInstaller.checkTables(of: plan, on: connection, notes: &notes)
        let state = InstalledState(
            plan: plan, triggers: plan.triggers(closedValueTables: capturable),
            existing: try ModelInstaller.existingTriggers(on: connection),
            registered: try ModelInstaller.registeredRollups(on: connection))
        let missing = state.missing
        guard missing.isEmpty else {
            throw StoreError(
                .schemaMismatch,
                "Arbor's objects for this model are incomplete (missing or disabled: "
                    + "\(missing.prefix(3).joined(separator: ", "))\(missing.count > 3 ? ", …" : "")); "
                    + "run `\(migrateCommand)` to repair")
        }
    }

    /// The first line where the installed model's text and this one's differ, for the operator.
    static func firstDifference(_ installed: String, _ current: String) -> String {
        let old = installed.split(separator: "\n", omittingEmptySubsequences: false)
        let new = current.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(old.count, new.count) {
            let a = index < old.count ? String(old[index]) : ""
            let b = index < new.count ? String(new[index]) : ""
            if a != b {
                let shown = { (line: String) in line.isEmpty ? "nothing" : String(line.drop { $0 == " " }) }
                return "installed: \(shown(a)); this model: \(shown(b))"
            }
        }
        return "same text"
    }
}
