// The SQL that builds the demo organisation inside PostgreSQL. Every random choice is a hash of (seed, purpose,
// row number) through `pg_temp.demo_unit`, so the same seed gives the same organisation whatever the plan.
// Staging lives in temporary tables dropped at commit.

enum DemoSQL {
    /// The demo's application tables, as an organisation would already have them, and the indexes the live queries
    /// on them need (docs/live-queries.md, "Indexes"); each statement leaves an existing table or index as it is.
    static let applicationTables: [String] = [
        "CREATE TABLE IF NOT EXISTS public.roles (name text PRIMARY KEY, level int)",
        """
        CREATE TABLE IF NOT EXISTS public.users (
            id uuid PRIMARY KEY,
            name text,
            role text REFERENCES public.roles,
            state text,
            district text,
            block text,
            village text,
            status text,            -- active | inactive
            app_installed boolean,
            created_by uuid,
            created_at timestamptz
        )
        """,
        // A user may have several supervisors; depth is unbounded and cycles happen. The primary key serves walks
        // downwards (children of a parent).
        """
        CREATE TABLE IF NOT EXISTS public.user_hierarchy (
            parent_id uuid REFERENCES public.users,
            child_id uuid REFERENCES public.users,
            PRIMARY KEY (parent_id, child_id)
        )
        """,
        // Append-mostly, tens of millions of rows.
        """
        CREATE TABLE IF NOT EXISTS public.registrations (
            id bigserial PRIMARY KEY,
            created_by uuid,
            created_at timestamptz,
            registration_type text,
            channel text
        )
        """,
        // Ancestors: walking upwards, parents of a child.
        "CREATE INDEX IF NOT EXISTS user_hierarchy_child_parent ON public.user_hierarchy (child_id, parent_id)",
        // Events of a node in a time window, when live SQL reads the source table rather than its rollup.
        """
        CREATE INDEX IF NOT EXISTS registrations_created_by_created_at
            ON public.registrations (created_by, created_at)
        """,
        // FindNodes by label prefix: starts_with(translate(name, 'A–Z', 'a–z'), $1) becomes a range scan of this
        // index (text_pattern_ops compares bytes whatever the database's collation) instead of a scan of every name.
        """
        CREATE INDEX IF NOT EXISTS users_name_ascii_folded
            ON public.users (translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') text_pattern_ops)
        """,
    ]

    /// Temporary tables and functions for one seeding transaction.
    static let prelude: [String] = [
        """
        CREATE TEMP TABLE demo_params (
            seed bigint NOT NULL, users int NOT NULL, days int NOT NULL, registrations bigint NOT NULL,
            time_zone text NOT NULL, first_day date NOT NULL
        ) ON COMMIT DROP
        """,
        """
        CREATE OR REPLACE FUNCTION pg_temp.demo_unit(key bigint, salt bigint) RETURNS float8
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$ SELECT ((hashint8extended(key, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$
        """,
        """
        CREATE TEMP TABLE demo_levels (
            level_index int PRIMARY KEY, role text NOT NULL, first_n int NOT NULL, size int NOT NULL
        ) ON COMMIT DROP
        """,
        """
        CREATE TEMP TABLE demo_users (
            n int PRIMARY KEY, level_index int NOT NULL, pos int NOT NULL, parent_n int, id uuid NOT NULL, name text NOT NULL,
            state_i int, district_i int, block_i int, village_i int, status text NOT NULL, app_installed boolean,
            created_at timestamptz NOT NULL, fanout int NOT NULL, subtree bigint NOT NULL DEFAULT 0,
            UNIQUE (level_index, pos)
        ) ON COMMIT DROP
        """,
        """
        CREATE TEMP TABLE demo_edges (
            parent_n int NOT NULL, child_n int NOT NULL, kind text NOT NULL, PRIMARY KEY (parent_n, child_n)
        ) ON COMMIT DROP
        """,
        """
        CREATE TEMP TABLE demo_activity (
            n int PRIMARY KEY, user_id uuid NOT NULL, quota bigint NOT NULL, phase float8 NOT NULL,
            primary_channel text NOT NULL, secondary_channel text NOT NULL
        ) ON COMMIT DROP
        """,
        """
        CREATE TEMP TABLE demo_cells (
            user_id uuid NOT NULL, day date NOT NULL, day_start timestamptz NOT NULL, registration_type text NOT NULL,
            channel text NOT NULL, registrations int NOT NULL, salt bigint NOT NULL
        ) ON COMMIT DROP
        """,
        """
        CREATE TEMP TABLE demo_rollups (
            user_id uuid NOT NULL, day date NOT NULL, registration_type text NOT NULL, channel text NOT NULL,
            registrations int NOT NULL
        ) ON COMMIT DROP
        """,
        """
        CREATE OR REPLACE FUNCTION pg_temp.demo_growth(x float8, days float8, phase float8) RETURNS float8
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$ SELECT x + 0.3 * x * x / days + 0.5 * (7 / (2 * pi())) * (sin(2 * pi() * x / 7 + phase) - sin(phase)) $$
        """,
    ]

