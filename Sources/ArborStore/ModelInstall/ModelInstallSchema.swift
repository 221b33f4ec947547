/// The objects in schema `arbor` that do not depend on the model, created once and kept across `migrate`s.
enum ModelInstallSchema {
    /// Each statement is idempotent.
    static let statements = [
        "CREATE SCHEMA IF NOT EXISTS arbor",
        // One row: the installed model (its canonical text, ModelFingerprint) and its settings.
        """
        CREATE TABLE IF NOT EXISTS arbor.model (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            fingerprint text NOT NULL,
            model_text text NOT NULL,
            time_zone text NOT NULL,
            installed_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        // The rollup of each source and the definition it was built for: a migrate keeps a rollup whose
        // definition is unchanged, and drops exactly the tables listed here (never another table of schema arbor).
        """
        CREATE TABLE IF NOT EXISTS arbor.model_rollups (
            source text PRIMARY KEY,
            table_name text NOT NULL UNIQUE,
            definition text NOT NULL
        )
        """,
        // Every change an incremental refresh needs, stamped with its writer's transaction (see GraphCaptureSQL,
        // SourceCaptureSQL and PostgresConnection.modelChanges). Written inside every application write, so it is
        // as cheap to append to as a table can be: no primary key, no sequence, and BRIN indexes instead of
        // B-trees (entries arrive roughly in txid and time order; a bulk insert logging a million rollup deltas
        // took half the time without the B-trees). The txid is xid8 as bigint, for which BRIN has an operator
        // class; xid8 values stay below 2^63 for 2^31 epochs.
        """
        CREATE TABLE IF NOT EXISTS arbor.model_changes (
            txid bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
            logged_at timestamptz NOT NULL DEFAULT now(),
            kind text NOT NULL CHECK (kind IN ('node', 'edge', 'event', 'values', 'reset')),
            source text,
            node text,
            other text,
            day date,
            dims text[],
            deltas numeric[]
        )
        """,
        """
        CREATE INDEX IF NOT EXISTS model_changes_txid ON arbor.model_changes USING brin (txid)
            WITH (autosummarize = on)
        """,
        """
        CREATE INDEX IF NOT EXISTS model_changes_logged_at ON arbor.model_changes USING brin (logged_at)
            WITH (autosummarize = on)
        """,
    ]

    /// Merges a statement's deltas into one pack (``SourcePack``, format ``EventPack``): `pack` and `delta` are
    /// entries sorted by key (the first `key_length` bytes), each `width` bytes: the key, a 4-byte count, 8-byte
    /// sums; a delta entry's values are added to
    /// the entry of the same key (which disappears when its count reaches 0) or inserted in key order. The result is
    /// NULL — and stays NULL, the function being strict — when a value would pass its field, a count would go below 0,
    /// a delta names a key the pack lacks without adding events, or a length is not whole entries: the pack then no
    /// longer says anything and a load reads the rollup instead. Each delta entry costs a binary search and one
    /// copy of the pack (about 12 µs on a pack of 55 entries).
    static let packMerge = """
        CREATE OR REPLACE FUNCTION arbor.pack_merge(pack bytea, delta bytea, key_length int, width int) RETURNS bytea
            LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
            AS $arbor$
        DECLARE
            result bytea := pack;
            entries int := length(pack) / width;
            position int := 0;
            low int;
            high int;
            middle int;
            key bytea;
            merged bytea;
            total numeric;
            count_total numeric;
        BEGIN
            IF length(pack) % width <> 0 OR length(delta) % width <> 0 THEN
                RETURN NULL;
            END IF;
            WHILE position < length(delta) LOOP
                key := substring(delta FROM position + 1 FOR key_length);
                low := 0;
                high := entries;
                WHILE low < high LOOP
                    middle := (low + high) / 2;
                    IF substring(result FROM middle * width + 1 FOR key_length) < key THEN
                        low := middle + 1;
                    ELSE
                        high := middle;
                    END IF;
                END LOOP;
                IF low < entries AND substring(result FROM low * width + 1 FOR key_length) = key THEN
                    count_total := ('x' || encode(substring(result FROM low * width + key_length + 1 FOR 4), 'hex'))
                            ::bit(32)::int::numeric
                        + ('x' || encode(substring(delta FROM position + key_length + 1 FOR 4), 'hex'))::bit(32)::int;
                    IF count_total NOT BETWEEN 0 AND 2147483647 THEN
                        RETURN NULL;
                    END IF;
                    merged := key || int4send(count_total::int);
                    FOR value_index IN 0 .. (width - key_length - 4) / 8 - 1 LOOP
                        total := ('x' || encode(substring(result FROM low * width + key_length + 4 + value_index * 8 + 1
                                FOR 8), 'hex'))::bit(64)::bigint::numeric
                            + ('x' || encode(substring(delta FROM position + key_length + 4 + value_index * 8 + 1
                                FOR 8), 'hex'))::bit(64)::bigint;
                        IF total NOT BETWEEN -9223372036854775808 AND 9223372036854775807 THEN
                            RETURN NULL;
                        END IF;
                        merged := merged || int8send(total::bigint);
                    END LOOP;
                    IF count_total = 0 THEN
                        result := substring(result FROM 1 FOR low * width) || substring(result FROM (low + 1) * width + 1);
                        entries := entries - 1;
                    ELSE
                        result := overlay(result PLACING merged FROM low * width + 1 FOR width);
                    END IF;
                ELSE
                    IF ('x' || encode(substring(delta FROM position + key_length + 1 FOR 4), 'hex'))::bit(32)::int <= 0
                    THEN
                        RETURN NULL;
                    END IF;
                    result := substring(result FROM 1 FOR low * width) || substring(delta FROM position + 1 FOR width)
                        || substring(result FROM low * width + 1);
                    entries := entries + 1;
                END IF;
                position := position + width;
            END LOOP;
            RETURN result;
        END
        $arbor$
        """

    /// The version token (docs/contract.md, Freshness); created only when absent, so a database that has one from
    /// an earlier Arbor keeps it.
    static let currentVersion = """
        CREATE FUNCTION arbor.current_version() RETURNS bigint
            LANGUAGE sql VOLATILE
            AS $$ SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint $$
        """
}
