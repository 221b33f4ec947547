import ArborClient

/// A call with all of its parameters chosen.
public enum PlannedCall: Hashable, Sendable {
    case describe
    case descendants(TraversalQuery)
    case ancestors(TraversalQuery)
    /// One page of `FilteredStats`.
    case stats(StatsQuery)
    case leaderboard(LeaderboardQuery)
    /// One page of `FindNodes`.
    case find(NodeSearch)
    case cycles(limit: UInt32)

    public var kind: CallKind {
        switch self {
        case .describe: .describe
        case .descendants: .descendants
        case .ancestors: .ancestors
        case .stats: .stats
        case .leaderboard: .leaderboard
        case .find: .find
        case .cycles: .cycles
        }
    }
}

/// Draws call parameters from a ``WorkloadSample``: roots of every subtree size, windows of 7/30/90 days (ending on
/// the source's last day) or unbounded, groupings by time, attribute and dimension, and sometimes a filter on a
/// sampled attribute value. Pure: the same generator state gives the same call.
public struct RequestFactory: Sendable {
    public let sample: WorkloadSample

    /// Rows per stats page (one page per call).
    static let statsPageSize: UInt32 = 1000

    public init(sample: WorkloadSample) throws(LoadError) {
        guard !sample.rootsBySize.isEmpty else {
            throw LoadError("the server's data has no node with descendants; load some data first")
        }
        self.sample = sample
    }

    /// Calls this sample cannot make: stats without an event source.
    public var unanswerable: Set<CallKind> {
        sample.sources.isEmpty ? [.stats] : []
    }

    public func make(_ kind: CallKind, using generator: inout some RandomNumberGenerator) -> PlannedCall {
        switch kind {
        case .describe:
            return .describe
        case .descendants:
            var attributes: [String] = []
            if Bool.random(using: &generator), let attribute = sample.attributes.randomElement(using: &generator) {
                attributes = [attribute.name]
            }
            return .descendants(
                TraversalQuery(
                    root: root(using: &generator), maxDepth: Bool.random(using: &generator) ? 0 : 2,
                    attributes: attributes))
        case .ancestors:
            let node = sample.nodes.randomElement(using: &generator) ?? root(using: &generator)
            return .ancestors(TraversalQuery(root: node, includeParents: Bool.random(using: &generator)))
        case .stats:
            let source = sample.sources.randomElement(using: &generator)
            return .stats(
                StatsQuery(
                    root: root(using: &generator), filter: filter(using: &generator),
                    events: window(source, using: &generator), groupBy: grouping(source, using: &generator),
                    measures: source.map { Bool.random(using: &generator) ? $0.measures : [] } ?? [],
                    pageSize: Self.statsPageSize))
        case .leaderboard:
            var metrics: [LeaderboardQuery.Metric] = [.directChildren, .downlineSize]
            if !sample.sources.isEmpty { metrics += [.treeMeasure, .selfMeasure] }
            let downline = filter(using: &generator)
            if !downline.isEmpty { metrics.append(.downlineMatching) }
            let metric = metrics.randomElement(using: &generator)!
            let source = sample.sources.randomElement(using: &generator)
            let within = Int.random(in: 0..<3, using: &generator) == 0 ? nil : root(using: &generator)
            let breakdown =
                Int.random(in: 0..<4, using: &generator) == 0
                ? sample.attributes.randomElement(using: &generator)?.name : nil
            return .leaderboard(
                LeaderboardQuery(
                    metric: metric, measure: source.flatMap { $0.measures.randomElement(using: &generator) },
                    within: within, events: window(source, using: &generator), downlineFilter: downline,
                    breakdownBy: breakdown, limit: [10, 50, 100].randomElement(using: &generator)!))
        case .find:
            if let prefix = sample.labelPrefixes.randomElement(using: &generator) {
                return .find(NodeSearch(labelPrefix: prefix, pageSize: 20))
            }
            let byAttribute = filter(using: &generator, always: true)
            if !byAttribute.isEmpty { return .find(NodeSearch(filter: byAttribute, pageSize: 20)) }
            return .find(NodeSearch(ids: [root(using: &generator)], pageSize: 20))
        case .cycles:
            return .cycles(limit: 10)
        }
    }

    func root(using generator: inout some RandomNumberGenerator) -> String {
        sample.rootsBySize.randomElement(using: &generator)!.randomElement(using: &generator)!.id
    }

    /// All of `source`'s events, or those of the last 7, 30 or 90 days up to its last day.
    func window(_ source: WorkloadSample.Source?, using generator: inout some RandomNumberGenerator) -> EventScope {
        guard let source else { return .all }
        let last = source.lastDay
        let days: Int32? = [nil, 7, 30, 90].randomElement(using: &generator)!
        guard let days else { return EventScope(source: source.name) }
        return EventScope(source: source.name, from: last.advanced(by: -(days - 1)), to: last)
    }

    func grouping(_ source: WorkloadSample.Source?, using generator: inout some RandomNumberGenerator) -> [String] {
        var groupings: [[String]] = [[], ["day"], ["week"], ["month"]]
        if let attribute = sample.attributes.first?.name { groupings += [[attribute], ["day", attribute]] }
        if let dimension = source?.dimensions.first { groupings.append([dimension]) }
        return groupings.randomElement(using: &generator)!
    }

    /// Usually nothing; a quarter of the time (or `always`) a match on one sampled attribute value.
    func filter(using generator: inout some RandomNumberGenerator, always: Bool = false) -> [Match] {
        guard always || Int.random(in: 0..<4, using: &generator) == 0,
            let attribute = sample.attributes.randomElement(using: &generator)
        else { return [] }
        return [Match(attribute.name, in: [attribute.values.randomElement(using: &generator)!])]
    }
}
