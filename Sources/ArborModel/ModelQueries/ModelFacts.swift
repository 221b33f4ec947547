/// What Describe reports about the data of a model.
public struct ModelFacts: Hashable, Sendable {
    /// Per event source, in model order.
    public struct SourceFacts: Hashable, Sendable {
        /// Events whose node is a node and whose time is not NULL.
        public var events: UInt64
        /// The first and last day with such events; `nil` when there are none.
        public var firstDay: Day?
        public var lastDay: Day?

        public init(events: UInt64, firstDay: Day?, lastDay: Day?) {
            self.events = events
            self.firstDay = firstDay
            self.lastDay = lastDay
        }
    }

    public var nodes: UInt64
    /// Distinct (parent, child) pairs of existing nodes, self-edges included.
    public var edges: UInt64
    /// Groups of nodes that reach each other (Cycles' `total`).
    public var cycleGroups: UInt32
    /// Per attribute, in model order: distinct non-NULL values among the nodes.
    public var distinctValues: [UInt32]
    public var sources: [SourceFacts]

    public init(nodes: UInt64, edges: UInt64, cycleGroups: UInt32, distinctValues: [UInt32], sources: [SourceFacts]) {
        self.nodes = nodes
        self.edges = edges
        self.cycleGroups = cycleGroups
        self.distinctValues = distinctValues
        self.sources = sources
    }
}

/// Groups of nodes that reach each other: every strongly connected component of two or more nodes, and every
/// node with an edge to itself. Members ascending; groups largest first, then by first member.
public struct CycleGroupsResult: Hashable, Sendable {
    /// At most the query's limit (0: all).
    public var groups: [[NodeID]]
    public var total: UInt32

    public init(groups: [[NodeID]], total: UInt32) {
        self.groups = groups
        self.total = total
    }
}
