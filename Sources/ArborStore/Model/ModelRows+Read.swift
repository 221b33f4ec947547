public import ArborModel

extension ModelRows {
    /// Reads every node (id, label, attributes as text) and every hierarchy pair of `model` in the caller's
    /// transaction, so both come from one snapshot.
    public static func read(_ model: ResolvedModel, on connection: PostgresConnection) throws -> ModelRows {
        let sql = ModelSQL(model)
        let q = ModelSQL.quoted
        let nodes = model.model.nodes
        var columns = ["\(q(nodes.id))::text", nodes.label.map { "\(q($0))::text" } ?? "NULL::text"]
        columns += model.attributes.map { "\(q($0.column))::text" }
        let nodeRows = try connection.query(
            "SELECT \(columns.joined(separator: ", ")) FROM \(ModelSQL.qualified(nodes.table))")
        var result = ModelRows(nodes: [], edges: [])
        result.nodes.reserveCapacity(nodeRows.count)
        for row in nodeRows {
            guard let id = try row.decode(String?.self, at: 0) else { continue }  // a NULL id names no node
            result.nodes.append(
                Node(
                    id: try LiveTraversal.nodeID(id, model.idType), label: try row.decode(String?.self, at: 1),
                    attributes: try (0..<model.attributes.count).map { try row.decode(String?.self, at: 2 + $0) }))
        }
        let edgeSQL: String
        switch model.model.hierarchy {
        case .edges(let table, let parent, let child):
            edgeSQL = """
                SELECT \(q(parent))::\(sql.idSQLType)::text, \(q(child))::\(sql.idSQLType)::text
                FROM \(ModelSQL.qualified(table)) WHERE \(q(parent)) IS NOT NULL AND \(q(child)) IS NOT NULL
                """
        case .parentColumn(let parent):
            edgeSQL = """
                SELECT \(q(parent))::\(sql.idSQLType)::text, \(q(nodes.id))::\(sql.idSQLType)::text
                FROM \(ModelSQL.qualified(nodes.table)) WHERE \(q(parent)) IS NOT NULL AND \(q(nodes.id)) IS NOT NULL
                """
        }
        for row in try connection.query(edgeSQL) {
            result.edges.append(
                (
                    try LiveTraversal.nodeID(try row.decode(String.self, at: 0), model.idType),
                    try LiveTraversal.nodeID(try row.decode(String.self, at: 1), model.idType)
                ))
        }
        return result
    }
}
