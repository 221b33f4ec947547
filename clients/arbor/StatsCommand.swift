import ArborCLIKit
import ArborClient
import ArgumentParser

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Measure the events of a node and everything below it, optionally grouped.",
        discussion: """
            --group-by takes day, week, month, node, attribute names and the source's dimensions (see \
            `arbor describe`). Without --limit every row is shown, fetched 1000 rows a page; --limit N shows \
            the first N rows and the token for the next page. Totals always cover every row.

            Examples:
              arbor stats "Raj Kumar" --group-by day,role --from 2026-01-01
              arbor stats 42 --where role=DPOC,DPR --where-not status=inactive
              arbor stats 42 --event-where channel=app --group-by week
              arbor stats 42 --source orders --measure count,amount --group-by month
            """)

    /// Rows per page when every row is fetched.
    static let defaultPageSize: UInt32 = 1000

    @Argument(help: "The root: an id, or an exact label.") var node: String
    @Option(help: ArgumentHelp("Group rows by these keys, in order.", valueName: "key,key…"))
    var groupBy: [String] = []
    @Option(help: ArgumentHelp("Measures of the source, in order (default: count).", valueName: "m,m…"))
    var measure: [String] = []
    @Flag(help: "Leave the root out of the scope.") var excludeRoot = false
    @Option(help: "Only this many levels down (0 = all).") var maxDepth: UInt32 = 0
    @Option(help: "Show one page of this many rows (default: every row).") var limit: UInt32?
    @Flag(help: "Fetch every page (of --limit rows each, default 1000).") var all = false
    @Option(help: ArgumentHelp("Continue after the page that gave this token.", valueName: "token"))
    var pageToken: String?
    @OptionGroup var filter: NodeFilterOptions
    @OptionGroup var events: EventScopeOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        _ = try OptionParsing.names(groupBy, option: "--group-by")
        _ = try OptionParsing.names(measure, option: "--measure")
        _ = try filter.matches()
        if let limit, limit == 0 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let model = try await session.model()
            let vocabulary = ModelVocabulary(model: model)
            let (scope, source) = try events.scope(vocabulary)
            let keys = try OptionParsing.names(groupBy, option: "--group-by")
            try vocabulary.checkGroupBy(keys, source: source)
            let measures = try OptionParsing.names(measure, option: "--measure")
            try vocabulary.checkMeasures(measures, source: source)
            let matches = try filter.matches()
            try vocabulary.checkNodeMatches(matches, option: "--where")
            let root = try await session.resolve(node, what: "the root", model: model)
            let query = StatsQuery(
                root: root.id, excludeRoot: excludeRoot, maxDepth: maxDepth, filter: matches, events: scope,
                groupBy: keys, measures: measures, pageSize: limit ?? Self.defaultPageSize)
            let pages = session.client.filteredStatsPages(
                query, startingAt: pageToken ?? "", freshness: session.options.freshness)
            let answer: Answer<StatsPage>
            if all || limit == nil {
                answer = try await pages.allPages()
            } else {
                var iterator = pages.makeAsyncIterator()
                guard let first = try await iterator.next() else {
                    throw CLIError(.failed, "the server returned no page")
                }
                answer = first
            }
            var labels: [String: String] = [:]
            if let column = keys.firstIndex(of: "node") {
                labels = await session.labels(
                    answer.value.rows.compactMap { $0.keys.dropFirst(column).first }, model: model)
            }
            session.emit(
                Renderers.stats(
                    answer, root: root, groupBy: keys,
                    measures: query.measureNames.map { source.measure(named: $0) ?? .init(name: $0, scale: 0) },
                    context: session.context(model: model, labels: labels)))
        }
    }
}
