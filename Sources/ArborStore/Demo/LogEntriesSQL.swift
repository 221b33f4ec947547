// The SQL that builds the log-entries example inside PostgreSQL. Every random choice is a hash of (seed, purpose,
// key) through `pg_temp.log_unit`, so the same seed gives the same rows whatever the plan. Staging lives in
// temporary tables dropped at commit.
//
// The shape is planned per tree and per level, never by walking the data: a tree of `size` entries has `depth`
// levels below its root, each level's width comes from a growth curve, and every entry's parent is drawn from the
// level above among the entries that started no later than it (relative position in the level), skewed towards the
// first ones, which become the hubs. Ids run through each tree level by level; times run across each level, so a
// child is always later than its parent. Depth, tree size and parent are therefore arithmetic, and the report needs
// to walk only the few trees a loop touched.

enum LogEntriesSQL {
    /// Temporary tables and the hash function for one seeding transaction.
    static let prelude: [String] = [
        """
        CREATE TEMP TABLE log_params (
            seed bigint NOT NULL, entries bigint NOT NULL, loops int NOT NULL, first_day date NOT NULL,
            last_day date NOT NULL, window_start timestamptz NOT NULL, window_end timestamptz NOT NULL
        ) ON COMMIT DROP
        """,
        """
        CREATE OR REPLACE FUNCTION pg_temp.log_unit(key bigint, salt bigint) RETURNS float8
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$ SELECT ((hashint8extended(key, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$
        """,
        """
        CREATE TEMP TABLE log_trees (
            t int PRIMARY KEY, first_id bigint NOT NULL, size bigint NOT NULL, kind int NOT NULL, depth int NOT NULL,
            growth float8 NOT NULL, curve float8 NOT NULL, troubled boolean NOT NULL, service int NOT NULL,
            start_time timestamptz NOT NULL, span float8 NOT NULL
        ) ON COMMIT DROP
        """,
        """
        CREATE TEMP TABLE log_levels (
            t int NOT NULL, depth int NOT NULL, first_id bigint NOT NULL, width bigint NOT NULL,
            parent_first_id bigint, parent_width bigint, kind int NOT NULL, curve float8 NOT NULL,
            troubled boolean NOT NULL, service int NOT NULL, start_time timestamptz NOT NULL, span float8 NOT NULL,
            PRIMARY KEY (t, depth)
        ) ON COMMIT DROP
        """,
        "CREATE TEMP TABLE log_loops (k int PRIMARY KEY, first_id bigint NOT NULL, length int NOT NULL) ON COMMIT DROP",
        "CREATE TEMP TABLE log_loop_members (id bigint PRIMARY KEY, parent_id bigint NOT NULL) ON COMMIT DROP",
    ]

    /// The table, as the example's model file describes it, with the index the traversals go through.
    static let createTable: [String] = [
        """
        CREATE TABLE public.log_entries (
            id bigint PRIMARY KEY,
            parent_id bigint,
            level text NOT NULL,
            source text NOT NULL,
            message text NOT NULL,
            created_at timestamptz NOT NULL
        )
        """,
        "CREATE INDEX log_entries_parent_id_idx ON public.log_entries (parent_id)",
    ]

    /// Parameters: seed, entries, loops, the last day (NULL: yesterday in UTC). The entries span the 30 days that
    /// end with the last day, in UTC.
    static let params = """
        INSERT INTO log_params
        SELECT $1, $2, $3, d - 29, d, (d - 29)::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC'
        FROM (SELECT coalesce($4::date, (now() AT TIME ZONE 'UTC')::date - 1) AS d) last_day
        """

