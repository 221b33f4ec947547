import ArborCLIKit
import ArborClient
import ArgumentParser

struct FindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find nodes by label prefix, by id, by attributes, or all of these together.",
        discussion: """
            A prefix matches labels that start with it, ASCII letters in any case. Nodes come by label, then \
            id. At least one of a prefix, --id and --where is needed.

            Examples:
              arbor find Raj
              arbor find --id 42 --id 1017
              arbor find Asha --where role=DPOC --attributes role,region --all
            """)

    @Argument(help: "The start of the label.") var prefix: String?
    @Option(name: .customLong("id"), help: ArgumentHelp("A node id to look up (repeat for more).", valueName: "id"))
    var ids: [String] = []
    @Option(help: ArgumentHelp("Attributes to show (default: all).", valueName: "a,b…"))
    var attributes: [String] = []
    @Option(help: "Nodes per page (1–1000; default 20, or 1000 with --all).") var limit: UInt32?
    @Flag(help: "Fetch every page.") var all = false
    @Option(help: ArgumentHelp("Continue after the page that gave this token.", valueName: "token"))
    var pageToken: String?
    @OptionGroup var filter: NodeFilterOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let limit, !(1...1000).contains(limit) { throw ValidationError("--limit must be between 1 and 1000") }
        _ = try OptionParsing.names(attributes, option: "--attributes")
        let matches = try filter.matches()
        guard prefix != nil || !ids.isEmpty || !matches.isEmpty else {
            throw ValidationError("give a label prefix, --id or --where")
        }
    }

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let model = try await session.model()
            let vocabulary = ModelVocabulary(model: model)
            let shown = try OptionParsing.names(attributes, option: "--attributes")
            try vocabulary.checkAttributes(shown, option: "--attributes")
            let matches = try filter.matches()
            try vocabulary.checkNodeMatches(matches, option: "--where")
            if prefix != nil && !model.hasLabel {
                throw CLIError(.invalidOrNotFound, "the model has no labels to search; use --id or --where")
            }
            for id in ids where !model.idType.accepts(id) {
                throw CLIError(.usage, "--id '\(id)' is not \(vocabulary.idPhrase)")
            }
            let search = NodeSearch(
                labelPrefix: prefix, ids: ids.isEmpty ? nil : ids, filter: matches, attributes: shown,
                pageSize: limit ?? (all ? ArborClient.maxFindNodesPage : 20))
            let pages = session.client.findNodesPages(
                search, startingAt: pageToken ?? "", freshness: session.options.freshness)
            let answer: Answer<NodePage>
            if all {
                answer = try await pages.allPages()
            } else {
                var iterator = pages.makeAsyncIterator()
                guard let first = try await iterator.next() else {
                    throw CLIError(.failed, "the server returned no page")
                }
                answer = first
            }
            session.emit(
                Renderers.nodes(
                    answer, attributes: shown.isEmpty ? model.attributes.map(\.name) : shown,
                    context: session.context(model: model)))
        }
    }
}