    /// Parameters: seed, users, days, registrations, the model's time zone. The last day is yesterday in that zone.
    static let params = """
        INSERT INTO demo_params
        SELECT $1, $2, $3, $4, $5::text, (now() AT TIME ZONE $5::text)::date - $3
        """

    /// The 15 role levels, most senior first (level 15) down to VOLUNTEER (level 1).
    static let roles = """
        INSERT INTO roles (name, level)
        SELECT role, 16 - ordinality::int
        FROM unnest(ARRAY['NATIONAL_PRESIDENT', 'NATIONAL_SECRETARY', 'ZONAL_HEAD', 'STATE_PRESIDENT', 'STATE_SECRETARY',
            'RM', 'CPOC', 'DPR', 'DPOC', 'BPR', 'BPOC', 'MANDAL_HEAD', 'LPR', 'BOOTH_CAPTAIN', 'VOLUNTEER'])
            WITH ORDINALITY AS r(role, ordinality)
        ON CONFLICT (name) DO UPDATE SET level = EXCLUDED.level
        """

    /// How many users each level gets: doubling downwards, at least one each, the rest volunteers.
    static let levels = """
        INSERT INTO demo_levels (level_index, role, first_n, size)
        SELECT level_index, role,
            coalesce(sum(size) OVER (ORDER BY level_index ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), size
        FROM (
            SELECT r.ordinality::int - 1 AS level_index, r.role,
                CASE WHEN r.ordinality < 15 THEN greatest(1, p.users::bigint * (1 << (r.ordinality::int - 1)) / 32767)
                    ELSE p.users - (SELECT sum(greatest(1, p.users::bigint * (1 << j) / 32767)) FROM generate_series(0, 13) j)
                END AS size
            FROM demo_params p,
                unnest(ARRAY['NATIONAL_PRESIDENT', 'NATIONAL_SECRETARY', 'ZONAL_HEAD', 'STATE_PRESIDENT', 'STATE_SECRETARY',
                    'RM', 'CPOC', 'DPR', 'DPOC', 'BPR', 'BPOC', 'MANDAL_HEAD', 'LPR', 'BOOTH_CAPTAIN', 'VOLUNTEER'])
                    WITH ORDINALITY AS r(role, ordinality)
        ) sized
        """

