import ArborStore
import ArgumentParser
import Logging

/// `arbor-server seed-demo`: loads one of the deterministic example organisations.
struct SeedDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-demo",
        abstract: "Generate a deterministic example organisation inside PostgreSQL.",
        discussion: """
            --example war-story (the default) writes roles, users, the hierarchy and registrations into the tables \
            the built-in war-story model maps (created when missing; see examples/war-story/). --example \
            log-entries writes a log tree into public.log_entries (created when missing; see examples/log-entries/). \
            Each runs in one transaction and refuses data already there unless --replace is given. Run \
            'arbor-server migrate' afterwards to install the model; when it is installed already, the war-story \
            seed switches its change capture off for the load and rebuilds its rollups before it commits.
            """)

    enum Example: String, ExpressibleByArgument, CaseIterable {
        case warStory = "war-story"
        case logEntries = "log-entries"
    }

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The example to generate: war-story or log-entries.")
    var example: Example = .warStory

    @Option(help: "war-story: users to create (at least 100; default 50000).")
    var users: Int?

    @Option(help: "war-story: days of registrations, ending yesterday in the organisation's time zone (default 90).")
    var days: Int?

    @Option(help: "war-story: registrations to create, exactly (default 20000000).")
    var registrations: Int64?

    @Option(help: "log-entries: entries to create, exactly (100 to 100000000; default 1000000).")
    var entries: Int?

    @Option(help: "log-entries: corrupt parent loops of 2 to 5 entries (default 5).")
    var loops: Int?

    @Option(help: "Seed: the same seed gives the same organisation.")
    var seed: Int64 = 42

    @Flag(help: "Replace the example's data already in the database.")
    var replace = false

    func validate() throws {
        let misplaced: [(String, Bool)] =
            example == .warStory
            ? [("--entries", entries != nil), ("--loops", loops != nil)]
            : [("--users", users != nil), ("--days", days != nil), ("--registrations", registrations != nil)]
        if let (name, _) = misplaced.first(where: \.1) {
            throw ValidationError("\(name) does not apply to --example \(example.rawValue)")
        }
        do {
            switch example {
            case .warStory: try warStoryOptions.validate()
            case .logEntries: try logEntriesOptions.validate()
            }
        } catch let error as StoreError {
            throw ValidationError(error.message)
        }
    }

    private var warStoryOptions: DemoOrganisation.Options {
        let defaults = DemoOrganisation.Options()
        return DemoOrganisation.Options(
            users: users ?? defaults.users, days: days ?? defaults.days,
            registrations: registrations ?? defaults.registrations, seed: seed, replace: replace)
    }

    private var logEntriesOptions: LogEntriesExample.Options {
        let defaults = LogEntriesExample.Options()
        return LogEntriesExample.Options(
            entries: entries ?? defaults.entries, loops: loops ?? defaults.loops, seed: seed, replace: replace)
    }

    func run() async throws {
        switch example {
        case .warStory:
            let options = warStoryOptions
            let report = try await seeding { try await DemoOrganisation.seed(options, client: $0) }
            let model =
                report.rebuiltRollups
                ? "installed already: its rollups were rebuilt" : "not installed yet: run 'arbor-server migrate'"
            print(
                """
                seed-demo (seed \(seed)) made:
                  users:          \(report.users)
                  edges:          \(report.edges) (\(report.treeEdges) supervisors, \
                \(report.secondSupervisorEdges) second supervisors, \(report.cycleEdges) closing cycles)
                  cycles:         \(report.cycleGroups.count) groups of sizes \
                \(report.cycleGroups.map { String($0.count) }.joined(separator: ", "))
                  registrations:  \(report.registrations) in \(report.rollupRows) (user, day, type, channel) cells \
                over \(options.days) days
                  Raj:            \(report.raj) with \(report.rajDownline) descendants
                  model:          \(model)
                  time:           \(Self.seconds(report.duration))
                """)
        case .logEntries:
            let options = logEntriesOptions
            let report = try await seeding { try await LogEntriesExample.seed(options, client: $0) }
            let loops = report.loops.map { "\($0.first ?? 0)–\($0.last ?? 0)" }.joined(separator: ", ")
            print(
                """
                seed-demo --example log-entries (seed \(seed)) made:
                  entries:          \(report.entries) in public.log_entries, \(report.firstDay.isoString) to \
                \(report.lastDay.isoString) (UTC)
                  roots:            \(report.roots)
                  max depth:        \(report.maxDepth)
                  largest subtree:  entry \(report.largestSubtreeRoot) with \(report.largestSubtree) descendants
                  loops:            \(report.loops.count) of sizes \
                \(report.loops.map { String($0.count) }.joined(separator: ", "))\(loops.isEmpty ? "" : ": ids \(loops)")
                  time:             \(Self.seconds(report.duration))
                """)
        }
    }

    /// Runs `body` on a one-connection client; a store error is logged in full and exits with failure.
    private func seeding<Report: Sendable>(_ body: (PostgresClient) async throws -> Report) async throws -> Report {
        let client = PostgresClient(
            configuration: try database.configuration(), maxConnections: 1,
            logger: Logger(label: "arbor.seed-demo"))
        do {
            let report = try await body(client)
            await client.shutdown()
            return report
        } catch let error as StoreError {
            await client.shutdown()
            // The operator's own tool: the full detail (SQLSTATE, server message) helps and reaches no caller.
            Logger(label: "arbor.seed-demo").error("seed-demo failed: \(error.logDescription)")
            throw ExitCode.failure
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let tenths = duration.components.seconds * 10 + duration.components.attoseconds / 100_000_000_000_000_000
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
