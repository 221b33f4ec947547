/// The rows of any model's nodes and hierarchy as one database snapshot holds them: what the in-memory index is
/// built from. Values are text (`true`/`false`, decimal integers), `nil` for NULL.
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

    public init(nodes: [Node], edges: [(parent: NodeID, child: NodeID)]) {
        self.nodes = nodes
        self.edges = edges
    }
}
