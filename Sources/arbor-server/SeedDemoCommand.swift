import ArborStore
import ArgumentParser
import Logging

/// `arbor-server seed-demo`: loads the deterministic demo organisation into a migrated database.
struct SeedDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-demo",
        abstract: "Generate a deterministic demo organisation inside PostgreSQL (run 'migrate' first).",
        discussion: """
            Writes users, the hierarchy, registrations and their daily rollups in one transaction. Refuses a \
            database that already has users or registrations unless --replace is given.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Users to create (at least 100).")
    var users: Int = 50_000

    @Option(help: "Days of registrations, ending yesterday in the organisation's time zone.")
    var days: Int = 90

    @Option(help: "Registrations to create, exactly.")
    var registrations: Int64 = 20_000_000

    @Option(help: "Seed: the same seed gives the same organisation.")
    var seed: Int64 = 42

    @Flag(help: "Replace existing users, hierarchy and registrations.")
    var replace = false

    func validate() throws {
        let options = DemoOrganisation.Options(
            users: users, days: days, registrations: registrations, seed: seed, replace: replace)
        do {
            try options.validate()
        } catch let error as StoreError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let options = DemoOrganisation.Options(
            users: users, days: days, registrations: registrations, seed: seed, replace: replace)
        let client = PostgresClient(
            configuration: try database.configuration(), maxConnections: 1,
            logger: Logger(label: "arbor.seed-demo"))
        let report: DemoOrganisation.Report
        do {
            report = try await DemoOrganisation.seed(options, client: client)
        } catch let error as StoreError {
            await client.shutdown()
            // The operator's own tool: the full detail (SQLSTATE, server message) helps and reaches no caller.
            Logger(label: "arbor.seed-demo").error("seed-demo failed: \(error.logDescription)")
            throw ExitCode.failure
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        let tenths =
            report.duration.components.seconds * 10 + report.duration.components.attoseconds / 100_000_000_000_000_000
        print(
            """
            seed-demo (seed \(seed)) made:
              users:          \(report.users)
              edges:          \(report.edges) (\(report.treeEdges) supervisors, \
            \(report.secondSupervisorEdges) second supervisors, \(report.cycleEdges) closing cycles)
              cycles:         \(report.cycleGroups.count) groups of sizes \
            \(report.cycleGroups.map { String($0.count) }.joined(separator: ", "))
              registrations:  \(report.registrations) in \(report.rollupRows) daily rollup rows over \(days) days
              Raj:            \(report.raj) with \(report.rajDownline) descendants
              time:           \(tenths / 10).\(tenths % 10) s
            """)
    }
}
