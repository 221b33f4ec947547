-- The statement LiveQueries sends for this call, as captured from PostgreSQL's log (placeholders $n bound by
-- scripts/bench-live-sql with the benchmark's parameters).
WITH RECURSIVE bfs(depth, frontier, visited) AS (
    SELECT 0, ARRAY[$1::uuid], ARRAY[$1::uuid]
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
    WHERE next.ids IS NOT NULL AND ($2::int = 0 OR b.depth < $2::int)
),
found AS (
    
    SELECT f.id, b.depth FROM bfs b CROSS JOIN LATERAL unnest(b.frontier) AS f(id) WHERE b.depth > 0
)
SELECT f.id, f.depth, count(*) OVER () AS total
FROM found f
JOIN users u ON u.id = f.id
WHERE TRUE
ORDER BY f.depth, f.id
