/// One node a traversal reached (Descendants or Ancestors of any model).
public struct TraversalEntry: Hashable, Sendable {
    public var id: NodeID
    /// Shortest edge distance from the root.
    public var depth: UInt32
    /// The tree parent: the smallest id among the nodes one level closer to the root with an edge to (for
    /// ancestors, from) this one.
    public var parent: NodeID

    public init(id: NodeID, depth: UInt32, parent: NodeID) {
        self.id = id
        self.depth = depth
        self.parent = parent
    }
}
