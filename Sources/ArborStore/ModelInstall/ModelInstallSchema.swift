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

    /// The version token (docs/contract.md, Freshness); created only when absent, so a database that has one from
    /// an earlier Arbor keeps it.
    static let currentVersion = """
        CREATE FUNCTION arbor.current_version() RETURNS bigint
            LANGUAGE sql VOLATILE
            AS $$ SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint $$
        """
}
