-- The statement LiveQueries sends for this call, as captured from PostgreSQL's log (placeholders $n bound by
-- scripts/bench-live-sql with the benchmark's parameters).
WITH RECURSIVE reach(id) AS (
    SELECT e.child_id FROM user_hierarchy e WHERE e.parent_id = $1::uuid
    UNION
    SELECT e.child_id FROM reach r JOIN user_hierarchy e ON e.parent_id = r.id
),
scope(id) AS (SELECT id FROM reach WHERE id <> $1::uuid UNION ALL SELECT $1::uuid),
counted AS MATERIALIZED (
    SELECT u.id, u.role, u.state, u.district, u.block, u.village
    FROM scope s
    JOIN users u ON u.id = s.id
    WHERE u.role = ANY($2::text[]) AND u.district = ANY($3::text[])
),
grouped AS (
    SELECT to_char(r.day, 'YYYY-MM-DD') COLLATE "C" AS k0, sum(r.registrations)::bigint AS registrations, count(DISTINCT r.user_id) AS users
    FROM counted u
    JOIN arbor.daily_rollups r ON r.user_id = u.id
    WHERE r.registrations > 0 AND r.day >= $4::date AND r.day <= $5::date AND r.registration_type = ANY($6::text[])
    GROUP BY 1
    HAVING sum(r.registrations) > 0
)
SELECT (SELECT count(*) FROM counted) AS users_in_scope, g.registrations, g.users, g.k0
FROM (SELECT 1) AS one
LEFT JOIN grouped g ON true
ORDER BY g.k0