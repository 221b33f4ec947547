public import ArborModel

extension LiveModelQueries {
    /// Descendants or Ancestors: one breadth-first search from the root on the hierarchy's own indexes
    /// (``ModelSQL/breadthFirst(root:maxDepth:reversed:)``), which also finds each node's tree parent from the
    /// unfiltered level above; its nodes joined once to the nodes table for the filter, only when there is one (the
    /// search passes through nodes the filter leaves out); `total` is a window count before `LIMIT`. The returned
    /// columns are read for the returned rows only.
    ///
    /// - Throws: ``QueryError`` for an unknown closed value in `filter` or an unknown root; ``StoreError``.
    public func traverse(_ query: NodeTraversalQuery, on connection: PostgresConnection) throws -> NodeTraversalResult {
        try checkRequest(closedValues: query.closedValueChecks, nodes: [(query.root, "root")], on: connection)
        let statement = traversalStatement(query)
        let rows = try connection.query(statement.sql, statement.binds)
        var entries: [TraversalEntry] = []
        entries.reserveCapacity(rows.count)
        var values = Array(repeating: [String](), count: query.columns.count)
        var total: UInt64 = 0
        for row in rows {
            let depth = UInt32(try row.decode(Int32.self, at: 1))
            let parent = try NodeIDColumn.decode(row[2], model.idType)
            guard depth == 0 || parent != nil else {
                throw StoreError(.protocolViolation, "a node was reached without a parent one level up")
            }
            entries.append(
                TraversalEntry(
                    id: try NodeIDColumn.node(row[0], model.idType), depth: depth, parent: parent ?? query.root))
            total = UInt64(try row.decode(Int64.self, at: 3))
            for index in values.indices { values[index].append(try row.decode(String.self, at: 4 + index)) }
        }
        return NodeTraversalResult(entries: entries, columns: values, total: total)
    }

    /// The statement of ``traverse(_:on:)`` and its bound parameters: id, depth, tree parent, total, columns.
    func traversalStatement(_ query: NodeTraversalQuery) -> (sql: String, binds: [PostgresBind]) {
        let reversed = query.direction == .ancestors
        var parameters = SQLParameters()
        let root = parameters.add(sql.bind(query.root))
        let maxDepth = parameters.add(.int32(Int32(clamping: query.maxDepth)))
        let filter = filterCondition(query.filter, alias: "n", parameters: &parameters)
        let limit = query.limit == 0 ? "" : "LIMIT \(parameters.add(.int64(Int64(query.limit))))"
        let columns = query.columns.map { column in
            switch column {
            case .label: returnedValue(model.model.nodes.label!, alias: "n")
            case .attribute(let attribute): returnedValue(attribute.column, alias: "n")
            }
        }
        let id = { NodeIDColumn.select($0, model.idType) }
        let statement = """
            WITH RECURSIVE \(sql.breadthFirst(root: root, maxDepth: maxDepth, reversed: reversed)),
            \(sql.levels),
            found AS MATERIALIZED (
                SELECT l.id, l.depth, l.parent, count(*) OVER () AS total
                FROM levels l
                \(query.filter.isEmpty ? "" : "JOIN \(sql.nodesTable) n ON n.\(sql.idColumn) = l.id")
                WHERE \(query.includeRoot ? "TRUE" : "l.depth > 0") AND \(filter)
                \(query.limit == 0 ? "" : "ORDER BY l.depth, l.id \(sql.idOrder)")
                \(limit)
            )
            SELECT \(([id("f.id"), "f.depth", id("f.parent"), "f.total"] + columns).joined(separator: ", "))
            FROM found f
            \(columns.isEmpty ? "" : "JOIN \(sql.nodesTable) n ON n.\(sql.idColumn) = f.id")
            ORDER BY f.depth, f.id \(sql.idOrder)
            """
        return (statement, parameters.binds)
    }
}
