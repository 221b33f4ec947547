-- Rollup packs: beside arbor.daily_rollups, one row per (user, month) holding that user's rollup rows of that month
-- packed into a bytea, kept exact by the registration triggers in the writer's own transaction. A full load COPYs
-- about 200k packs instead of about 9M rollup rows (PostgreSQL alone needs 1.9 s to produce those); the live
-- queries keep reading daily_rollups.

-- No registration may be written while the packs are backfilled and the trigger replaced; writers wait.
LOCK TABLE public.registrations IN SHARE MODE;

-- The (registration_type, channel) pairs, numbered. A code is never reused or renumbered: packs refer to it.
CREATE TABLE arbor.rollup_kinds (
    code int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registration_type text,
    channel text,
    CONSTRAINT rollup_kinds_key UNIQUE NULLS NOT DISTINCT (registration_type, channel)
);

-- One row per (user, month): `month` is the first day of the month, `entries` the user's daily_rollups rows of
-- that month with registrations <> 0, `row_count` how many. Entry format, 14 bytes each, big-endian:
--     int2 day offset from `month` (0..30) || int4 rollup_kinds.code || int8 registrations
-- in (day, code) order. Rows with a NULL user_id or day are never packed (the index cannot reach them).
--
-- The triggers never delete a pack: a (user, month) whose rollups all went away keeps a row with row_count 0 and
-- empty entries. A REPEATABLE READ writer that computed a pack from an older snapshot must fail when another
-- transaction changed the pack since; an UPDATE of a row changed by a concurrent transaction raises a
-- serialization failure (40001), an INSERT after a concurrent DELETE would silently succeed.
CREATE TABLE arbor.rollup_packs (
    user_id uuid,
    month date,
    row_count int NOT NULL,
    entries bytea NOT NULL,
    PRIMARY KEY (user_id, month)
);
-- Out of line but uncompressed: the full load would spend more time in pglz than it saves in I/O.
ALTER TABLE arbor.rollup_packs ALTER COLUMN entries SET STORAGE EXTERNAL;

-- Recomputes every pack from daily_rollups with one GROUP BY. Packs of a (user, month) that has no rollups any
-- more are emptied rather than deleted (see above), so a REPEATABLE READ writer racing a rebuild gets 40001.
-- Callers that need the packs exact against concurrent writers hold registrations in SHARE mode (migrations,
-- rebuild_rollups, TRUNCATE, seed-demo); the SHARE ROW EXCLUSIVE lock below also waits for writers in flight.
CREATE FUNCTION arbor.rebuild_rollup_packs() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    LOCK TABLE arbor.rollup_packs IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO arbor.rollup_kinds (registration_type, channel)
    SELECT DISTINCT r.registration_type, r.channel
    FROM arbor.daily_rollups r
    WHERE NOT EXISTS (
        SELECT FROM arbor.rollup_kinds k
        WHERE k.registration_type IS NOT DISTINCT FROM r.registration_type
          AND k.channel IS NOT DISTINCT FROM r.channel)
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;

    -- Emptied packs: index lookups into daily_rollups per non-empty pack (none at all on a first backfill).
    UPDATE arbor.rollup_packs p SET row_count = 0, entries = ''::bytea
    WHERE p.row_count > 0
      AND NOT EXISTS (
        SELECT FROM arbor.daily_rollups r
        WHERE r.user_id = p.user_id AND r.day >= p.month AND r.day < (p.month + interval '1 month')::date
          AND r.registrations <> 0);

    -- NULL-safe equality is not hashable; coalesce plus an IS NULL flag per column is, and is the same relation.
    INSERT INTO arbor.rollup_packs AS p (user_id, month, row_count, entries)
    SELECT r.user_id, date_trunc('month', r.day::timestamp)::date, count(*)::int,
        string_agg(
            int2send((extract(day FROM r.day) - 1)::int2) || int4send(k.code) || int8send(r.registrations),
            ''::bytea ORDER BY r.day, k.code)
    FROM arbor.daily_rollups r
    JOIN arbor.rollup_kinds k
      ON coalesce(k.registration_type, '') = coalesce(r.registration_type, '')
     AND (k.registration_type IS NULL) = (r.registration_type IS NULL)
     AND coalesce(k.channel, '') = coalesce(r.channel, '')
     AND (k.channel IS NULL) = (r.channel IS NULL)
    WHERE r.registrations <> 0 AND r.user_id IS NOT NULL AND r.day IS NOT NULL
    GROUP BY 1, 2
    ORDER BY 1, 2
    ON CONFLICT (user_id, month) DO UPDATE SET row_count = excluded.row_count, entries = excluded.entries
    WHERE p.row_count IS DISTINCT FROM excluded.row_count OR p.entries IS DISTINCT FROM excluded.entries;
END
$$;

