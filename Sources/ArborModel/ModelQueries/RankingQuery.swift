/// What a leaderboard orders by.
public enum RankingMetric: Hashable, Sendable {
    /// A measure of the node's own events (the event scope applied).
    case selfMeasure
    /// A measure of the events of the node's distinct descendants, not the node's own (the event scope applied).
    case treeMeasure
    /// Distinct children other than the node.
    case directChildren
    /// Distinct descendants, the node excluded even on a cycle.
    case downlineSize
    /// Descendants that pass the downline filter.
    case downlineMatching
}

/// Ranks nodes by their own and their downline's numbers (Leaderboard of any model).
///
/// `filter` and `within` decide only who is ranked (`within`'s descendants, never `within` itself); every ranked
/// node's metrics cover its whole downline. Order: the metric (descending unless `ascending`), then id ascending;
/// `rank = offset + index + 1`.
public struct RankingQuery: Hashable, Sendable {
    public var metric: RankingMetric
    /// An index into the source's measures: the one SELF and TREE order by.
    public var measure: Int
    public var ascending: Bool
    public var filter: [ColumnMatch]
    public var within: NodeID?
    /// The events `self` and `tree` count; `nil` on a model without event sources.
    public var events: EventWindow?
    /// Who `downline_matching` counts; `nil` when the request gives no downline filter (it is then 0).
    public var downlineFilter: [ColumnMatch]?
    /// An index into ``ResolvedModel/attributes``: the descendants of each row are counted by its value.
    public var breakdownBy: Int?
    /// Indexes into ``ResolvedModel/attributes``, returned for each row in this order.
    public var attributes: [Int]
    /// Rows returned, 1...1000 (the wire's 0 is 50).
    public var limit: UInt32
    public var offset: UInt32
    public var closedValueChecks: [ClosedValueCheck]

    /// The largest `limit` a request may give.
    public static let maximumLimit: UInt32 = 1000

    /// Builds a query from the wire's `LeaderboardRequest` fields, refusing an invalid shape.
    public init(
        model: ResolvedModel, metric: RankingMetric = .treeMeasure, measure: String = "", ascending: Bool = false,
        filter: [ValueMatch] = [], within: String = "", source: String = "", eventMatches: [ValueMatch] = [],
        fromDate: String = "", toDate: String = "", downlineFilter: [ValueMatch] = [], breakdownBy: String = "",
        attributes: [String] = [], limit: UInt32 = 0, offset: UInt32 = 0
    ) throws(QueryError) {
        self.metric = metric
        self.ascending = ascending
        self.filter = try model.resolveFilter(filter, field: "filter")
        self.within = within.isEmpty ? nil : try model.nodeID(within, field: "within")
        if model.sources.isEmpty {
            if metric == .selfMeasure || metric == .treeMeasure {
                throw ResolvedModel.invalid("order_by", "this model has no event sources to order by")
            }
            if !source.isEmpty || !eventMatches.isEmpty || !fromDate.isEmpty || !toDate.isEmpty {
                _ = try model.source(named: source.isEmpty ? "-" : source, field: "events.source")
            }
            self.events = nil
            guard measure.isEmpty else { throw ResolvedModel.invalid("measure", "this model has no measures") }
            self.measure = 0
        } else {
            let events = try EventWindow(
                model: model, source: source, matches: eventMatches, fromDate: fromDate, toDate: toDate,
                field: "events")
            self.events = events
            self.measure =
                try measure.isEmpty
                ? 0 : model.measureIndexes([measure], source: model.sources[events.source], field: "measure")[0]
        }
        if metric == .downlineMatching, downlineFilter.isEmpty {
            throw ResolvedModel.invalid("downline_filter", "DOWNLINE_MATCHING needs a downline_filter")
        }
        self.downlineFilter =
            downlineFilter.isEmpty ? nil : try model.resolveFilter(downlineFilter, field: "downline_filter")
        if breakdownBy.isEmpty {
            self.breakdownBy = nil
        } else {
            guard let index = model.attributeIndex(named: breakdownBy) else {
                throw ResolvedModel.invalid(
                    "breakdown_by",
                    "\"\(NodeID.quoted(breakdownBy))\" is not an attribute of this model (\(model.attributeNames))")
            }
            self.breakdownBy = index
        }
        self.attributes = try model.nodeColumns(attributes, field: "attributes").map { column throws(QueryError) in
            guard case .attribute(let attribute) = column else {
                throw ResolvedModel.invalid(
                    "attributes", "\"label\" is returned in every row's label, not as an attribute")
            }
            return model.attributeIndex(named: attribute.name)!
        }
        guard limit <= Self.maximumLimit else {
            throw ResolvedModel.invalid("limit", "\(limit) is over the maximum of \(Self.maximumLimit)")
        }
        self.limit = limit == 0 ? 50 : limit
        self.offset = offset
        self.closedValueChecks = [
            ClosedValueCheck(field: "filter", matches: filter),
            ClosedValueCheck(field: "downline_filter", matches: downlineFilter),
        ]
    }
}

/// A value of an attribute and how many nodes hold it.
public struct KeyCount: Hashable, Sendable {
    public var key: String
    public var count: UInt32

    public init(key: String, count: UInt32) {
        self.key = key
        self.count = count
    }
}

/// One ranked node.
public struct RankingRow: Hashable, Sendable {
    public var rank: UInt32
    public var id: NodeID
    /// `""` without a label (or when it is NULL).
    public var label: String
    /// Aligned with ``RankingQuery/attributes``; NULL is `""`.
    public var attributes: [String]
    /// Every measure of the source, in model order (`count` first); empty without event sources.
    public var selfValues: [Int64]
    public var treeValues: [Int64]
    public var directChildren: UInt32
    public var downlineSize: UInt32
    /// 0 without a downline filter.
    public var downlineMatching: UInt32
    /// The downline by `breakdownBy` value (NULL as `""`), counts above 0, in key order; empty without it.
    public var breakdown: [KeyCount]

    public init(
        rank: UInt32, id: NodeID, label: String, attributes: [String], selfValues: [Int64], treeValues: [Int64],
        directChildren: UInt32, downlineSize: UInt32, downlineMatching: UInt32, breakdown: [KeyCount]
    ) {
        self.rank = rank
        self.id = id
        self.label = label
        self.attributes = attributes
        self.selfValues = selfValues
        self.treeValues = treeValues
        self.directChildren = directChildren
        self.downlineSize = downlineSize
        self.downlineMatching = downlineMatching
        self.breakdown = breakdown
    }
}

/// A page of the ranking and how many nodes are ranked in all.
public struct RankingResult: Hashable, Sendable {
    public var rows: [RankingRow]
    public var totalRanked: UInt32

    public init(rows: [RankingRow], totalRanked: UInt32) {
        self.rows = rows
        self.totalRanked = totalRanked
    }
}
