public import ArborModel

extension LiveModelQueries {
    /// Cycles: strongly connected components of two or more nodes, and nodes with an edge to themselves.
    ///
    /// Only nodes with both a parent and a child can sit on a cycle, so the closure is built over the edges between
    /// such nodes (`UNION` on the pair, each pair once). `u` sits on a cycle exactly when (u, u) is in that closure;
    /// its group is every `v` with both (u, v) and (v, u), keyed by its smallest member.
    ///
    /// - Parameter limit: groups returned at most; 0 returns all. `total` counts them all.
    public func cycles(limit: UInt32, on connection: PostgresConnection) throws -> CycleGroupsResult {
        var parameters = SQLParameters()
        let limitClause = limit == 0 ? "" : "LIMIT \(parameters.add(.int64(Int64(limit))))"
        let order = sql.idOrder
        let rows = try connection.query(
            """
            WITH RECURSIVE \(sql.edges),
            inner_edges AS MATERIALIZED (
                SELECT e.parent, e.child
                FROM edges e
                WHERE EXISTS (SELECT 1 FROM edges p WHERE p.child = e.parent)
                    AND EXISTS (SELECT 1 FROM edges c WHERE c.parent = e.child)
            ),
            closure(ancestor, descendant) AS (
                SELECT parent, child FROM inner_edges
                UNION
                SELECT c.ancestor, e.child FROM closure c JOIN inner_edges e ON e.parent = c.descendant
            ),
            members AS (
                SELECT c.ancestor AS id, (array_agg(c.descendant ORDER BY c.descendant \(order)))[1] AS first_member
                FROM closure c
                JOIN closure back ON back.ancestor = c.descendant AND back.descendant = c.ancestor
                GROUP BY c.ancestor
            ),
            groups AS (
                SELECT first_member, array_agg(id::text ORDER BY id \(order)) AS ids, count(*) AS size
                FROM members
                GROUP BY first_member
            )
            SELECT ids, count(*) OVER () AS total
            FROM groups
            ORDER BY size DESC, first_member \(order)
            \(limitClause)
            """, parameters.binds)
        var result = CycleGroupsResult(groups: [], total: 0)
        for row in rows {
            result.groups.append(
                try row.decode([String].self, at: 0).map { try LiveTraversal.nodeID($0, model.idType) })
            result.total = UInt32(clamping: try row.decode(Int64.self, at: 1))
        }
        return result
    }
}