    /// Users of level `$1`. Each parent gets a contiguous run of the next level in proportion to a skewed weight, so fan-out is uneven; places are inherited from the parent and refined at the state, district, block and village levels.
    static let levelUsers = """
        INSERT INTO demo_users (n, level_index, pos, parent_n, id, name, state_i, district_i, block_i, village_i, status,
            app_installed, created_at, fanout)
        SELECT n, $1, c.pos, c.parent_n, md5(p.seed::text || ':user:' || n)::uuid,
            (ARRAY['Aarav', 'Vivaan', 'Aditya', 'Arjun', 'Sai', 'Rohan', 'Ishaan', 'Kabir', 'Rahul', 'Amit', 'Suresh',
                'Ramesh', 'Mahesh', 'Vikram', 'Sanjay', 'Deepak', 'Manoj', 'Anil', 'Sunil', 'Rajesh', 'Ravi', 'Gopal',
                'Mohan', 'Harish', 'Naveen', 'Prakash', 'Imran', 'Farhan', 'Gurpreet', 'Harpreet', 'Ananya', 'Diya',
                'Priya', 'Pooja', 'Neha', 'Kavya', 'Lakshmi', 'Sunita', 'Anita', 'Rekha', 'Meena', 'Geeta', 'Savita',
                'Asha', 'Nisha', 'Shweta', 'Divya', 'Fatima', 'Ayesha', 'Simran', 'Jyoti', 'Rani', 'Usha', 'Kiran'])
                [1 + floor(54 * pg_temp.demo_unit(n, p.seed * 64 + 1))::int] || ' ' ||
            (ARRAY['Sharma', 'Verma', 'Gupta', 'Singh', 'Kumar', 'Yadav', 'Patel', 'Shah', 'Mehta', 'Joshi', 'Mishra',
                'Pandey', 'Tiwari', 'Dubey', 'Chauhan', 'Rathore', 'Reddy', 'Rao', 'Naidu', 'Iyer', 'Nair', 'Menon',
                'Pillai', 'Das', 'Bose', 'Banerjee', 'Chatterjee', 'Mukherjee', 'Ghosh', 'Sen', 'Khan', 'Ahmed',
                'Qureshi', 'Ansari', 'Gill', 'Sandhu', 'Patil', 'Deshmukh', 'Jadhav', 'Kulkarni', 'Meena', 'Jain'])
                [1 + floor(42 * pg_temp.demo_unit(n, p.seed * 64 + 2))::int],
            CASE WHEN $1 <= 3 THEN floor(8 * pg_temp.demo_unit(n, p.seed * 64 + 3))::int ELSE c.state_i END,
            CASE WHEN $1 < 5 THEN NULL WHEN $1 = 5 THEN floor(6 * pg_temp.demo_unit(n, p.seed * 64 + 4))::int
                ELSE c.district_i END,
            CASE WHEN $1 < 9 THEN NULL WHEN $1 = 9 THEN floor(6 * pg_temp.demo_unit(n, p.seed * 64 + 5))::int
                ELSE c.block_i END,
            CASE WHEN $1 < 12 THEN NULL WHEN $1 = 12 THEN floor(10 * pg_temp.demo_unit(n, p.seed * 64 + 6))::int
                ELSE c.village_i END,
            CASE WHEN pg_temp.demo_unit(n, p.seed * 64 + 7) < 0.92 THEN 'active' ELSE 'inactive' END,
            CASE WHEN pg_temp.demo_unit(n, p.seed * 64 + 8) < 0.01 THEN NULL
                ELSE pg_temp.demo_unit(n, p.seed * 64 + 9) < 0.68 END,
            ((p.first_day - 30 - floor(700 * pg_temp.demo_unit(n, p.seed * 64 + 10))::int)::timestamp
                + floor(86400 * pg_temp.demo_unit(n, p.seed * 64 + 11)) * interval '1 second') AT TIME ZONE p.time_zone,
            20 + floor(600 * pg_temp.demo_unit(n, p.seed * 64 + 12) ^ 4)::int
        FROM demo_params p
        JOIN demo_levels l ON l.level_index = $1
        CROSS JOIN LATERAL (
            SELECT root.pos, NULL::int AS parent_n, NULL::int AS state_i, NULL::int AS district_i, NULL::int AS block_i,
                NULL::int AS village_i
            FROM generate_series(0, l.size - 1) AS root(pos)
            WHERE $1 = 0
            UNION ALL
            SELECT child.pos, par.n, par.state_i, par.district_i, par.block_i, par.village_i
            FROM (
                SELECT u.*, sum(u.fanout) OVER (ORDER BY u.pos) AS cumulative, sum(u.fanout) OVER () AS total
                FROM demo_users u
                WHERE u.level_index = $1 - 1
            ) par
            CROSS JOIN LATERAL generate_series(
                (l.size * (par.cumulative - par.fanout) / par.total)::int, (l.size * par.cumulative / par.total)::int - 1
            ) AS child(pos)
        ) c
        CROSS JOIN LATERAL (SELECT l.first_n + c.pos AS n) numbered
        """

