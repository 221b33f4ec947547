-- The statement LiveQueries sends for this call, as captured from PostgreSQL's log (placeholders $n bound by
-- scripts/bench-live-sql with the benchmark's parameters).
SELECT u.id, coalesce(u.name, ''), coalesce(u.role, ''), coalesce(u.state, ''), coalesce(u.district, ''),
    coalesce(u.block, ''), coalesce(u.village, ''), coalesce(u.status = 'active', false),
    coalesce(u.app_installed, false)
FROM users u
WHERE starts_with(translate(u.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), translate($1::text, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'))
ORDER BY coalesce(u.name, '') COLLATE "C", u.id
LIMIT $2