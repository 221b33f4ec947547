-- Arbor's own objects: settings (what a "day" is), daily rollups kept exact by statement-level triggers, and a
-- change log that makes incremental refresh exact. Requires PostgreSQL 15 (UNIQUE NULLS NOT DISTINCT).

-- No registration may be written while the rollups are backfilled and their triggers installed; writers wait.
LOCK TABLE public.registrations IN SHARE MODE;

CREATE SCHEMA IF NOT EXISTS arbor;

-- One row: the organisation's time zone. A registration's day is the date of created_at in this zone.
CREATE TABLE arbor.settings (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    time_zone text NOT NULL CHECK ((now() AT TIME ZONE time_zone) IS NOT NULL)
);
INSERT INTO arbor.settings (time_zone) VALUES ('UTC');

CREATE FUNCTION arbor.time_zone() RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT time_zone FROM arbor.settings $$;

-- Registrations per (user, day, type, channel). NULLs are kept as NULLs (a NULL attribute never matches a filter),
-- so the key is a NULLS NOT DISTINCT unique constraint rather than a primary key. A row exists only while its
-- count is above zero.
CREATE TABLE arbor.daily_rollups (
    user_id uuid,
    day date,
    registration_type text,
    channel text,
    registrations bigint NOT NULL,
    CONSTRAINT daily_rollups_key UNIQUE NULLS NOT DISTINCT (user_id, day, registration_type, channel)
);
-- Finds rows a delete or update brought to zero (normally none) without scanning the table.
CREATE INDEX daily_rollups_emptied ON arbor.daily_rollups (user_id) WHERE registrations = 0;

-- Every change an incremental refresh needs, stamped with its writer's transaction id:
--   user   user_id changed (inserted, updated or deleted): re-read it;
--   edge   the edge user_id -> other_id was inserted or deleted: re-check it;
--   rollup the rollup (user_id, day, registration_type, channel) changed by delta;
--   reset  everything may have changed (time zone change, TRUNCATE): reload.
-- A reader takes the entries of transactions visible in its new snapshot and not in its old one, which is exact
-- even when transactions commit out of id order (see arbor.changes_between).
CREATE TABLE arbor.change_log (
    seq bigserial PRIMARY KEY,
    txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    kind text NOT NULL CHECK (kind IN ('user', 'edge', 'rollup', 'reset')),
    user_id uuid,
    other_id uuid,
    day date,
    registration_type text,
    channel text,
    delta bigint
);
CREATE INDEX change_log_txid ON arbor.change_log (txid);

-- Registrations -> rollups and rollup deltas. One function for the three statement-level triggers; each branch
-- aggregates its transition table(s) once, logs the deltas and upserts them in key order (so concurrent writers
-- lock rollup rows in the same order), then drops rows that reached zero. Single-statement writers therefore never
-- deadlock on rollups; transactions of several statements that touch the same (user, day, type, channel) rows in
-- different orders can, and PostgreSQL then aborts one of them (40P01) for the application to retry.
CREATE FUNCTION arbor.registrations_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    zone text := arbor.time_zone();
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
        RETURN NULL;
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
    END IF;
    DELETE FROM arbor.daily_rollups WHERE registrations = 0;
    RETURN NULL;
END
$$;

CREATE TRIGGER arbor_rollup_insert AFTER INSERT ON public.registrations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.registrations_changed();
CREATE TRIGGER arbor_rollup_delete AFTER DELETE ON public.registrations
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.registrations_changed();
CREATE TRIGGER arbor_rollup_update AFTER UPDATE ON public.registrations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.registrations_changed();

-- Rebuilds every rollup from the raw rows under the current time zone, and tells readers to reload.
CREATE FUNCTION arbor.rebuild_rollups() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    LOCK TABLE public.registrations IN SHARE MODE;
    DELETE FROM arbor.daily_rollups;
    INSERT INTO arbor.daily_rollups (user_id, day, registration_type, channel, registrations)
    SELECT created_by, (created_at AT TIME ZONE arbor.time_zone())::date, registration_type, channel, count(*)
    FROM public.registrations
    GROUP BY 1, 2, 3, 4;
    INSERT INTO arbor.change_log (kind) VALUES ('reset');
END
$$;

CREATE FUNCTION arbor.registrations_truncated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM arbor.daily_rollups;
    INSERT INTO arbor.change_log (kind) VALUES ('reset');
    RETURN NULL;
END
$$;

CREATE TRIGGER arbor_rollup_truncate AFTER TRUNCATE ON public.registrations
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.registrations_truncated();

