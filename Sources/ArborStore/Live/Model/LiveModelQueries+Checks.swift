import ArborModel

extension LiveModelQueries {
    /// What every call checks before it answers, in one round trip and in the contract's order: the values of
    /// closed attributes in `checks` against their `values_from` columns (only the values the request names are
    /// looked up), then that each of `nodes` is a node.
    ///
    /// - Throws: ``QueryError`` INVALID_ARGUMENT for an unknown closed value, ``QueryError/unknownNode(_:field:)``
    ///   for an id that names no node.
    func checkRequest(
        closedValues checks: [ClosedValueCheck], nodes: [(id: NodeID, field: String)],
        on connection: PostgresConnection
    ) throws {
        var asked: [String: Set<String>] = [:]
        var names: [(name: String, reference: DataModel.ColumnReference)] = []
        for check in checks {
            for match in check.matches {
                guard let attribute = model.attribute(named: match.name), attribute.closed,
                    let reference = model.model.nodes.attributes.first(where: { $0.name == match.name })?.valuesFrom
                else { continue }
                if asked[attribute.name] == nil { names.append((attribute.name, reference)) }
                asked[attribute.name, default: []].formUnion(match.values)
            }
        }
        guard !names.isEmpty || !nodes.isEmpty else { return }
        var parameters = SQLParameters()
        var columns: [String] = []
        for (name, reference) in names {
            let value = "t.\(ModelSQL.quoted(reference.column))::text"
            let values = parameters.add(.textArray(asked[name]!.sorted()))
            columns.append(
                "ARRAY(SELECT DISTINCT \(value) FROM \(ModelSQL.qualified(reference.table)) t "
                    + "WHERE \(value) = ANY(\(values)::text[]))")
        }
        for node in nodes {
            let id = parameters.add(sql.bind(node.id))
            columns.append("EXISTS (SELECT 1 FROM \(sql.nodesTable) n WHERE n.\(sql.idColumn) = \(id))")
        }
        guard let row = try connection.query("SELECT \(columns.joined(separator: ", "))", parameters.binds).first
        else { throw StoreError(.protocolViolation, "the request check returned no row") }
        var allowed: [String: Set<String>] = [:]
        for (index, entry) in names.enumerated() { allowed[entry.name] = Set(try row.decode([String].self, at: index)) }
        for check in checks {
            try model.checkClosedValues(check.matches, field: check.field) { allowed[$0] }
        }
        for (index, node) in nodes.enumerated() where !(try row.decode(Bool.self, at: names.count + index)) {
            throw QueryError.unknownNode(node.id, field: node.field)
        }
    }
}
