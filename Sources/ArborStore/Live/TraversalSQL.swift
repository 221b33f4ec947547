/// The recursive CTEs that walk the hierarchy. Both stop on cycles and touch each node once, so they stay linear on
/// DAGs: neither enumerates paths (no `UNION ALL` without a guard, no CYCLE clause, no path arrays). See
/// `docs/live-queries.md` for the choice and its cost.
enum TraversalSQL {
    /// `bfs(depth, frontier, visited)`: a level-synchronous breadth-first search from `root`, one row per level.
    ///
    /// Row `d` holds the users first reached at depth `d` (their shortest distance) and every user reached so far.
    /// A level's frontier is the children of the previous frontier minus the visited set, computed with a hashed
    /// `EXCEPT`, so each user enters exactly one frontier; the root is visited from the start, so it never
    /// reappears even on a cycle. The search stops when a level adds no one, or after `maxDepth` levels
    /// (`maxDepth` 0: unbounded). Both are placeholders of bound parameters.
    static func breadthFirst(root: String, maxDepth: String) -> String {
        """
        bfs(depth, frontier, visited) AS (
            SELECT 0, ARRAY[\(root)::uuid], ARRAY[\(root)::uuid]
            UNION ALL
            SELECT b.depth + 1, next.ids, b.visited || next.ids
            FROM bfs b
            CROSS JOIN LATERAL (
                SELECT array_agg(fresh.id) AS ids
                FROM (
                    SELECT e.child_id AS id
                    FROM unnest(b.frontier) AS f(id)
                    JOIN user_hierarchy e ON e.parent_id = f.id
                    EXCEPT
                    SELECT v.id FROM unnest(b.visited) AS v(id)
                ) fresh
            ) next
            WHERE next.ids IS NOT NULL AND (\(maxDepth)::int = 0 OR b.depth < \(maxDepth)::int)
        )
        """
    }

    /// `reach(id)`: every user reachable from `root` by one or more edges (the root too when it sits on a cycle).
    /// `UNION` keeps one row per user, so each user is expanded once.
    static func reachable(root: String) -> String {
        """
        reach(id) AS (
            SELECT e.child_id FROM user_hierarchy e WHERE e.parent_id = \(root)::uuid
            UNION
            SELECT e.child_id FROM reach r JOIN user_hierarchy e ON e.parent_id = r.id
        )
        """
    }
}
