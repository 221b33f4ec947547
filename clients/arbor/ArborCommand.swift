import ArborCLIKit
import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `arbor`: ask an Arbor server about the hierarchy from the command line.
@main
struct ArborCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbor",
        abstract: "Ask an Arbor server about its hierarchy: the model, nodes, downlines, stats, leaderboards, cycles.",
        discussion: """
            A <node> is an id of the model's id type, or an exact label: an id that exists wins; a label that \
            several nodes share lists them on stderr and exits 5. `arbor describe` shows the names (attributes, \
            sources, dimensions, measures) the other commands take.

            Examples:
              arbor describe
              arbor find Raj
              arbor descendants "Raj Kumar" --max-depth 2 --where role=DPOC,DPR
              arbor ancestors 1017 --parents
              arbor stats "Raj Kumar" --group-by day,role --from 2026-01-01
              arbor leaderboard --measure amount --within "Raj Kumar" --limit 10
              arbor cycles --format json
              arbor health --server 10.0.0.5:50051

            Output: --format table (default on a terminal), json (default otherwise), csv. Scaled measures show \
            as decimals in table and CSV, and as the exact integer (value × 10^scale) with its scale in JSON.

            Exit codes:
              0  ok
              1  usage error (bad option or value)
              2  invalid argument or not found (also: no such node or name)
              3  server unavailable (or health not SERVING)
              4  deadline exceeded (raise --timeout)
              5  ambiguous label (candidates listed on stderr)
              6  resource exhausted (narrow the request)
              7  any other server error
            """,
        subcommands: [
            DescribeCommand.self, FindCommand.self, DescendantsCommand.self, AncestorsCommand.self,
            StatsCommand.self, LeaderboardCommand.self, CyclesCommand.self, HealthCommand.self,
        ]
    )

    /// Runs the command, mapping failures to the documented exit codes (ArgumentParser's own would be 64).
    static func main() async {
        signal(SIGPIPE, SIG_IGN)  // a closed stdout shows up as EPIPE, handled in Output
        do {
            var command = try parseAsRoot(GlobalOptionOrder.reordered(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            Output.writeError("arbor: \(error.message)\n")
            terminate(error.exitCode.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                Output.write(fullMessage(for: error) + "\n")
                terminate(CLIExitCode.ok.rawValue)
            }
            Output.writeError("arbor: " + fullMessage(for: error) + "\n")
            terminate(CLIExitCode.usage.rawValue)
        }
    }
}

/// Ends the process with `code` (a free function: inside a command, `exit` names ArgumentParser's method).
func terminate(_ code: Int32) -> Never {
    exit(code)
}
