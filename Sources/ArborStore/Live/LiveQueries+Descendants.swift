import ArborModel

extension LiveQueries {
    /// Descendants by a level-synchronous BFS; the filter applies to the found users only, so traversal passes
    /// through users it excludes. `total` is the count before `limit` (a window count over the filtered rows).
    static func runDescendants(_ query: DescendantsQuery, on connection: PostgresConnection) throws
        -> DescendantsResult
    {
        var parameters = SQLParameters()
        let root = parameters.add(.userID(query.root))
        let maxDepth = parameters.add(.int32(Int32(clamping: query.maxDepth)))
        let rootRow = query.includeRoot ? "SELECT \(root)::uuid AS id, 0 AS depth UNION ALL" : ""
        let filter = query.filter.sqlCondition(alias: "u", parameters: &parameters)
        let limit = query.limit == 0 ? "" : "LIMIT \(parameters.add(.int64(Int64(query.limit))))"
        let sql = """
            WITH RECURSIVE \(TraversalSQL.breadthFirst(root: root, maxDepth: maxDepth)),
            found AS (
                \(rootRow)
                SELECT f.id, b.depth FROM bfs b CROSS JOIN LATERAL unnest(b.frontier) AS f(id) WHERE b.depth > 0
            )
            SELECT f.id, f.depth, count(*) OVER () AS total
            FROM found f
            JOIN users u ON u.id = f.id
            WHERE \(filter)
            ORDER BY f.depth, f.id
            \(limit)
            """
        let rows = try connection.query(sql, parameters.binds)
        var entries: [DescendantEntry] = []
        entries.reserveCapacity(rows.count)
        var total: UInt64 = 0
        for row in rows {
            entries.append(DescendantEntry(id: try row.userID(at: 0), depth: UInt32(try row.decode(Int32.self, at: 1))))
            total = UInt64(try row.decode(Int64.self, at: 2))
        }
        return DescendantsResult(entries: entries, total: total)
    }
}
