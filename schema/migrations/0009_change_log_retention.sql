-- Time-based retention for the change log. Several servers may read it, each from its own last snapshot, so no
-- reader can prune by its own horizon without breaking another's incremental refresh. Instead entries carry the
-- time they were logged and are kept for a retention period; a server whose last refresh is older than half of it
-- reloads everything rather than reading the log (see Refresher).
ALTER TABLE arbor.change_log ADD COLUMN logged_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX change_log_logged_at ON arbor.change_log (logged_at);

CREATE FUNCTION arbor.prune_change_log_older_than(retention interval) RETURNS bigint
    LANGUAGE sql VOLATILE
    AS $$
    WITH pruned AS (DELETE FROM arbor.change_log WHERE logged_at < now() - retention RETURNING 1)
    SELECT count(*) FROM pruned
$$;