    /// The trees, laid end to end over the ids 1...entries (the last one takes what is left). Three kinds: 75% short
    /// requests of 1–12 entries, 25% requests that fan out to 30–2,100, one in a thousand batch jobs of 6,000–14,000.
    /// Depth below the root: 1–3, 2–8 (3% of them 9–13), 4–9 (10% of them 10–13). 6% of the trees are troubled
    /// (more WARN and ERROR). Each starts at a time of one of the 30 days, 70% of them in working hours.
    static let trees = """
        INSERT INTO log_trees (t, first_id, size, kind, depth, growth, curve, troubled, service, start_time, span)
        SELECT t, first_id, size, kind, least(size - 1, drawn_depth), growth, curve, troubled, service,
            least(p.window_start + (day * 86400 + second_of_day) * interval '1 second',
                p.window_end - (size * gap + 0.1) * interval '1 second'),
            size * gap
        FROM (
            SELECT c.*, coalesce(lead(first_id) OVER (ORDER BY t), p.entries + 1) - first_id AS size
            FROM (
                SELECT c.*, 1 + sum(drawn) OVER (ORDER BY t ROWS UNBOUNDED PRECEDING) - drawn AS first_id
                FROM (
                    SELECT t, kind,
                        CASE kind WHEN 0 THEN 1 + floor(12 * pg_temp.log_unit(t, p.seed * 64 + 2) ^ 2)
                            WHEN 1 THEN floor(30 * 70 ^ pg_temp.log_unit(t, p.seed * 64 + 2))
                            ELSE 6000 + floor(8000 * pg_temp.log_unit(t, p.seed * 64 + 2)) END::bigint AS drawn
                    FROM log_params p, generate_series(0, (p.entries / 50 + 1000)::int) AS t
                    CROSS JOIN LATERAL (
                        SELECT CASE WHEN pg_temp.log_unit(t, p.seed * 64 + 1) < 0.001 THEN 2
                            WHEN pg_temp.log_unit(t, p.seed * 64 + 1) < 0.25 THEN 1 ELSE 0 END AS kind
                    ) k
                ) c
            ) c, log_params p
            WHERE c.first_id <= p.entries
        ) c
        CROSS JOIN log_params p
        CROSS JOIN LATERAL (
            SELECT CASE kind WHEN 0 THEN 1 + floor(3 * pg_temp.log_unit(t, p.seed * 64 + 3))
                    WHEN 1 THEN CASE WHEN pg_temp.log_unit(t, p.seed * 64 + 4) < 0.03
                        THEN 9 + floor(5 * pg_temp.log_unit(t, p.seed * 64 + 3))
                        ELSE 2 + floor(7 * pg_temp.log_unit(t, p.seed * 64 + 3)) END
                    ELSE CASE WHEN pg_temp.log_unit(t, p.seed * 64 + 4) < 0.1
                        THEN 10 + floor(4 * pg_temp.log_unit(t, p.seed * 64 + 3))
                        ELSE 4 + floor(6 * pg_temp.log_unit(t, p.seed * 64 + 3)) END
                END::int AS drawn_depth,
                0.3 + 1.2 * pg_temp.log_unit(t, p.seed * 64 + 5) AS growth,
                1 + 2 * pg_temp.log_unit(t, p.seed * 64 + 6) AS curve,
                pg_temp.log_unit(t, p.seed * 64 + 7) < 0.06 AS troubled,
                1 + floor(30 * pg_temp.log_unit(t, p.seed * 64 + 8) ^ 1.5)::int AS service,
                CASE kind WHEN 0 THEN 0.001 * 500 ^ pg_temp.log_unit(t, p.seed * 64 + 9)
                    WHEN 1 THEN 0.002 * 1000 ^ pg_temp.log_unit(t, p.seed * 64 + 9)
                    ELSE 0.05 * 60 ^ pg_temp.log_unit(t, p.seed * 64 + 9) END AS gap,
                floor(30 * pg_temp.log_unit(t, p.seed * 64 + 10)) AS day,
                CASE WHEN pg_temp.log_unit(t, p.seed * 64 + 11) < 0.7
                    THEN 28800 + 43200 * pg_temp.log_unit(t, p.seed * 64 + 12)
                    ELSE 86400 * pg_temp.log_unit(t, p.seed * 64 + 12) END AS second_of_day
        ) props
        """

