import ArborCLIKit
import ArborClient
import ArgumentParser

struct CyclesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycles",
        abstract: "List groups of nodes that reach each other (data errors to repair), largest first.",
        discussion: "Example: arbor cycles --limit 10")

    @Option(help: "At most this many groups (0 = all).") var limit: UInt32 = 0
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let model = try await session.model()
            let answer = try await session.client.cycles(limit: limit, freshness: session.options.freshness)
            let labels = await session.labels(answer.value.groups.joined(), model: model)
            session.emit(Renderers.cycles(answer, context: session.context(model: model, labels: labels)))
        }
    }
}
