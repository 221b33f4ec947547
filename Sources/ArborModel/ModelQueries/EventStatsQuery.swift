/// A subtree's events, filtered, grouped and summed (FilteredStats of any model).
///
/// Scope: `root` (unless `excludeRoot`, which removes it even on a cycle) plus its descendants within `maxDepth`
/// (0: unbounded); of those, the nodes that pass `filter` are counted. Their events in `events` are grouped by
/// `groupBy` and summed into `measures`.
public struct EventStatsQuery: Hashable, Sendable {
    public var root: NodeID
    public var excludeRoot: Bool
    public var maxDepth: UInt32
    public var filter: [ColumnMatch]
    public var events: EventWindow
    /// Distinct grouping keys, in the order keys appear in each row.
    public var groupBy: [ResolvedModel.GroupKey]
    /// Indexes into the source's measures, in the order asked (never empty: `count` by default).
    public var measures: [Int]
    /// Rows per page; 0 returns all.
    public var limit: UInt32
    /// The keys of the last row of the previous page: rows come strictly after them in key order.
    public var after: [String]?
    public var closedValueChecks: [ClosedValueCheck]

    /// Builds a query from the wire's `FilteredStatsRequest` fields, refusing an invalid shape.
    public init(
        model: ResolvedModel, root: String, excludeRoot: Bool = false, maxDepth: UInt32 = 0,
        filter: [ValueMatch] = [], source: String = "", eventMatches: [ValueMatch] = [], fromDate: String = "",
        toDate: String = "", groupBy: [String] = [], measures: [String] = [], limit: UInt32 = 0,
        after: [String]? = nil
    ) throws(QueryError) {
        self.root = try model.nodeID(root, field: "root")
        self.excludeRoot = excludeRoot
        self.maxDepth = maxDepth
        self.filter = try model.resolveFilter(filter, field: "filter")
        self.events = try EventWindow(
            model: model, source: source, matches: eventMatches, fromDate: fromDate, toDate: toDate, field: "events")
        let resolved = model.sources[events.source]
        self.groupBy = try model.groupKeys(groupBy, source: resolved, field: "group_by")
        self.measures = try model.measureIndexes(measures, source: resolved, field: "measures")
        self.limit = limit
        if let after, after.count != self.groupBy.count {
            throw ResolvedModel.invalid("page_token", "the token was not issued for this request")
        }
        self.after = after
        self.closedValueChecks = [ClosedValueCheck(field: "filter", matches: filter)]
    }
}

/// One group of FilteredStats: its keys (one per grouping, in `groupBy` order), one value per measure and how many
/// distinct nodes had a counted event in it.
///
/// Keys: `day` as `YYYY-MM-DD`, `week` as its Monday, `month` as `YYYY-MM`, `node` as the canonical id, attributes
/// and dimensions as text, NULL as `""`.
public struct EventStatsRow: Hashable, Sendable {
    public var keys: [String]
    public var values: [Int64]
    public var nodes: UInt32

    public init(keys: [String], values: [Int64], nodes: UInt32) {
        self.keys = keys
        self.values = values
        self.nodes = nodes
    }
}

/// Rows exist only for key tuples with at least one counted event, sorted by keys (``ResolvedModel/ordersKeys(_:before:groupBy:)``).
/// With no grouping, one row with no keys when anything counts.
public struct EventStatsResult: Hashable, Sendable {
    /// This page's rows.
    public var rows: [EventStatsRow]
    /// One per measure, over all pages; 0 when nothing counts.
    public var totals: [Int64]
    /// Scope nodes that pass the filter; the event scope does not change it.
    public var nodesInScope: UInt32
    /// Whether rows remain after this page.
    public var hasMore: Bool

    public init(rows: [EventStatsRow], totals: [Int64], nodesInScope: UInt32, hasMore: Bool) {
        self.rows = rows
        self.totals = totals
        self.nodesInScope = nodesInScope
        self.hasMore = hasMore
    }
}

extension ResolvedModel {
    /// Whether the key tuple `a` orders before `b`: key by key, time keys chronologically, `node` by id, integer
    /// attributes and dimensions numerically, booleans `false` first, everything else by bytes, `""` first.
    public func ordersKeys(_ a: [String], before b: [String], groupBy: [GroupKey]) -> Bool {
        for (index, key) in groupBy.enumerated() where a[index] != b[index] {
            let (x, y) = (a[index], b[index])
            switch key {
            case .day, .week, .month:
                return x.utf8.lexicographicallyPrecedes(y.utf8)
            case .node:
                if let p = try? nodeID(x, field: ""), let q = try? nodeID(y, field: "") { return p < q }
                return x.utf8.lexicographicallyPrecedes(y.utf8)
            case .attribute(let attribute):
                return attribute.type.orders(x, before: y)
            case .dimension(let dimension):
                return dimension.type.orders(x, before: y)
            }
        }
        return false
    }
}