    /// The levels of each tree: the root, then one level per depth whose width follows the tree's growth curve up
    /// to 60% of its depth and halves after that. Each level below the root has at least one entry; the widths add
    /// up to the tree's size exactly (integer weights, cumulative rounding).
    static let levels = """
        INSERT INTO log_levels (t, depth, first_id, width, parent_first_id, parent_width, kind, curve, troubled,
            service, start_time, span)
        SELECT t, depth, first_id, width, lag(first_id) OVER w, lag(width) OVER w, kind, curve, troubled, service,
            start_time, span
        FROM (
            SELECT l.*, tr.first_id + (sum(l.width) OVER (PARTITION BY l.t ORDER BY l.depth))::bigint - l.width
                    AS first_id,
                tr.kind, tr.curve, tr.troubled, tr.service, tr.start_time, tr.span
            FROM (
                SELECT t, 0 AS depth, 1::bigint AS width FROM log_trees
                UNION ALL
                SELECT t, depth, 1 + extra * cumulative / total - extra * (cumulative - weight) / total
                FROM (
                    SELECT tr.t, tr.size - 1 - tr.depth AS extra, d.depth, d.weight,
                        (sum(d.weight) OVER (PARTITION BY tr.t ORDER BY d.depth))::bigint AS cumulative,
                        (sum(d.weight) OVER (PARTITION BY tr.t))::bigint AS total
                    FROM log_trees tr
                    CROSS JOIN LATERAL (
                        SELECT depth,
                            round(1000 * exp(tr.growth * (least(depth, peak) - 1)) * 0.5 ^ greatest(0, depth - peak))
                                ::bigint AS weight
                        FROM generate_series(1, tr.depth) AS depth, (SELECT ceil(tr.depth * 0.6)::int AS peak) pk
                    ) d
                ) shares
            ) l
            JOIN log_trees tr ON tr.t = l.t
        ) l
        WINDOW w AS (PARTITION BY t ORDER BY depth)
        """

    /// The corrupt loops: loop k takes `length` consecutive ids (2–5, every length in turn) at a random place in
    /// the k-th of `loops` equal stretches of the ids, so loops never touch each other.
    static let loops = """
        INSERT INTO log_loops (k, first_id, length)
        SELECT k, segment_start + floor(pg_temp.log_unit(k, p.seed * 64 + 30) * (segment_length - length + 1))::bigint,
            length
        FROM log_params p
        CROSS JOIN generate_series(0, p.loops - 1) AS k
        CROSS JOIN LATERAL (
            SELECT p.entries * k / p.loops + 1 AS segment_start,
                p.entries * (k + 1) / p.loops - p.entries * k / p.loops AS segment_length,
                2 + ((k + p.seed) % 4)::int AS length
        ) s
        """

    /// Each loop member's parent is the member before it; the first one's is the last.
    static let loopMembers = """
        INSERT INTO log_loop_members (id, parent_id)
        SELECT l.first_id + j, l.first_id + (j + l.length - 1) % l.length
        FROM log_loops l CROSS JOIN generate_series(0, l.length - 1) AS j
        """