    /// Adds the subtree sizes of the users of level `$1` to their parents (run from the bottom level up).
    static let subtree = """
        UPDATE demo_users par SET subtree = par.subtree + s.total
        FROM (SELECT parent_n, sum(1 + subtree) AS total FROM demo_users WHERE level_index = $1 GROUP BY parent_n) s
        WHERE par.n = s.parent_n
        """

    /// Names "Raj" the user whose tree downline is closest to 10,000 (a fifth of the users for small organisations).
    static let raj = """
        UPDATE demo_users SET name = 'Raj'
        WHERE n = (
            SELECT u.n FROM demo_users u, demo_params p
            WHERE u.level_index > 0
            ORDER BY abs(u.subtree - least(10000, p.users / 5)), u.n
            LIMIT 1
        )
        """

    /// One supervisor per user below the top level.
    static let edges = """
        INSERT INTO demo_edges (parent_n, child_n, kind)
        SELECT parent_n, n, 'tree' FROM demo_users WHERE parent_n IS NOT NULL
        """

    /// A second supervisor, from the first supervisor's level, for about 3% of users.
    static let second = """
        INSERT INTO demo_edges (parent_n, child_n, kind)
        SELECT other.n, c.n, 'second'
        FROM demo_users c
        CROSS JOIN demo_params p
        JOIN demo_users par ON par.n = c.parent_n
        JOIN demo_levels pl ON pl.level_index = par.level_index
        JOIN demo_users other ON other.level_index = par.level_index
            AND other.pos = (par.pos + 1 + floor((pl.size - 1) * pg_temp.demo_unit(c.n, p.seed * 64 + 13))::int) % pl.size
        WHERE pl.size >= 2 AND pg_temp.demo_unit(c.n, p.seed * 64 + 14) < 0.03
        ON CONFLICT DO NOTHING
        """

    /// A handful of cycles near the bottom: a self-edge, a user supervising their supervisor, one supervising their supervisor's boss (two of these), and one reaching four levels up.
    static let cycles = """
        INSERT INTO demo_edges (parent_n, child_n, kind)
        SELECT DISTINCT ON (spec.k) chosen.n, ancestor.n, 'cycle'
        FROM demo_params p
        CROSS JOIN (VALUES (1, 14, 0), (2, 13, 1), (3, 12, 2), (4, 11, 2), (5, 14, 4)) AS spec(k, level_index, up)
        CROSS JOIN LATERAL (
            SELECT u.n FROM demo_users u
            WHERE u.level_index = spec.level_index
            ORDER BY pg_temp.demo_unit(u.n, p.seed * 64 + 20 + spec.k), u.n
            LIMIT 1
        ) chosen
        CROSS JOIN LATERAL (
            WITH RECURSIVE chain(n, parent_n, steps) AS (
                SELECT u.n, u.parent_n, 0 FROM demo_users u WHERE u.n = chosen.n
                UNION ALL
                SELECT u.n, u.parent_n, chain.steps + 1 FROM chain JOIN demo_users u ON u.n = chain.parent_n
                WHERE chain.steps < spec.up
            )
            SELECT n FROM chain WHERE steps = spec.up
        ) ancestor
        ON CONFLICT DO NOTHING
        """

