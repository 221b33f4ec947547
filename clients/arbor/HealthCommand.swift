import ArborCLIKit
import ArborClient
import ArgumentParser

struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Ask whether the server is serving (exit 0) or not yet (exit 3).",
        discussion: "Example: until arbor health; do sleep 1; done")

    @Option(help: "The service name to check ('' = the whole server).") var service: String = ""
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let status = try await session.client.health(service: service)
            session.emit(Renderers.health(status, format: session.options.format))
            if status != .serving {
                throw CLIError(.unavailable, "the server is \(status), not SERVING")
            }
        }
    }
}
