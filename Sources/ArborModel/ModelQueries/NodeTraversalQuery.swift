/// Descendants or Ancestors of a node in any model.
///
/// Everyone reachable from (or, for ancestors, reaching) `root` within `maxDepth` levels (0: unbounded), the root
/// excluded even on a cycle, by depth then id; with `includeRoot` the root comes first at depth 0 when it passes
/// the filter. The filter selects which nodes are returned; the traversal passes through the others, and tree
/// parents come from the unfiltered traversal.
public struct NodeTraversalQuery: Hashable, Sendable {
    public enum Direction: Hashable, Sendable {
        case descendants, ancestors
    }

    public var direction: Direction
    public var root: NodeID
    public var maxDepth: UInt32
    public var filter: [ColumnMatch]
    public var includeRoot: Bool
    /// Nodes returned at most; 0 returns all. `total` counts them all either way.
    public var limit: UInt32
    /// The columns returned for each node, in the order asked.
    public var columns: [ResolvedModel.NodeColumn]
    public var includeParents: Bool
    public var closedValueChecks: [ClosedValueCheck]

    /// Builds a query from the wire's `TraversalRequest` fields, refusing an invalid shape.
    public init(
        model: ResolvedModel, direction: Direction, root: String, maxDepth: UInt32 = 0, filter: [ValueMatch] = [],
        includeRoot: Bool = false, limit: UInt32 = 0, attributes: [String] = [], includeParents: Bool = false
    ) throws(QueryError) {
        self.direction = direction
        self.root = try model.nodeID(root, field: "root")
        self.maxDepth = maxDepth
        self.filter = try model.resolveFilter(filter, field: "filter")
        self.includeRoot = includeRoot
        self.limit = limit
        self.columns = try model.nodeColumns(attributes, field: "attributes")
        self.includeParents = includeParents
        self.closedValueChecks = [ClosedValueCheck(field: "filter", matches: filter)]
    }
}

/// The nodes a traversal returns, at most `limit` of them, and how many there are in all.
public struct NodeTraversalResult: Hashable, Sendable {
    /// By depth, then id; the root (with `includeRoot`) first, at depth 0, as its own parent.
    public var entries: [TraversalEntry]
    /// One column per requested column, each aligned with `entries`; NULL is `""`.
    public var columns: [[String]]
    /// Every node that passes the filter, the root included when it is returned.
    public var total: UInt64

    public init(entries: [TraversalEntry], columns: [[String]], total: UInt64) {
        self.entries = entries
        self.columns = columns
        self.total = total
    }
}
