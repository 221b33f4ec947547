/// The rows of any model as one database snapshot holds them: what the in-memory index is built from. Values are
/// text (`true`/`false`, decimal integers), `nil` for NULL.
public struct ModelRows: Sendable {
    public struct Node: Sendable {
        public var id: NodeID
        public var label: String?
        /// One value per attribute of the model, in model order.
        public var attributes: [String?]

        public init(id: NodeID, label: String?, attributes: [String?]) {
            self.id = id
            self.label = label
            self.attributes = attributes
        }
    }

    public var nodes: [Node]
    /// (parent, child) pairs as stored: references to ids that are no node are kept here and dropped by the
    /// index, as by the live SQL.
    public var edges: [(parent: NodeID, child: NodeID)]
    /// One per event source, in model order.
    public var events: [EventRollupRows]
    /// The allowed values of each closed attribute (`values_from`), by attribute name.
    public var closedValues: [String: Set<String>]

    public init(
        nodes: [Node], edges: [(parent: NodeID, child: NodeID)], events: [EventRollupRows] = [],
        closedValues: [String: Set<String>] = [:]
    ) {
        self.nodes = nodes
        self.edges = edges
        self.events = events
        self.closedValues = closedValues
    }
}

/// One event source's events, summed per (node, day, dimension values): columns aligned by row, in any order.
///
/// Only events whose time is not NULL are here; rows whose node is no node are dropped by the index (they count
/// nowhere). Several rows may share a key; they add up.
public struct EventRollupRows: Sendable {
    public var nodes: [NodeID]
    /// The day of the events in the model's time zone.
    public var days: [Day]
    /// One column per dimension of the source, in model order; `nil` for NULL.
    public var dimensions: [[String?]]
    /// One column per measure of the source (`count` first, then the sums in model order); sums as value ×
    /// 10^scale.
    public var measures: [[Int64]]

    public init(nodes: [NodeID] = [], days: [Day] = [], dimensions: [[String?]] = [], measures: [[Int64]] = []) {
        self.nodes = nodes
        self.days = days
        self.dimensions = dimensions
        self.measures = measures
    }

    public var count: Int { nodes.count }
}
