/// Everyone under `root`: users reachable by one or more parent→child edges, excluding `root` itself.
public struct DescendantsQuery: Hashable, Sendable {
    public var root: UserID
    /// Deepest depth returned; 0 means unbounded.
    public var maxDepth: UInt32
    /// Which users are returned (traversal passes through the others).
    public var filter: UserFilter
    /// Put `root` first at depth 0 when it passes the filter; it then counts toward `limit` and `total`.
    public var includeRoot: Bool
    /// Most entries returned; 0 means all.
    public var limit: UInt32

    public init(
        root: UserID, maxDepth: UInt32 = 0, filter: UserFilter = UserFilter(), includeRoot: Bool = false,
        limit: UInt32 = 0
    ) {
        self.root = root
        self.maxDepth = maxDepth
        self.filter = filter
        self.includeRoot = includeRoot
        self.limit = limit
    }
}

/// One descendant and its shortest edge distance from the root.
public struct DescendantEntry: Hashable, Sendable {
    public var id: UserID
    public var depth: UInt32

    public init(id: UserID, depth: UInt32) {
        self.id = id
        self.depth = depth
    }
}

/// Descendants ordered by depth, then id; `total` counts every match before `limit` was applied.
public struct DescendantsResult: Hashable, Sendable {
    public var entries: [DescendantEntry]
    public var total: UInt64

    public init(entries: [DescendantEntry], total: UInt64) {
        self.entries = entries
        self.total = total
    }
}