    /// The entries (in id order, as the levels come). A child's position in its level, scaled to the level above,
    /// bounds its parent's; `curve` skews the choice towards the first entries of that level. A child's time is its
    /// position across the tree's span plus a millisecond per level (and up to half a millisecond of jitter), so it
    /// is always later than its parent's.
    static let entries = """
        INSERT INTO public.log_entries (id, parent_id, level, source, message, created_at)
        SELECT e.id,
            CASE WHEN m.id IS NOT NULL THEN m.parent_id
                WHEN lv.depth = 0 THEN NULL
                ELSE lv.parent_first_id + floor(
                    e.j::float8 * lv.parent_width / lv.width * pg_temp.log_unit(e.id, p.seed * 64 + 21) ^ lv.curve
                )::bigint
            END,
            x.level,
            CASE WHEN lv.depth = 0 THEN
                CASE WHEN lv.kind = 2 THEN (ARRAY['scheduler', 'batch-worker', 'cron'])[1 + lv.t % 3]
                    ELSE (ARRAY['api-gateway', 'api-gateway', 'api-gateway', 'web', 'grpc-edge', 'webhooks',
                        'admin-ui', 'mobile-bff'])[1 + floor(8 * pg_temp.log_unit(lv.t, p.seed * 64 + 13))::int] END
                ELSE (ARRAY['auth', 'users', 'orders', 'catalog', 'search', 'cart', 'checkout', 'payments', 'billing',
                    'ledger', 'inventory', 'pricing', 'shipping', 'notifications', 'email', 'sms', 'recommendations',
                    'fraud', 'reports', 'analytics', 'audit', 'feature-flags', 'rate-limiter', 'images', 'geo',
                    'postgres', 'redis', 'kafka', 's3', 'sessions'])[
                        CASE WHEN pg_temp.log_unit(e.id, p.seed * 64 + 24) < 0.5 THEN lv.service
                            ELSE 1 + floor(30 * pg_temp.log_unit(e.id, p.seed * 64 + 25) ^ 2)::int END]
            END,
            CASE WHEN lv.depth = 0 AND lv.kind = 2 THEN
                    'job ' || (ARRAY['nightly-export', 'reindex-search', 'billing-run', 'sync-inventory',
                        'send-digests', 'rebuild-recommendations'])[
                        1 + floor(6 * pg_temp.log_unit(lv.t, p.seed * 64 + 14))::int]
                    || ' run ' || lv.t || CASE WHEN lv.troubled THEN ' failed' ELSE ' finished' END
                WHEN lv.depth = 0 THEN
                    (ARRAY['GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE'])[
                        1 + floor(8 * pg_temp.log_unit(lv.t, p.seed * 64 + 15))::int]
                    || ' ' || (ARRAY['/v1/orders', '/v1/orders/{id}', '/v1/users/me', '/v1/search', '/v1/cart',
                        '/v1/checkout', '/v1/payments', '/v1/catalog/items', '/v1/inventory', '/v1/sessions',
                        '/v1/shipments/{id}', '/v1/notifications', '/v1/reports/{id}', '/healthz'])[
                        1 + floor(14 * pg_temp.log_unit(lv.t, p.seed * 64 + 16) ^ 1.5)::int]
                    || CASE WHEN lv.troubled THEN (ARRAY[' 500', ' 502', ' 503', ' 504'])[1 + lv.t % 4]
                        ELSE (ARRAY[' 200', ' 200', ' 200', ' 201', ' 204', ' 304', ' 404'])[1 + lv.t % 7] END
                ELSE CASE x.level
                    WHEN 'DEBUG' THEN CASE x.pick % 5
                        WHEN 0 THEN 'cache hit user:' || x.number
                        WHEN 1 THEN 'cache miss order:' || x.number
                        WHEN 2 THEN 'query took ' || x.ms || ' ms'
                        WHEN 3 THEN 'connection #' || x.number % 200 || ' acquired'
                        ELSE 'flag checkout_v2 is ' || CASE WHEN x.number % 3 = 0 THEN 'off' ELSE 'on' END END
                    WHEN 'INFO' THEN CASE x.pick % 5
                        WHEN 0 THEN 'call ok in ' || x.ms || ' ms'
                        WHEN 1 THEN 'processed item ' || x.number
                        WHEN 2 THEN 'published event ' || x.number
                        WHEN 3 THEN 'wrote ' || x.number % 500 || ' rows'
                        ELSE 'user ' || x.number || ' signed in' END
                    WHEN 'WARN' THEN CASE x.pick % 4
                        WHEN 0 THEN 'slow query: ' || 1000 + x.ms || ' ms'
                        WHEN 1 THEN 'retrying, attempt ' || 2 + x.number % 4
                        WHEN 2 THEN 'rate limit at 90% for client ' || x.number
                        ELSE 'served stale cache for item:' || x.number END
                    ELSE CASE x.pick % 4
                        WHEN 0 THEN 'timeout after 5000 ms'
                        WHEN 1 THEN 'duplicate key for id ' || x.number
                        WHEN 2 THEN 'upstream returned 503'
                        ELSE 'payment declined for order ' || x.number END
                END
            END,
            lv.start_time
                + (lv.span * e.j / lv.width + 0.001 * lv.depth + 0.0005 * pg_temp.log_unit(e.id, p.seed * 64 + 22))
                    * interval '1 second'
        FROM log_levels lv
        CROSS JOIN log_params p
        CROSS JOIN LATERAL generate_series(0, lv.width - 1) AS g(j)
        CROSS JOIN LATERAL (SELECT lv.first_id + g.j AS id, g.j) e
        CROSS JOIN LATERAL (
            SELECT CASE WHEN lv.depth = 0 THEN CASE WHEN lv.troubled THEN 'ERROR' ELSE 'INFO' END
                    WHEN lv.troubled THEN
                        CASE WHEN u < 0.10 THEN 'ERROR' WHEN u < 0.25 THEN 'WARN' WHEN u < 0.55 THEN 'DEBUG'
                            ELSE 'INFO' END
                    ELSE CASE WHEN u < 0.004 THEN 'ERROR' WHEN u < 0.03 THEN 'WARN' WHEN u < 0.42 THEN 'DEBUG'
                        ELSE 'INFO' END
                END AS level,
                (h & 255)::int AS pick, 1 + ((h >> 8) & 65535) AS number,
                1 + ((h >> 24) & 1023) * ((h >> 24) & 1023) / 256 AS ms
            FROM (
                SELECT pg_temp.log_unit(e.id, p.seed * 64 + 23) AS u, hashint8extended(e.id, p.seed * 64 + 26) AS h
            ) hashed
        ) x
        LEFT JOIN log_loop_members m ON m.id = e.id
        """

