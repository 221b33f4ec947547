-- The statement LiveQueries sends for this call, as captured from PostgreSQL's log (placeholders $n bound by
-- scripts/bench-live-sql with the benchmark's parameters).
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
