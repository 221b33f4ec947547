import ArborCLIKit
import ArborClient
import ArgumentParser

struct LeaderboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Rank nodes by a metric over their downline.",
        discussion: """
            Metrics: tree (the measure over the downline's events; the default), self (over the node's own \
            events), children (direct children), downline (downline size), matching (downline members that pass \
            --downline-where). Every row shows every metric; --metric picks the order.

            Examples:
              arbor leaderboard --measure amount --within "Raj Kumar" --limit 10
              arbor leaderboard --metric matching --downline-where role=DPOC
              arbor leaderboard --metric downline --breakdown role --attributes region
              arbor leaderboard --metric self --from 2026-01-01 --ascending --offset 50
            """)

    @Option(help: ArgumentHelp("self, tree, children, downline or matching.", valueName: "metric"))
    var metric: String = "tree"
    @Option(help: ArgumentHelp("The measure self and tree rank by (default: count).", valueName: "measure"))
    var measure: String?
    @Flag(help: "Smallest first.") var ascending = false
    @Option(help: ArgumentHelp("Rank only this node's descendants (an id or an exact label).", valueName: "node"))
    var within: String?
    @Option(
        name: .customLong("downline-where"),
        help: ArgumentHelp("Downline members counted by matching (repeat for more).", valueName: "attr=v,…"))
    var downlineHolds: [String] = []
    @Option(
        name: .customLong("downline-where-not"),
        help: ArgumentHelp(
            "Downline members counted by matching: attribute set and none of the values.",
            valueName: "attr=v,…"))
    var downlineHoldsNot: [String] = []
    @Option(help: ArgumentHelp("Count each node's downline by this attribute's values.", valueName: "attr"))
    var breakdown: String?
    @Option(help: ArgumentHelp("Attributes to show for each node.", valueName: "a,b…"))
    var attributes: [String] = []
    @Option(help: "Rows to show (1–1000).") var limit: UInt32 = 50
    @Option(help: "Skip this many ranked nodes.") var offset: UInt32 = 0
    @OptionGroup var filter: NodeFilterOptions
    @OptionGroup var events: EventScopeOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard let parsed = OptionParsing.metric(metric) else {
            throw ValidationError("--metric must be self, tree, children, downline or matching (got '\(metric)')")
        }
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
        _ = try OptionParsing.names(attributes, option: "--attributes")
        _ = try filter.matches()
        let downline = try OptionParsing.matches(downlineHolds, downlineHoldsNot, option: "--downline-where")
        if parsed == .downlineMatching && downline.isEmpty {
            throw ValidationError("--metric matching needs --downline-where (or --downline-where-not)")
        }
    }

    /// Whether any event option was given (a model without sources still ranks by structure without them).
    var scopesEvents: Bool {
        events.source != nil || !events.holds.isEmpty || !events.holdsNot.isEmpty || events.from != nil
            || events.to != nil
    }

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let model = try await session.model()
            let vocabulary = ModelVocabulary(model: model)
            let metric = OptionParsing.metric(metric)!
            if model.sources.isEmpty && [.selfMeasure, .treeMeasure].contains(metric) {
                throw CLIError(
                    .invalidOrNotFound,
                    "the model has no event sources, so there are no events to rank by; "
                        + "use --metric children, downline or matching")
            }
            var scope = EventScope.all
            var measures: [ModelDescription.Measure] = []
            if scopesEvents || [.selfMeasure, .treeMeasure].contains(metric) || measure != nil || !model.sources.isEmpty
            {
                let (eventScope, source) = try events.scope(vocabulary)
                scope = eventScope
                measures = source.measures
                if let measure { try vocabulary.checkMeasures([measure], source: source) }
            }
            let shown = try OptionParsing.names(attributes, option: "--attributes")
            try vocabulary.checkAttributes(shown, option: "--attributes")
            let matches = try filter.matches()
            try vocabulary.checkNodeMatches(matches, option: "--where")
            let downline = try OptionParsing.matches(downlineHolds, downlineHoldsNot, option: "--downline-where")
            try vocabulary.checkNodeMatches(downline, option: "--downline-where")
            if let breakdown { try vocabulary.checkAttributes([breakdown], option: "--breakdown") }
            let withinNode = try await within.asyncMap {
                try await session.resolve($0, what: "--within", model: model)
            }
            let query = LeaderboardQuery(
                metric: metric, measure: measure, ascending: ascending, filter: matches, within: withinNode?.id,
                events: scope, downlineFilter: downline, breakdownBy: breakdown, attributes: shown, limit: limit,
                offset: offset)
            let answer = try await session.client.leaderboard(query, freshness: session.options.freshness)
            session.emit(
                Renderers.leaderboard(
                    answer, query: query, measures: measures, attributes: shown,
                    context: session.context(model: model)))
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