-- Registrations -> rollups, rollup deltas and packs. Everything 0002 did, then the packs of the (user, month) pairs
-- the statement touched:
--   1. kinds the new rows introduce are added (only those not yet present: a bare ON CONFLICT DO NOTHING would
--      burn an identity value per attempted row on every statement; ON CONFLICT stays for the race);
--   2. the touched packs are locked, so that they are computed after every other writer of the same pack has
--      committed: up to 1000 pairs take a transaction advisory lock each, in ascending key order (single-statement
--      writers never deadlock); more take SHARE ROW EXCLUSIVE on the whole table (that many advisory locks could
--      exhaust the shared lock table). ROW EXCLUSIVE is taken before the advisory locks so every writer takes the
--      table lock first;
--   3. in a new statement (a fresh snapshot under READ COMMITTED, so it sees every writer that held the lock before
--      us) each touched pack is recomputed from daily_rollups and upserted, in (user_id, month) order.
-- Under REPEATABLE READ the recompute sees the transaction's own snapshot; if another transaction changed the same
-- pack since, the upsert fails with a serialization failure (40001), which is correct: the application retries.
--
-- The advisory key is hashtext of the user id and the month as days since 2000-01-01 (not month::text, whose
-- form depends on the session's DateStyle); class 1346454347 is "PACK" in ASCII. Two pairs sharing a hash share
-- a lock, which only serialises them.
CREATE OR REPLACE FUNCTION arbor.registrations_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    zone text := arbor.time_zone();
    pack_users uuid[];
    pack_months date[];
    pack_key int;
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH delta AS (
            SELECT created_by AS user_id, (created_at AT TIME ZONE zone)::date AS day, registration_type, channel,
                   count(*)::bigint AS delta
            FROM new_rows
            GROUP BY 1, 2, 3, 4
        ), logged AS (
            INSERT INTO arbor.change_log (kind, user_id, day, registration_type, channel, delta)
            SELECT 'rollup', user_id, day, registration_type, channel, delta FROM delta
        )
        INSERT INTO arbor.daily_rollups AS r (user_id, day, registration_type, channel, registrations)
        SELECT user_id, day, registration_type, channel, delta FROM delta
        ORDER BY user_id, day, registration_type, channel
        ON CONFLICT (user_id, day, registration_type, channel)
        DO UPDATE SET registrations = r.registrations + excluded.registrations;

        SELECT array_agg(user_id ORDER BY user_id, month), array_agg(month ORDER BY user_id, month)
        INTO pack_users, pack_months
        FROM (
            SELECT DISTINCT created_by AS user_id, date_trunc('month', created_at AT TIME ZONE zone)::date AS month
            FROM new_rows
            WHERE created_by IS NOT NULL AND created_at IS NOT NULL
        ) touched;

        INSERT INTO arbor.rollup_kinds (registration_type, channel)
        SELECT DISTINCT n.registration_type, n.channel
        FROM new_rows n
        WHERE NOT EXISTS (
            SELECT FROM arbor.rollup_kinds k
            WHERE k.registration_type IS NOT DISTINCT FROM n.registration_type
              AND k.channel IS NOT DISTINCT FROM n.channel)
        ORDER BY 1, 2
        ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'DELETE' THEN
        WITH delta AS (
            SELECT created_by AS user_id, (created_at AT TIME ZONE zone)::date AS day, registration_type, channel,
                   -count(*)::bigint AS delta
            FROM old_rows
            GROUP BY 1, 2, 3, 4
        ), logged AS (
            INSERT INTO arbor.change_log (kind, user_id, day, registration_type, channel, delta)
            SELECT 'rollup', user_id, day, registration_type, channel, delta FROM delta
        )
        INSERT INTO arbor.daily_rollups AS r (user_id, day, registration_type, channel, registrations)
        SELECT user_id, day, registration_type, channel, delta FROM delta
        ORDER BY user_id, day, registration_type, channel
        ON CONFLICT (user_id, day, registration_type, channel)
        DO UPDATE SET registrations = r.registrations + excluded.registrations;
        DELETE FROM arbor.daily_rollups WHERE registrations = 0;

        SELECT array_agg(user_id ORDER BY user_id, month), array_agg(month ORDER BY user_id, month)
        INTO pack_users, pack_months
        FROM (
            SELECT DISTINCT created_by AS user_id, date_trunc('month', created_at AT TIME ZONE zone)::date AS month
            FROM old_rows
            WHERE created_by IS NOT NULL AND created_at IS NOT NULL
        ) touched;
        -- Deleting introduces no kind: every rollup row's kind was added when the row was first counted.
    ELSE
        WITH moved AS (
            SELECT created_by, created_at, registration_type, channel, 1 AS sign FROM new_rows
            UNION ALL
            SELECT created_by, created_at, registration_type, channel, -1 AS sign FROM old_rows
        ), delta AS (
            SELECT created_by AS user_id, (created_at AT TIME ZONE zone)::date AS day, registration_type, channel,
                   sum(sign)::bigint AS delta
            FROM moved
            GROUP BY 1, 2, 3, 4
            HAVING sum(sign) <> 0
        ), logged AS (
            INSERT INTO arbor.change_log (kind, user_id, day, registration_type, channel, delta)
            SELECT 'rollup', user_id, day, registration_type, channel, delta FROM delta
        )
        INSERT INTO arbor.daily_rollups AS r (user_id, day, registration_type, channel, registrations)
        SELECT user_id, day, registration_type, channel, delta FROM delta
        ORDER BY user_id, day, registration_type, channel
        ON CONFLICT (user_id, day, registration_type, channel)
        DO UPDATE SET registrations = r.registrations + excluded.registrations;
        DELETE FROM arbor.daily_rollups WHERE registrations = 0;

        -- Pairs whose rows moved away are touched too (their pack shrinks); an update that changed nothing a
        -- rollup depends on recomputes a pack to the same value.
        SELECT array_agg(user_id ORDER BY user_id, month), array_agg(month ORDER BY user_id, month)
        INTO pack_users, pack_months
        FROM (
            SELECT created_by AS user_id, date_trunc('month', created_at AT TIME ZONE zone)::date AS month
            FROM new_rows
            WHERE created_by IS NOT NULL AND created_at IS NOT NULL
            UNION
            SELECT created_by, date_trunc('month', created_at AT TIME ZONE zone)::date
            FROM old_rows
            WHERE created_by IS NOT NULL AND created_at IS NOT NULL
        ) touched;

        INSERT INTO arbor.rollup_kinds (registration_type, channel)
        SELECT DISTINCT n.registration_type, n.channel
        FROM new_rows n
        WHERE NOT EXISTS (
            SELECT FROM arbor.rollup_kinds k
            WHERE k.registration_type IS NOT DISTINCT FROM n.registration_type
              AND k.channel IS NOT DISTINCT FROM n.channel)
        ORDER BY 1, 2
        ON CONFLICT DO NOTHING;
    END IF;

    IF pack_users IS NULL THEN
        RETURN NULL;
    END IF;

    IF cardinality(pack_users) <= 1000 THEN
        LOCK TABLE arbor.rollup_packs IN ROW EXCLUSIVE MODE;
        FOR pack_key IN
            SELECT DISTINCT hashtext(t.user_id::text || ':' || (t.month - date '2000-01-01'))
            FROM unnest(pack_users, pack_months) AS t(user_id, month)
            ORDER BY 1
        LOOP
            PERFORM pg_advisory_xact_lock(1346454347, pack_key);
        END LOOP;
    ELSE
        LOCK TABLE arbor.rollup_packs IN SHARE ROW EXCLUSIVE MODE;
    END IF;

    -- A new statement: under READ COMMITTED it sees every writer that held one of our locks before us.
    INSERT INTO arbor.rollup_packs AS p (user_id, month, row_count, entries)
    SELECT t.user_id, t.month, count(e.code)::int,
        coalesce(
            string_agg(int2send(e.offset_days) || int4send(e.code) || int8send(e.registrations), ''::bytea
                ORDER BY e.offset_days, e.code),
            ''::bytea)
    FROM unnest(pack_users, pack_months) AS t(user_id, month)
    LEFT JOIN LATERAL (
        SELECT (r.day - t.month)::int2 AS offset_days, k.code, r.registrations
        FROM arbor.daily_rollups r
        JOIN arbor.rollup_kinds k
          ON coalesce(k.registration_type, '') = coalesce(r.registration_type, '')
         AND (k.registration_type IS NULL) = (r.registration_type IS NULL)
         AND coalesce(k.channel, '') = coalesce(r.channel, '')
         AND (k.channel IS NULL) = (r.channel IS NULL)
        WHERE r.user_id = t.user_id AND r.day >= t.month AND r.day < (t.month + interval '1 month')::date
          AND r.registrations <> 0
    ) e ON true
    GROUP BY t.user_id, t.month
    ORDER BY t.user_id, t.month
    ON CONFLICT (user_id, month) DO UPDATE SET row_count = excluded.row_count, entries = excluded.entries;
    RETURN NULL;
END
$$;

-- Rebuilding the rollups (a time zone change) rebuilds the packs in the same transaction.
CREATE OR REPLACE FUNCTION arbor.rebuild_rollups() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    LOCK TABLE public.registrations IN SHARE MODE;
    DELETE FROM arbor.daily_rollups;
    INSERT INTO arbor.daily_rollups (user_id, day, registration_type, channel, registrations)
    SELECT created_by, (created_at AT TIME ZONE arbor.time_zone())::date, registration_type, channel, count(*)
    FROM public.registrations
    GROUP BY 1, 2, 3, 4;
    PERFORM arbor.rebuild_rollup_packs();
    INSERT INTO arbor.change_log (kind) VALUES ('reset');
END
$$;

-- TRUNCATE empties the packs too (kept as empty rows, as the triggers do).
CREATE OR REPLACE FUNCTION arbor.registrations_truncated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM arbor.daily_rollups;
    PERFORM arbor.rebuild_rollup_packs();
    INSERT INTO arbor.change_log (kind) VALUES ('reset');
    RETURN NULL;
END
$$;

-- Backfill from the rollups that exist now.
SELECT arbor.rebuild_rollup_packs();
-- Statistics now, so the trigger's first plans see 16 kinds rather than a default guess.
ANALYZE arbor.rollup_kinds;
ANALYZE arbor.rollup_packs;