    /// The users, with place names for the staged place indices.
    static let users = """
        INSERT INTO users (id, name, role, state, district, block, village, status, app_installed, created_by, created_at)
        SELECT u.id, u.name, l.role, place.state, place.district,
            CASE WHEN u.block_i IS NOT NULL THEN
                (ARRAY['Ram', 'Shiv', 'Kishan', 'Lakshmi', 'Hari', 'Gopal', 'Sultan', 'Bhawani', 'Chandra', 'Devi',
                    'Narayan', 'Sita', 'Madhav', 'Kali', 'Durga', 'Indra'])[1 + (district_key * 7 + u.block_i * 3) % 16]
                || (ARRAY['pur', 'nagar', 'garh', 'ganj', 'abad', 'pura', 'khera', 'wadi', 'halli', 'palli', 'gaon', 'kot'])
                    [1 + (district_key + u.block_i * 5) % 12]
            END,
            CASE WHEN u.village_i IS NOT NULL THEN
                (ARRAY['Ram', 'Shiv', 'Kishan', 'Lakshmi', 'Hari', 'Gopal', 'Sultan', 'Bhawani', 'Chandra', 'Devi',
                    'Narayan', 'Sita', 'Madhav', 'Kali', 'Durga', 'Indra'])[1 + (block_key * 11 + u.village_i * 7) % 16]
                || (ARRAY['pur', 'nagar', 'garh', 'ganj', 'abad', 'pura', 'khera', 'wadi', 'halli', 'palli', 'gaon', 'kot'])
                    [1 + (block_key * 3 + u.village_i) % 12]
            END,
            u.status, u.app_installed, parent.id, u.created_at
        FROM demo_users u
        JOIN demo_levels l ON l.level_index = u.level_index
        LEFT JOIN demo_users parent ON parent.n = u.parent_n
        CROSS JOIN LATERAL (
            SELECT (ARRAY['Uttar Pradesh', 'Bihar', 'Maharashtra', 'Rajasthan', 'Madhya Pradesh', 'Karnataka', 'Tamil Nadu',
                    'West Bengal'])[1 + u.state_i] AS state,
                (ARRAY[['Lucknow', 'Varanasi', 'Agra', 'Kanpur Nagar', 'Gorakhpur', 'Prayagraj'],
                    ['Patna', 'Gaya', 'Muzaffarpur', 'Bhagalpur', 'Darbhanga', 'Purnia'],
                    ['Pune', 'Nagpur', 'Nashik', 'Chhatrapati Sambhajinagar', 'Kolhapur', 'Solapur'],
                    ['Jaipur', 'Jodhpur', 'Udaipur', 'Kota', 'Ajmer', 'Bikaner'],
                    ['Bhopal', 'Indore', 'Gwalior', 'Jabalpur', 'Ujjain', 'Sagar'],
                    ['Bengaluru Urban', 'Mysuru', 'Belagavi', 'Kalaburagi', 'Dharwad', 'Tumakuru'],
                    ['Chennai', 'Coimbatore', 'Madurai', 'Salem', 'Tiruchirappalli', 'Tirunelveli'],
                    ['Kolkata', 'Howrah', 'Nadia', 'Murshidabad', 'Purba Bardhaman', 'Darjeeling']])
                    [1 + u.state_i][1 + u.district_i] AS district,
                u.state_i * 6 + u.district_i AS district_key,
                (u.state_i * 6 + u.district_i) * 6 + u.block_i AS block_key
        ) place
        """

    /// The edges.
    static let hierarchy = """
        INSERT INTO user_hierarchy (parent_id, child_id)
        SELECT parent.id, child.id
        FROM demo_edges e
        JOIN demo_users parent ON parent.n = e.parent_n
        JOIN demo_users child ON child.n = e.child_n
        """

    /// Each user's share of the registrations: skewed by role, a few very active users, a few who never register, exact total by cumulative rounding.
    static let activity = """
        INSERT INTO demo_activity (n, user_id, quota, phase, primary_channel, secondary_channel)
        SELECT n, id,
            (floor(p.registrations::numeric * cumulative / total) - floor(p.registrations::numeric * (cumulative - weight) / total))::bigint,
            2 * pi() * pg_temp.demo_unit(n, p.seed * 64 + 40),
            primary_channel,
            CASE WHEN primary_channel = 'APP' THEN (ARRAY['FIELD', 'WEB', 'CALL'])[1 + floor(3 * pg_temp.demo_unit(n, p.seed * 64 + 41))::int]
                ELSE (ARRAY['APP', 'WEB', 'CALL'])[1 + floor(3 * pg_temp.demo_unit(n, p.seed * 64 + 41))::int] END
        FROM demo_params p
        CROSS JOIN LATERAL (
            SELECT w.*, sum(weight) OVER (ORDER BY n) AS cumulative, greatest(sum(weight) OVER (), 1) AS total
            FROM (
                SELECT u.n, u.id, CASE WHEN u.app_installed THEN 'APP' ELSE 'FIELD' END AS primary_channel,
                    CASE WHEN pg_temp.demo_unit(u.n, p.seed * 64 + 42) < 0.08 THEN 0
                        ELSE CASE WHEN u.level_index >= 12 THEN 10 WHEN u.level_index >= 9 THEN 5
                                WHEN u.level_index >= 5 THEN 2 ELSE 1 END
                            * (5 + floor(15 * pg_temp.demo_unit(u.n, p.seed * 64 + 43))::bigint)
                            * CASE WHEN pg_temp.demo_unit(u.n, p.seed * 64 + 44) < 0.006
                                THEN 40 + floor(60 * pg_temp.demo_unit(u.n, p.seed * 64 + 45))::bigint ELSE 1 END
                            * CASE WHEN u.status = 'active' THEN 1 ELSE 0 END
                    END AS weight
                FROM demo_users u
            ) w
        ) weighted
        """

