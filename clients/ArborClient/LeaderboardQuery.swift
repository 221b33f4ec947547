/// A `Leaderboard` request: nodes ranked by a metric over their downline.
public struct LeaderboardQuery: Hashable, Sendable {
    /// What nodes are ranked by.
    public enum Metric: String, CaseIterable, Hashable, Sendable {
        /// The ``LeaderboardQuery/measure`` over the node's own events.
        case selfMeasure = "self"
        /// The measure over the events of the node's distinct descendants.
        case treeMeasure = "tree"
        /// Distinct children other than the node.
        case directChildren = "children"
        /// Distinct descendants.
        case downlineSize = "downline"
        /// Descendants that pass ``LeaderboardQuery/downlineFilter`` (which it needs).
        case downlineMatching = "matching"

        /// The contract's `Metric`.
        public var message: ArborV2.Metric {
            switch self {
            case .selfMeasure: .selfMeasure
            case .treeMeasure: .treeMeasure
            case .directChildren: .directChildren
            case .downlineSize: .downlineSize
            case .downlineMatching: .downlineMatching
            }
        }
    }

    /// What rows are ordered by.
    public var metric: Metric
    /// The measure ``Metric/selfMeasure`` and ``Metric/treeMeasure`` rank by; `nil` means `count`.
    public var measure: String?
    /// Smallest first (ties still by id ascending).
    public var ascending: Bool
    /// Who is ranked (all must hold).
    public var filter: [Match]
    /// Rank only this node's descendants (never the node itself), by id.
    public var within: String?
    /// Which events the self and tree measures count.
    public var events: EventScope
    /// Which descendants ``Metric/downlineMatching`` counts.
    public var downlineFilter: [Match]
    /// An attribute to count each ranked node's descendants by.
    public var breakdownBy: String?
    /// Attributes returned for each row; empty returns none.
    public var attributes: [String]
    /// Rows to return, 1…1000; 0 means 50.
    public var limit: UInt32
    /// Ranked nodes to skip.
    public var offset: UInt32

    public init(
        metric: Metric = .treeMeasure, measure: String? = nil, ascending: Bool = false, filter: [Match] = [],
        within: String? = nil, events: EventScope = .all, downlineFilter: [Match] = [], breakdownBy: String? = nil,
        attributes: [String] = [], limit: UInt32 = 0, offset: UInt32 = 0
    ) {
        self.metric = metric
        self.measure = measure
        self.ascending = ascending
        self.filter = filter
        self.within = within
        self.events = events
        self.downlineFilter = downlineFilter
        self.breakdownBy = breakdownBy
        self.attributes = attributes
        self.limit = limit
        self.offset = offset
    }

    /// The request message.
    public func message(freshness: Freshness = .serverDefault) -> ArborV2.LeaderboardRequest {
        ArborV2.LeaderboardRequest(
            orderBy: metric.message, measure: measure ?? "", ascending: ascending, filter: filter.map(\.message),
            within: within ?? "", events: events.message, downlineFilter: downlineFilter.map(\.message),
            breakdownBy: breakdownBy ?? "", attributes: attributes, limit: limit, offset: offset,
            freshness: freshness.message)
    }
}

/// A `Leaderboard` answer.
public struct Leaderboard: Hashable, Sendable {
    /// One ranked node and every metric over its downline.
    public struct Row: Hashable, Sendable {
        /// How many descendants have one value of the breakdown attribute.
        public struct KeyCount: Hashable, Sendable {
            /// The value; `""` for NULL.
            public var key: String
            public var count: UInt32

            public init(key: String, count: UInt32) {
                self.key = key
                self.count = count
            }
        }

        /// 1-based position in the whole ranking.
        public var rank: UInt32
        /// The node's id (canonical text).
        public var id: String
        /// `""` when the node has none.
        public var label: String
        /// The asked-for attributes by name; NULL is `""`.
        public var attributes: [String: String]
        /// Every measure of the source over the node's own events, in model order.
        public var selfMeasures: [Int64]
        /// Every measure of the source over its distinct descendants' events, in model order.
        public var treeMeasures: [Int64]
        public var directChildren: UInt32
        public var downlineSize: UInt32
        /// 0 without a downline filter.
        public var downlineMatching: UInt32
        /// Descendants by the breakdown attribute's value, counts above zero, in key order.
        public var breakdown: [KeyCount]

        public init(
            rank: UInt32, id: String, label: String, attributes: [String: String], selfMeasures: [Int64],
            treeMeasures: [Int64], directChildren: UInt32, downlineSize: UInt32, downlineMatching: UInt32,
            breakdown: [KeyCount]
        ) {
            self.rank = rank
            self.id = id
            self.label = label
            self.attributes = attributes
            self.selfMeasures = selfMeasures
            self.treeMeasures = treeMeasures
            self.directChildren = directChildren
            self.downlineSize = downlineSize
            self.downlineMatching = downlineMatching
            self.breakdown = breakdown
        }
    }

    /// The asked-for page of the ranking, in rank order.
    public var rows: [Row]
    /// Every node ranked, not just this page.
    public var totalRanked: UInt32

    public init(rows: [Row], totalRanked: UInt32) {
        self.rows = rows
        self.totalRanked = totalRanked
    }

    /// Reads the response.
    public init(_ response: ArborV2.LeaderboardResponse) {
        self.init(
            rows: response.rows.map {
                Row(
                    rank: $0.rank, id: $0.id, label: $0.label, attributes: $0.attributes,
                    selfMeasures: $0.selfMeasures, treeMeasures: $0.treeMeasures, directChildren: $0.directChildren,
                    downlineSize: $0.downlineSize, downlineMatching: $0.downlineMatching,
                    breakdown: $0.breakdown.map { Row.KeyCount(key: $0.key, count: $0.count) })
            },
            totalRanked: response.totalRanked)
    }
}
