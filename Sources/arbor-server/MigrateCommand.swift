import ArborStore
import ArgumentParser
import Logging

/// `arbor-server migrate`: brings a database's schema up to this binary's.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending schema migrations to the database.",
        discussion: """
            Creates the application tables if they are missing (an organisation's existing tables are left as \
            they are) and Arbor's own objects in the schema "arbor": settings, daily rollups kept by triggers, and \
            the change log. Each migration runs in its own transaction and is recorded in arbor.schema_migrations; \
            running again applies nothing. Concurrent runs wait for each other. A database whose schema is newer \
            than this binary is refused.

            --time-zone sets the organisation's time zone, which decides the calendar day of a registration; \
            changing it rebuilds the rollups in the same transaction. Without it the stored zone is kept (UTC on \
            a new database).
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(
        name: .customLong("time-zone"),
        help: ArgumentHelp(
            "IANA time zone that defines a registration's day, e.g. Asia/Kolkata.", valueName: "zone"))
    var timeZone: String?

    func validate() throws {
        if let timeZone, timeZone.allSatisfy(\.isWhitespace) {
            throw ValidationError("--time-zone must not be empty")
        }
    }

    func run() async throws {
        let configuration = try self.database.configuration()
        var logger = Logger(label: "arbor.migrate")
        logger.logLevel = .error
        let client = PostgresClient(configuration: configuration, maxConnections: 1, logger: logger)
        do {
            let report = try await MigrationRunner(client: client).migrate(timeZone: self.timeZone)
            await client.shutdown()
            print("migrate: database \(configuration)")
            if report.applied.isEmpty {
                print("migrate: schema is up to date (\(report.alreadyApplied.count) migrations applied earlier)")
            }
            for migration in report.applied { print("migrate: applied \(migration)") }
            if let zone = report.timeZone {
                print("migrate: time zone \(zone)" + (report.timeZoneChanged ? " (changed; rollups rebuilt)" : ""))
            }
        } catch let error as StoreError {
            await client.shutdown()
            var detail = error.message
            if let server = error.serverDiagnostics?.message { detail += " — \(server)" }
            if error.code == .connectionFailed, let library = error.libraryMessage { detail += " — \(library)" }
            throw MigrateFailure(message: "migrate: \(detail)")
        }
    }
}

/// An operator-facing failure: the message is printed and the exit code is 1.
struct MigrateFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }
}
