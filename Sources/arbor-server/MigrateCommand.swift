import ArborModel
import ArborModelFile
import ArborStore
import ArgumentParser
import Foundation
import Logging

/// `arbor-server migrate`: installs Arbor's objects for the model (``ModelInstaller``), the built-in war-story
/// model unless `--model` or `ARBOR_MODEL` names another.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Install Arbor's objects for a model (the built-in war-story model without --model).",
        discussion: """
            Reads the model (--model FILE, else ARBOR_MODEL, else the built-in war-story model), checks it against \
            the database's catalog, then installs Arbor's objects for it in the schema "arbor": arbor.model (the \
            model's fingerprint and time zone), a daily rollup per event source kept exact by triggers, change \
            capture on the model's tables, and the change log. The application's tables get triggers and nothing \
            else; they must exist (for the demo, 'arbor-server seed-demo' creates them). Writers to the model's \
            tables wait while it runs. Running it again with the same model changes nothing; after a change of the \
            model (a dimension, a measure, the time zone) it rebuilds what depends on it. A server refuses to serve \
            a model other than the installed one.

            Example: arbor-server migrate --model /etc/arbor/arbor.yaml --database-url postgresql://arbor@db/org
            """)

    @OptionGroup var database: DatabaseOptions

    /// `--model` or `ARBOR_MODEL`; the built-in war-story model without either.
    @OptionGroup var model: ModelOption

    func run() async throws {
        try await installModel()
    }
}

extension MigrateCommand {
    /// Reads and checks the model, then installs it.
    private func installModel() async throws {
        let loaded = try model.load()
        let configuration = try self.database.configuration()
        var logger = Logger(label: "arbor.migrate")
        logger.logLevel = .error
        let client = PostgresClient(configuration: configuration, maxConnections: 1, logger: logger)
        let outcome: Result<ModelInstallReport, ModelProblems>
        do {
            outcome = try await client.withConnection { connection in
                let catalog = try ModelCatalog.check(loaded.model, on: connection, line: { loaded.line(of: $0) })
                guard let resolved = catalog.resolved else {
                    let problems = catalog.problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
                    return .failure(ModelProblems(file: loaded.file, problems: problems))
                }
                return .success(try ModelInstaller.install(resolved, on: connection))
            }
        } catch let error as StoreError {
            await client.shutdown()
            throw MigrateFailure(message: "migrate: \(Self.detail(of: error))")
        }
        await client.shutdown()
        switch outcome {
        case .failure(let problems):
            FileHandle.standardError.write(Data((problems.description + "\n").utf8))
            throw ExitCode(1)
        case .success(let report):
            print("migrate: database \(configuration)")
            print("migrate: model \(loaded.file)")
            for line in Self.describe(report) { print("migrate: \(line)") }
        }
    }

    static func detail(of error: StoreError) -> String {
        var detail = error.message
        if let server = error.serverDiagnostics?.message { detail += " — \(server)" }
        if error.code == .connectionFailed, let library = error.libraryMessage { detail += " — \(library)" }
        return detail
    }

    /// The report as lines for people.
    static func describe(_ report: ModelInstallReport) -> [String] {
        var lines: [String] = []
        let fingerprint = String(report.fingerprint.prefix(16))
        switch report.outcome {
        case .unchanged:
            return ["the model is installed and unchanged (fingerprint \(fingerprint)); nothing to do"]
        case .installed:
            lines.append("installed the model (fingerprint \(fingerprint))")
        case .repaired:
            lines.append("repaired missing or disabled objects of the installed model (fingerprint \(fingerprint))")
        case .rebuilt:
            let previous = report.previousFingerprint.map { String($0.prefix(16)) } ?? "none"
            lines.append("the model changed (fingerprint \(previous) → \(fingerprint)); rebuilt what depends on it")
        }
        lines += report.droppedTriggers.map { "dropped trigger \($0)" }
        lines += report.droppedRollups.map { "dropped rollup \($0)" }
        for rollup in report.rollups {
            switch rollup.action {
            case .built: lines.append("built rollup \(rollup.table) of source \(rollup.source): \(rollup.rows) rows")
            case .kept:
                lines.append(
                    "kept rollup \(rollup.table) of source \(rollup.source) (unchanged): \(rollup.rows) rows")
            }
        }
        lines += report.capturedTables.map { "change capture on \($0)" }
        lines += report.notes.map { "note: \($0)" }
        return lines
    }
}

/// An operator-facing failure: the message is printed and the exit code is 1.
struct MigrateFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }
}
