public import ArborModel

/// What changed between the snapshot an index was built from and a newer one, in the form
/// ``ModelIndex/applying(_:)`` applies: final states for nodes and edges, additive deltas for event rollups.
///
/// The change log records edges and events as deltas and nodes by id; whoever fills this in (the refresher) reads
/// the final state of what the index cannot know by itself, in the newer snapshot:
/// - a changed node's row now, or that it has none (``removedNodes``);
/// - for an edge whose multiplicity changed, whether the pair is stored at all now (the index keeps distinct pairs);
/// - for a node the index does not hold yet (inserted), every edge touching it and its whole rollup rows, since
///   edges and events naming an id that was no node were dropped when the index was built and are in no log entry.
///   Its logged event deltas are then left out (they are in those rows).
public struct ModelIndexDelta: Sendable {
    /// Whether the pair `parent` → `child` is stored now.
    public struct Edge: Sendable, Hashable {
        public var parent: NodeID
        public var child: NodeID
        public var present: Bool

        public init(parent: NodeID, child: NodeID, present: Bool) {
            self.parent = parent
            self.child = child
            self.present = present
        }
    }

    /// The rows now of nodes that were inserted or updated (one per id; a repeated id keeps its first row).
    public var nodes: [ModelRows.Node]
    /// Ids that have no row now (deleted, or never a node); ignored when also in ``nodes``.
    public var removedNodes: [NodeID]
    /// Pairs whose presence may have changed; every edge touching a node new to the index, with `present`.
    /// Pairs naming an id that is no node after the change are ignored, as everywhere.
    public var edges: [Edge]
    /// Per event source, in model order (fewer than the model's sources: the rest did not change): rows to add to
    /// the rollups, in the shape of ``ModelRows/events`` but with measures as deltas (`count` first). Rows of one
    /// key add up; a key whose count reaches 0 disappears. Rows of ids that are no node after the change are
    /// ignored; for a node new to the index, give its whole rollup rows instead of its logged deltas.
    public var events: [EventRollupRows]
    /// The allowed values of closed attributes, when they changed (they replace the index's).
    public var closedValues: [String: Set<String>]?

    public init(
        nodes: [ModelRows.Node] = [], removedNodes: [NodeID] = [], edges: [Edge] = [],
        events: [EventRollupRows] = [], closedValues: [String: Set<String>]? = nil
    ) {
        self.nodes = nodes
        self.removedNodes = removedNodes
        self.edges = edges
        self.events = events
        self.closedValues = closedValues
    }

    /// Whether the delta changes nothing.
    public var isEmpty: Bool {
        nodes.isEmpty && removedNodes.isEmpty && edges.isEmpty && events.allSatisfy { $0.count == 0 }
            && closedValues == nil
    }
}