    /// Roots, the deepest level below a root, and the entry with the most descendants. Trees no loop touched are
    /// intact, so their numbers come from the plan; the trees a loop touched and the loops themselves are walked
    /// (down the parent index, one lookup per entry, stopping at loop members).
    static let report = """
        WITH RECURSIVE reach(top, is_root, id, depth) AS (
            SELECT tr.first_id, true, tr.first_id, 0
            FROM log_trees tr
            WHERE EXISTS (SELECT 1 FROM log_loop_members m WHERE m.id >= tr.first_id AND m.id < tr.first_id + tr.size)
                AND NOT EXISTS (SELECT 1 FROM log_loop_members m WHERE m.id = tr.first_id)
            UNION ALL
            SELECT l.first_id, false, l.first_id + j, 0
            FROM log_loops l CROSS JOIN generate_series(0, l.length - 1) AS j
            UNION ALL
            SELECT r.top, r.is_root, c.id, r.depth + 1
            FROM reach r
            CROSS JOIN LATERAL (SELECT c.id FROM public.log_entries c WHERE c.parent_id = r.id OFFSET 0) c
            WHERE NOT EXISTS (SELECT 1 FROM log_loop_members m WHERE m.id = c.id)
        ),
        tops AS (
            SELECT top, count(*) - 1 AS descendants, max(depth) FILTER (WHERE is_root) AS depth FROM reach GROUP BY top
            UNION ALL
            SELECT first_id, size - 1, depth
            FROM log_trees tr
            WHERE NOT EXISTS (
                SELECT 1 FROM log_loop_members m WHERE m.id >= tr.first_id AND m.id < tr.first_id + tr.size)
        )
        SELECT (SELECT count(*) FROM log_trees tr
                WHERE NOT EXISTS (SELECT 1 FROM log_loop_members m WHERE m.id = tr.first_id)),
            (SELECT coalesce(max(depth), 0) FROM tops),
            largest.top, largest.descendants,
            (SELECT first_day FROM log_params), (SELECT last_day FROM log_params)
        FROM (SELECT top, descendants FROM tops ORDER BY descendants DESC, top LIMIT 1) largest
        """
}
