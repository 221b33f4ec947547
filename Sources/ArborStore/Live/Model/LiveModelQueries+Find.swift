public import ArborModel

extension LiveModelQueries {
    /// FindNodes: the ids as one typed array (`= ANY`), the label prefix compared byte for byte after folding
    /// only ASCII A–Z on both sides (`lower` would fold other letters too, and `LIKE` would read `%` and `_` as
    /// wildcards), the filter; ordered by label bytes (no label as `''`), then id, continuing after the previous
    /// page's (label, id).
    ///
    /// - Throws: ``QueryError`` for an unknown closed value in `filter`; ``StoreError``.
    public func find(_ query: FindNodesQuery, on connection: PostgresConnection) throws -> FindNodesResult {
        try checkRequest(closedValues: query.closedValueChecks, nodes: [], on: connection)
        let statement = findStatement(query)
        let rows = try connection.query(statement.sql, statement.binds)
        var nodes = try rows.map { row in
            FoundNode(
                id: try NodeIDColumn.node(row[0], model.idType),
                label: try row.decode(String.self, at: 1),
                attributes: try query.attributes.indices.map { try row.decode(String.self, at: 2 + $0) })
        }
        let hasMore = nodes.count > Int(query.limit)
        if hasMore { nodes.removeLast(nodes.count - Int(query.limit)) }
        return FindNodesResult(nodes: nodes, hasMore: hasMore)
    }

    /// The statement of ``find(_:on:)`` and its bound parameters: id, label, attributes; one node past the page.
    func findStatement(_ query: FindNodesQuery) -> (sql: String, binds: [PostgresBind]) {
        var parameters = SQLParameters()
        let label = model.model.nodes.label.map { "n.\(ModelSQL.quoted($0))::text" }
        let sortLabel = "coalesce(\(label ?? "NULL::text"), '') COLLATE \"C\""
        var conditions: [String] = []
        if let ids = query.ids {
            conditions.append("n.\(sql.idColumn) = ANY(\(parameters.add(sql.bind(ids)))::\(sql.idArrayType))")
        }
        if let prefix = query.labelPrefix {
            let folded = String(decoding: prefix.utf8.map(Self.asciiLower), as: UTF8.self)
            conditions.append(
                "starts_with(translate(\(label ?? "NULL::text"), '\(Self.upper)', '\(Self.lower)'), "
                    + "\(parameters.add(.text(folded)))::text)")
        }
        conditions.append(filterCondition(query.filter, alias: "n", parameters: &parameters))
        if let after = query.after {
            let afterLabel = "\(parameters.add(.text(after.label)))::text"
            let afterID = "\(parameters.add(sql.bind(after.id)))::\(sql.idSQLType)"
            conditions.append(
                "(\(sortLabel) > \(afterLabel) OR (\(sortLabel) = \(afterLabel) "
                    + "AND n.\(sql.idColumn) \(sql.idOrder) > \(afterID)))")
        }
        let limit = parameters.add(.int64(Int64(query.limit) + 1))
        let columns =
            [NodeIDColumn.select("n.\(sql.idColumn)", model.idType), "coalesce(\(label ?? "NULL::text"), '')"]
            + query.attributes.map { returnedValue(model.attributes[$0].column, alias: "n") }
        let statement = """
            SELECT \(columns.joined(separator: ", "))
            FROM \(sql.nodesTable) n
            WHERE n.\(sql.idColumn) IS NOT NULL AND \(conditions.joined(separator: " AND "))
            ORDER BY \(sortLabel), n.\(sql.idColumn) \(sql.idOrder)
            LIMIT \(limit)
            """
        return (statement, parameters.binds)
    }

    private static let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    private static let lower = "abcdefghijklmnopqrstuvwxyz"

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}
