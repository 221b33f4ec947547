public import ArborModel

/// A text column of the nodes, dictionary-encoded and aligned with ``NodeGraph/ids``: code 0 is NULL, code `c > 0`
/// is `values[c - 1]`.
public struct NodeColumn: Sendable {
    public let codes: [UInt32]
    public let values: [String]

    /// The value of node `index`, `nil` for NULL.
    public func value(at index: Int) -> String? {
        let code = codes[index]
        return code == 0 ? nil : values[Int(code) - 1]
    }
}

/// Any model's nodes in memory: the hierarchy and the label and attribute columns, all aligned by node index.
public struct NodeTable: Sendable {
    public let graph: NodeGraph
    public let label: NodeColumn?
    /// One column per attribute of the model, in model order.
    public let attributes: [NodeColumn]

    /// Builds from rows in any order; a node listed twice keeps its first row.
    public init(rows: ModelRows, hasLabel: Bool) {
        let graph = NodeGraph(ids: rows.nodes.map(\.id), edges: rows.edges)
        var rowOf = [Int](repeating: -1, count: graph.nodeCount)
        var position: [NodeID: Int] = [:]
        for (index, id) in graph.ids.enumerated() { position[id] = index }
        for (row, node) in rows.nodes.enumerated() {
            let index = position[node.id]!
            if rowOf[index] < 0 { rowOf[index] = row }
        }
        func column(_ value: (ModelRows.Node) -> String?) -> NodeColumn {
            var dictionary: [String: UInt32] = [:]
            var values: [String] = []
            let codes = rowOf.map { row -> UInt32 in
                guard let text = value(rows.nodes[row]) else { return 0 }
                if let code = dictionary[text] { return code }
                values.append(text)
                let code = UInt32(values.count)
                dictionary[text] = code
                return code
            }
            return NodeColumn(codes: codes, values: values)
        }
        self.graph = graph
        self.label = hasLabel ? column(\.label) : nil
        let attributeCount = rows.nodes.first?.attributes.count ?? 0
        self.attributes = (0..<attributeCount).map { attribute in column { $0.attributes[attribute] } }
    }
}