    /// Daily counts straight from the activity: each user's quota spread over the days (weekly rhythm, growth), each
    /// day split over the types; exact totals by cumulative rounding. Written in key order (user id, day); the
    /// LATERAL joins and `OFFSET 0` fix that order.
    static let rollups = """
        INSERT INTO demo_rollups (user_id, day, registration_type, channel, registrations)
        WITH day_totals AS MATERIALIZED (
            SELECT user_id, day, key, channel, upper_bound - lower_bound AS registrations
            FROM (
                SELECT a.user_id, a.first_day + d AS day, a.n::bigint * 100000 + d AS key,
                    CASE WHEN pg_temp.demo_unit(a.n::bigint * 100000 + d, a.seed * 64 + 50) < 0.8
                        THEN a.primary_channel ELSE a.secondary_channel END AS channel,
                    floor(a.quota * pg_temp.demo_growth(d + 1, a.days, a.phase) / a.full_growth + a.day_offset)
                        AS upper_bound,
                    floor(a.quota * pg_temp.demo_growth(d, a.days, a.phase) / a.full_growth + a.day_offset)
                        AS lower_bound
                FROM (
                    SELECT activity.*, params.seed, params.days, params.first_day,
                        pg_temp.demo_growth(params.days, params.days, activity.phase) AS full_growth,
                        pg_temp.demo_unit(activity.n, params.seed * 64 + 52) AS day_offset
                    FROM demo_activity activity, demo_params params
                    WHERE activity.quota > 0
                    ORDER BY activity.user_id
                    OFFSET 0
                ) a
                CROSS JOIN LATERAL generate_series(0, a.days - 1) AS d
                OFFSET 0
            ) bounds
            WHERE upper_bound > lower_bound
        )
        SELECT t.user_id, t.day, types.registration_type, t.channel, types.registrations
        FROM (
            SELECT day_totals.*, pg_temp.demo_unit(key, params.seed * 64 + 51) AS type_offset
            FROM day_totals, demo_params params
            OFFSET 0
        ) t
        CROSS JOIN LATERAL (
            SELECT v.registration_type,
                (floor(t.registrations * v.upper_share + t.type_offset)
                    - floor(t.registrations * v.lower_share + t.type_offset))::int AS registrations
            FROM (
                VALUES ('VOTER', 0.0::float8, 0.55::float8), ('MEMBER', 0.55, 0.80), ('VOLUNTEER_SIGNUP', 0.80, 0.92),
                    ('DONOR', 0.92, 1.0)
            ) AS v(registration_type, lower_share, upper_share)
            OFFSET 0
        ) types
        WHERE types.registrations > 0
        """

    /// The registrations the daily counts count, at times within each day (06:00–21:00 local), in (user, day) order so
    /// the (created_by, created_at) index grows at a few places at a time.
    static let registrations = """
        INSERT INTO registrations (created_by, created_at, registration_type, channel)
        SELECT r.user_id, r.day_start + floor(21600 + 54000 * pg_temp.demo_unit(j, r.salt)) * interval '1 second',
            r.registration_type, r.channel
        FROM (
            SELECT rollup.user_id, rollup.registration_type, rollup.channel, rollup.registrations,
                rollup.day::timestamp AT TIME ZONE p.time_zone AS day_start,
                hashtextextended(rollup.registration_type, uuid_hash_extended(rollup.user_id, p.seed + (rollup.day - p.first_day))) AS salt
            FROM demo_rollups rollup, demo_params p
            ORDER BY rollup.user_id, rollup.day, rollup.registration_type, rollup.channel
            OFFSET 0
        ) r
        CROSS JOIN generate_series(1, r.registrations) AS j
        """
}
