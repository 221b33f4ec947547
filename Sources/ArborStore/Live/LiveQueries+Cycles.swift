import ArborModel

extension LiveQueries {
    /// Strongly connected components of size ≥ 2, and users with an edge to themselves.
    ///
    /// Only users with both a parent and a child can sit on a cycle, so the closure is built over the edges between
    /// such users (`UNION` on the pair, each pair once). `u` sits on a cycle exactly when (u, u) is in that closure;
    /// its group is every `v` with both (u, v) and (v, u), so the group's first member is the smallest of them
    /// (PostgreSQL has no `min(uuid)`; the canonical text sorts in the same byte order).
    static func runCycles(_ query: CyclesQuery, on connection: PostgresConnection) throws -> CyclesResult {
        var parameters = SQLParameters()
        let limit = query.limit == 0 ? "" : "LIMIT \(parameters.add(.int64(Int64(query.limit))))"
        let sql = """
            WITH RECURSIVE inner_edges AS MATERIALIZED (
                SELECT e.parent_id, e.child_id
                FROM user_hierarchy e
                WHERE EXISTS (SELECT 1 FROM user_hierarchy p WHERE p.child_id = e.parent_id)
                    AND EXISTS (SELECT 1 FROM user_hierarchy c WHERE c.parent_id = e.child_id)
            ),
            closure(ancestor, descendant) AS (
                SELECT parent_id, child_id FROM inner_edges
                UNION
                SELECT c.ancestor, e.child_id FROM closure c JOIN inner_edges e ON e.parent_id = c.descendant
            ),
            members AS (
                SELECT c.ancestor AS id, min(c.descendant::text COLLATE "C")::uuid AS first_member
                FROM closure c
                JOIN closure back ON back.ancestor = c.descendant AND back.descendant = c.ancestor
                GROUP BY c.ancestor
            ),
            groups AS (
                SELECT first_member, array_agg(id ORDER BY id) AS ids, count(*) AS size
                FROM members
                GROUP BY first_member
            )
            SELECT ids, count(*) OVER () AS total
            FROM groups
            ORDER BY size DESC, first_member
            \(limit)
            """
        let rows = try connection.query(sql, parameters.binds)
        var cycles: [[UserID]] = []
        var total: UInt32 = 0
        for row in rows {
            cycles.append(try row.userIDs(at: 0))
            total = UInt32(clamping: try row.decode(Int64.self, at: 1))
        }
        return CyclesResult(cycles: cycles, total: total)
    }
}
