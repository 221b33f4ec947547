/// A `FilteredStats` request: measures of the events of a root and its descendants, grouped by keys.
public struct StatsQuery: Hashable, Sendable {
    /// The root, by id (canonical text).
    public var root: String
    /// Leave the root out of the scope (even when it sits on a cycle).
    public var excludeRoot: Bool
    /// Descendants at most this many edges away; 0 means unbounded.
    public var maxDepth: UInt32
    /// Which nodes of the scope count (all must hold).
    public var filter: [Match]
    /// Which events count.
    public var events: EventScope
    /// Keys of the rows, in order: `day`, `week`, `month`, `node`, attribute names and the source's dimensions.
    public var groupBy: [String]
    /// Measures of the source, one value per row each; empty means `["count"]`.
    public var measures: [String]
    /// Rows per page; 0 means every row in one answer.
    public var pageSize: UInt32

    public init(
        root: String, excludeRoot: Bool = false, maxDepth: UInt32 = 0, filter: [Match] = [],
        events: EventScope = .all, groupBy: [String] = [], measures: [String] = [], pageSize: UInt32 = 0
    ) {
        self.root = root
        self.excludeRoot = excludeRoot
        self.maxDepth = maxDepth
        self.filter = filter
        self.events = events
        self.groupBy = groupBy
        self.measures = measures
        self.pageSize = pageSize
    }

    /// The measures the answer's values follow: ``measures``, or `["count"]` when empty.
    public var measureNames: [String] { measures.isEmpty ? ["count"] : measures }

    /// The request message for the page `pageToken` continues to (`""`: the first).
    public func message(freshness: Freshness = .serverDefault, pageToken: String = "") -> ArborV2.FilteredStatsRequest {
        ArborV2.FilteredStatsRequest(
            root: root, excludeRoot: excludeRoot, maxDepth: maxDepth, filter: filter.map(\.message),
            events: events.message, groupBy: groupBy, measures: measures, freshness: freshness.message,
            limit: pageSize, pageToken: pageToken)
    }
}

/// One page of a `FilteredStats` answer.
public struct StatsPage: Page, Hashable, Sendable {
    /// One key tuple with at least one counted event.
    public struct Row: Hashable, Sendable {
        /// One per `groupBy` name: a day `YYYY-MM-DD`, a week's Monday, a month `YYYY-MM`, a node id, or a value
        /// (`""` for NULL and empty alike).
        public var keys: [String]
        /// One per measure (sums scaled as ``ModelDescription/Measure/scale`` says).
        public var values: [Int64]
        /// Distinct nodes with a counted event in the row.
        public var nodes: UInt32

        public init(keys: [String], values: [Int64], nodes: UInt32) {
            self.keys = keys
            self.values = values
            self.nodes = nodes
        }
    }

    /// Sorted by keys (time chronologically, nodes by id, integers numerically, else bytes; `""` first).
    public var rows: [Row]
    /// One per measure, over every page.
    public var totals: [Int64]
    /// Scope nodes that pass the filter (events play no part).
    public var nodesInScope: UInt32
    /// The token that continues after this page; `nil` on the last.
    public var nextPageToken: String?

    public init(rows: [Row], totals: [Int64], nodesInScope: UInt32, nextPageToken: String? = nil) {
        self.rows = rows
        self.totals = totals
        self.nodesInScope = nodesInScope
        self.nextPageToken = nextPageToken
    }

    /// Reads the response.
    public init(_ response: ArborV2.FilteredStatsResponse) {
        self.init(
            rows: response.rows.map { Row(keys: $0.keys, values: $0.values, nodes: $0.nodes) },
            totals: response.totals, nodesInScope: response.nodesInScope,
            nextPageToken: response.nextPageToken.isEmpty ? nil : response.nextPageToken)
    }

    /// Adds the next page's rows; its totals, scope and token replace these (they describe the newer data).
    public mutating func append(_ next: StatsPage) {
        rows += next.rows
        totals = next.totals
        nodesInScope = next.nodesInScope
        nextPageToken = next.nextPageToken
    }
}

extension ArborClient {
    /// `FilteredStats`: one page (`pageToken` `""` asks for the first).
    public func filteredStats(
        _ query: StatsQuery,
        pageToken: String = "",
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<StatsPage> {
        let response = try await filteredStats(
            query.message(freshness: freshness, pageToken: pageToken), timeout: timeout)
        return Answer(value: StatsPage(response), meta: ResponseMeta(response.meta))
    }

    /// `FilteredStats` page by page (``StatsQuery/pageSize`` rows each), fetched as the sequence is iterated;
    /// ``PageSequence/allPages()`` gathers every row.
    public func filteredStatsPages(
        _ query: StatsQuery,
        startingAt pageToken: String = "",
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) -> PageSequence<StatsPage> {
        PageSequence(startingAt: pageToken) { token throws(RPCError) in
            try await self.filteredStats(query, pageToken: token, freshness: freshness, timeout: timeout)
        }
    }
}
