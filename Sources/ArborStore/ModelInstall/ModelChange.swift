public import ArborModel

/// One entry of `arbor.model_changes`: something an incremental refresh applies to a snapshot of a model.
///
/// Read with ``PostgresConnection/modelChanges(since:until:model:)``, which returns exactly the entries of the
/// transactions a newer snapshot sees and an older one did not.
public struct ModelChange: Sendable, Hashable {
    /// A rollup row's key: what ``SourceRollup`` groups events by.
    public struct EventKey: Sendable, Hashable {
        public var node: NodeID
        public var day: Day
        /// One per dimension of the source, in model order, as text (`true`/`false`, decimal integers); `nil` for
        /// NULL.
        public var dimensions: [String?]

        public init(node: NodeID, day: Day, dimensions: [String?]) {
            self.node = node
            self.day = day
            self.dimensions = dimensions
        }
    }

    public enum Kind: Sendable, Hashable {
        /// The node with this id was inserted, updated or deleted: re-read its row (it may be gone).
        case node(NodeID)
        /// The number of stored (parent, child) edges changed by `delta` (positive or negative; an edge table may
        /// hold a pair more than once).
        case edge(parent: NodeID, child: NodeID, delta: Int64)
        /// The rollup row `key` of `source` changed by `deltas`: one per measure of the source (`count` first,
        /// then the sums as value × 10^scale), in model order.
        case event(source: String, key: EventKey, deltas: [Int64])
        /// A table of closed values (`values_from`) changed: re-read those sets.
        case closedValues
        /// Anything may have changed (a table was truncated, the model was installed again): reload everything.
        case reset
    }

    /// The writing transaction (`pg_current_xact_id()`).
    public var transactionID: UInt64
    public var kind: Kind

    public init(transactionID: UInt64, kind: Kind) {
        self.transactionID = transactionID
        self.kind = kind
    }
}