-- Sets the organisation's time zone; when it changes, the rollups are rebuilt in the same transaction. Raises
-- invalid_parameter_value (22023) for a zone PostgreSQL does not know. Returns whether the zone changed.
CREATE FUNCTION arbor.set_time_zone(zone text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
DECLARE
    current_zone text;
BEGIN
    IF zone IS NULL OR (now() AT TIME ZONE zone) IS NULL THEN
        RAISE EXCEPTION 'time zone must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Writers wait from here on, so no registration is counted under the old zone after the rebuild.
    LOCK TABLE public.registrations IN SHARE MODE;
    SELECT time_zone INTO current_zone FROM arbor.settings FOR UPDATE;
    IF current_zone = zone THEN
        RETURN false;
    END IF;
    UPDATE arbor.settings SET time_zone = zone;
    PERFORM arbor.rebuild_rollups();
    RETURN true;
END
$$;

-- Users and hierarchy edges -> change log.
CREATE FUNCTION arbor.users_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO arbor.change_log (kind, user_id) SELECT DISTINCT 'user', id FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO arbor.change_log (kind, user_id) SELECT DISTINCT 'user', id FROM old_rows;
    ELSE
        INSERT INTO arbor.change_log (kind, user_id)
        SELECT 'user', id FROM (SELECT id FROM new_rows UNION SELECT id FROM old_rows) ids;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER arbor_users_insert AFTER INSERT ON public.users
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.users_changed();
CREATE TRIGGER arbor_users_delete AFTER DELETE ON public.users
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.users_changed();
CREATE TRIGGER arbor_users_update AFTER UPDATE ON public.users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.users_changed();

CREATE FUNCTION arbor.edges_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO arbor.change_log (kind, user_id, other_id)
        SELECT DISTINCT 'edge', parent_id, child_id FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO arbor.change_log (kind, user_id, other_id)
        SELECT DISTINCT 'edge', parent_id, child_id FROM old_rows;
    ELSE
        INSERT INTO arbor.change_log (kind, user_id, other_id)
        SELECT 'edge', parent_id, child_id
        FROM (SELECT parent_id, child_id FROM new_rows UNION SELECT parent_id, child_id FROM old_rows) edges;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER arbor_edges_insert AFTER INSERT ON public.user_hierarchy
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.edges_changed();
CREATE TRIGGER arbor_edges_delete AFTER DELETE ON public.user_hierarchy
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.edges_changed();
CREATE TRIGGER arbor_edges_update AFTER UPDATE ON public.user_hierarchy
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.edges_changed();

CREATE FUNCTION arbor.graph_truncated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO arbor.change_log (kind) VALUES ('reset');
    RETURN NULL;
END
$$;

CREATE TRIGGER arbor_users_truncate AFTER TRUNCATE ON public.users
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.graph_truncated();
CREATE TRIGGER arbor_edges_truncate AFTER TRUNCATE ON public.user_hierarchy
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.graph_truncated();

-- The version token of the current database state: the next transaction id (xmax of the current snapshot). Data
-- at version V reflects every transaction below V; a caller that commits a write and then reads this holds a token
-- only data including the write satisfies.
CREATE FUNCTION arbor.current_version() RETURNS bigint
    LANGUAGE sql VOLATILE
    AS $$ SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint $$;

-- The change-log entries of transactions visible in `until` and not in `since`, in write order. Only ids at or
-- above since's xmin can be new to `until` (everything below was already finished and visible, or aborted, in
-- `since`), so the txid index bounds the scan. Read it in a transaction whose snapshot is `until` (or newer).
CREATE FUNCTION arbor.changes_between(since pg_snapshot, until pg_snapshot) RETURNS SETOF arbor.change_log
    LANGUAGE sql STABLE
    AS $$
    SELECT *
    FROM arbor.change_log
    WHERE txid >= pg_snapshot_xmin(since)
      AND txid < pg_snapshot_xmax(until)
      AND pg_visible_in_snapshot(txid, until)
      AND NOT pg_visible_in_snapshot(txid, since)
    ORDER BY seq
$$;

-- Deletes entries no reader needs any more: those of transactions below `horizon`, which every snapshot whose
-- xmin is at least `horizon` already contains. Returns how many were deleted.
CREATE FUNCTION arbor.prune_change_log(horizon xid8) RETURNS bigint
    LANGUAGE sql VOLATILE
    AS $$
    WITH pruned AS (DELETE FROM arbor.change_log WHERE txid < horizon RETURNING 1)
    SELECT count(*) FROM pruned
$$;

-- Backfill from the registrations that exist now.
INSERT INTO arbor.daily_rollups (user_id, day, registration_type, channel, registrations)
SELECT created_by, (created_at AT TIME ZONE 'UTC')::date, registration_type, channel, count(*)
FROM public.registrations
GROUP BY 1, 2, 3, 4;
