import ArborCLIKit
import ArborClient
import ArgumentParser

/// What `descendants` and `ancestors` share.
struct TraversalOptions: ParsableArguments {
    @Argument(help: "The node to start from: an id, or an exact label.") var node: String
    @Option(help: ArgumentHelp("Attributes to show for each node (the label is shown anyway).", valueName: "a,b…"))
    var attributes: [String] = []
    @Flag(help: "Show each node's tree parent (the smallest id one step closer to the start).") var parents = false
    @Option(help: "Only this many levels away (0 = all).") var maxDepth: UInt32 = 0
    @Flag(help: "List the start node first, at depth 0 (if it passes the filter).") var includeRoot = false
    @Option(help: "Stop after this many nodes (0 = all); the summary still counts every match.") var limit: UInt32 = 0
    @Flag(help: "Print only how many nodes match.") var count = false
    @OptionGroup var filter: NodeFilterOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        _ = try OptionParsing.names(attributes, option: "--attributes")
        _ = try filter.matches()
    }

    /// Streams the traversal in `direction` (`descendants` or `ancestors`), printing each chunk as it arrives.
    func run(direction: String) async throws {
        let session = try Session(global)
        try await session.run {
            let model = try await session.model()
            let vocabulary = ModelVocabulary(model: model)
            let shown = try OptionParsing.names(attributes, option: "--attributes")
            try vocabulary.checkAttributes(shown, option: "--attributes", allowLabel: true)
            let matches = try filter.matches()
            try vocabulary.checkNodeMatches(matches, option: "--where")
            let root = try await session.resolve(node, what: "the start node", model: model)
            var query = TraversalQuery(
                root: root.id, maxDepth: maxDepth, filter: matches, includeRoot: includeRoot, limit: limit,
                attributes: TraversalPrinter.requestAttributes(shown, hasLabel: model.hasLabel),
                includeParents: parents)
            let freshness = session.options.freshness
            func start(_ query: TraversalQuery) async throws(RPCError) -> TraversalStream {
                direction == "ancestors"
                    ? try await session.client.ancestors(query, freshness: freshness)
                    : try await session.client.descendants(query, freshness: freshness)
            }
            if count {
                // `total` counts matches before the limit, so one node is enough to learn it.
                query.limit = 1
                query.attributes = []
                let (_, summary) = try await start(query).collect()
                session.emit(
                    Renderers.traversalCount(
                        summary, root: root, direction: direction, context: session.context(model: model)))
                return
            }
            var printer = TraversalPrinter(
                format: session.options.format, direction: direction, root: root, hasLabel: model.hasLabel,
                includeParents: parents, attributes: shown)
            var batches = try await start(query).batches.makeAsyncIterator()
            while let batch = try await batches.next() {
                // The header comes with the first chunk, so that an error leaves stdout empty.
                Output.write(printer.batch(batch.nodes))
                if let summary = batch.summary {
                    session.emit(printer.footer(summary, nowUnixMilliseconds: Session.nowUnixMilliseconds))
                    return
                }
            }
            throw CLIError(.failed, "the server ended the \(direction) stream without its summary")
        }
    }
}

struct DescendantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "descendants",
        abstract: "Stream everything below a node, by depth then id.",
        discussion: """
            Nodes print as they arrive. A node on a cycle is never its own descendant. --where and \
            --where-not choose the nodes shown; the walk passes through the others.

            Examples:
              arbor descendants "Raj Kumar" --max-depth 2
              arbor descendants 42 --attributes role,region --parents
              arbor descendants 42 --where role=DPOC,DPR --where-not status=inactive
              arbor descendants "Raj Kumar" --count
            """)

    @OptionGroup var options: TraversalOptions

    func run() async throws {
        try await options.run(direction: "descendants")
    }
}

struct AncestorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ancestors",
        abstract: "Stream everything above a node (everyone it reports to, directly or not), nearest first.",
        discussion: """
            Examples:
              arbor ancestors "Meena Kumari"
              arbor ancestors 1017 --parents --format csv
            """)

    @OptionGroup var options: TraversalOptions

    func run() async throws {
        try await options.run(direction: "ancestors")
    }
}
