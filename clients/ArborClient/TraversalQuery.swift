/// A `Descendants` or `Ancestors` request: the nodes reachable from (or reaching) a root, by depth then id.
public struct TraversalQuery: Hashable, Sendable {
    /// The node to start from, by id (canonical text).
    public var root: String
    /// How many edges away to go; 0 means unbounded.
    public var maxDepth: UInt32
    /// Which nodes are returned (all must hold); the traversal passes through nodes the filter leaves out.
    public var filter: [Match]
    /// Return the root first, at depth 0, if it passes the filter.
    public var includeRoot: Bool
    /// The most nodes to return; 0 means all. The summary's total counts every match.
    public var limit: UInt32
    /// Attributes (or `label`) returned for each node, as ``TraversedNode/values`` in this order.
    public var attributes: [String]
    /// Return each node's tree parent (``TraversedNode/parent``).
    public var includeParents: Bool

    public init(
        root: String, maxDepth: UInt32 = 0, filter: [Match] = [], includeRoot: Bool = false, limit: UInt32 = 0,
        attributes: [String] = [], includeParents: Bool = false
    ) {
        self.root = root
        self.maxDepth = maxDepth
        self.filter = filter
        self.includeRoot = includeRoot
        self.limit = limit
        self.attributes = attributes
        self.includeParents = includeParents
    }

    /// The request message.
    public func message(freshness: Freshness = .serverDefault) -> ArborV2.TraversalRequest {
        ArborV2.TraversalRequest(
            root: root, maxDepth: maxDepth, filter: filter.map(\.message), includeRoot: includeRoot, limit: limit,
            attributes: attributes, includeParents: includeParents, freshness: freshness.message)
    }
}

/// One node of a traversal answer.
public struct TraversedNode: Hashable, Sendable {
    /// The node's id (canonical text).
    public var id: String
    /// Shortest edge distance from the root (0 for the root itself).
    public var depth: UInt32
    /// The tree parent: the smallest id one step closer to the root; the root's own entry names the root. `nil`
    /// unless the query asked for parents.
    public var parent: String?
    /// The query's ``TraversalQuery/attributes``, in order; `""` for NULL.
    public var values: [String]

    public init(id: String, depth: UInt32, parent: String? = nil, values: [String] = []) {
        self.id = id
        self.depth = depth
        self.parent = parent
        self.values = values
    }
}
