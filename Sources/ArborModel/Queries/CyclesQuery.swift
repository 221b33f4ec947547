/// Every group of users that reach each other: strongly connected components of size ≥ 2, and single users
/// with an edge to themselves.
public struct CyclesQuery: Hashable, Sendable {
    /// Most groups returned; 0 means all.
    public var limit: UInt32

    public init(limit: UInt32 = 0) {
        self.limit = limit
    }
}

/// Groups ordered largest first, then by first member; members ascending. `total` counts every group.
public struct CyclesResult: Hashable, Sendable {
    public var cycles: [[UserID]]
    public var total: UInt32

    public init(cycles: [[UserID]], total: UInt32) {
        self.cycles = cycles
        self.total = total
    }
}
