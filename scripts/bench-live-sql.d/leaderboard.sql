-- The statement LiveQueries sends for this call, as captured from PostgreSQL's log (placeholders $n bound by
-- scripts/bench-live-sql with the benchmark's parameters).
WITH RECURSIVE 
ranked AS MATERIALIZED (
    SELECT u.id, u.name, u.role FROM users u WHERE TRUE
),
closure(ancestor, descendant) AS (
    SELECT e.parent_id, e.child_id FROM ranked JOIN user_hierarchy e ON e.parent_id = ranked.id
    UNION
    SELECT c.ancestor, e.child_id FROM closure c JOIN user_hierarchy e ON e.parent_id = c.descendant
),
own AS (
    SELECT r.user_id, sum(r.registrations)::bigint AS registrations
    FROM arbor.daily_rollups r
    WHERE r.day >= $1::date AND r.day <= $2::date
    GROUP BY r.user_id
),
downline AS (
    SELECT c.ancestor AS id, count(*) AS size, coalesce(sum(own.registrations), 0)::bigint AS registrations,
        0 AS role_count
    FROM closure c
    LEFT JOIN own ON own.user_id = c.descendant
    
    WHERE c.descendant <> c.ancestor
    GROUP BY c.ancestor
),
children AS (
    SELECT e.parent_id AS id, count(*) AS direct_children
    FROM ranked JOIN user_hierarchy e ON e.parent_id = ranked.id
    WHERE e.child_id <> e.parent_id
    GROUP BY e.parent_id
),
board AS MATERIALIZED (
    SELECT ranked.id, ranked.name, ranked.role,
        coalesce(own.registrations, 0) AS self_registrations,
        coalesce(downline.registrations, 0) AS tree_registrations,
        coalesce(children.direct_children, 0) AS direct_children,
        coalesce(downline.size, 0) AS downline_size,
        coalesce(downline.role_count, 0) AS downline_role
    FROM ranked
    LEFT JOIN own ON own.user_id = ranked.id
    LEFT JOIN downline ON downline.id = ranked.id
    LEFT JOIN children ON children.id = ranked.id
),
page AS (
    SELECT * FROM board ORDER BY tree_registrations DESC, id LIMIT $3 OFFSET $4
),
page_roles AS (
    SELECT c.ancestor AS id, coalesce(du.role, '') COLLATE "C" AS role, count(*) AS users
    FROM closure c
    JOIN page ON page.id = c.ancestor
    JOIN users du ON du.id = c.descendant
    WHERE c.descendant <> c.ancestor
    GROUP BY 1, 2
)
SELECT (SELECT count(*) FROM board), page.id, coalesce(page.name, ''), coalesce(page.role, ''),
    page.self_registrations, page.tree_registrations, page.direct_children, page.downline_size,
    ARRAY(SELECT pr.role FROM page_roles pr WHERE pr.id = page.id ORDER BY pr.role),
    ARRAY(SELECT pr.users FROM page_roles pr WHERE pr.id = page.id ORDER BY pr.role)
FROM (SELECT 1) AS one
LEFT JOIN page ON true
ORDER BY page.tree_registrations DESC, page.id