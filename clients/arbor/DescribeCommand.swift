import ArborCLIKit
import ArborClient
import ArgumentParser

struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show the served model: id type, attributes, event sources, measures and counts.",
        discussion: """
            Start here: the names it lists are what --where, --group-by, --measure, --source and --attributes \
            take. A measure with a scale is a numeric column summed exactly: tables and CSV show it as a decimal, \
            JSON as the integer value × 10^scale with the scale beside it.

            Example: arbor describe --format json
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let answer = try await session.client.describe(freshness: session.options.freshness)
            session.emit(Renderers.describe(answer, context: session.context(model: answer.value)))
        }
    }
}
