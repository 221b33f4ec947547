extension PostgresConnection {
    /// Runs `load` into the empty `table` with its indexes and unique/primary-key constraints dropped, then
    /// recreates them exactly as the catalog defined them: one sorted build per index (parallel where PostgreSQL
    /// can) instead of millions of random insertions. The definitions come from the catalog, never from a request.
    /// Used by the demo seeders inside their one transaction.
    func withIndexesBuiltAfterwards<T>(on table: String, _ load: () throws -> T) throws -> T {
        let definitions = try query(
            """
            SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
                format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                    pg_get_constraintdef(c.oid))
            FROM pg_constraint c
            WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u')
            UNION ALL
            SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = $1::regclass
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [.text(table)])
        var recreate: [String] = []
        for row in definitions {
            try execute(try row.decode(String.self, at: 0))
            recreate.append(try row.decode(String.self, at: 1))
        }
        let result = try load()
        try execute("SET LOCAL maintenance_work_mem = '512MB'")
        for statement in recreate { try execute(statement) }
        return result
    }
}

extension PostgresClient {
    /// Runs a seeding step in one transaction, then `VACUUM (ANALYZE)` on `tables` (a fixed list written in this
    /// module, never from a request), and returns its result and how long both took.
    ///
    /// The vacuum sets the visibility map and hint bits of the tables the live queries read, so their first
    /// index-only scans do not visit the heap (measured on the demo: Descendants of Raj 450 ms before, 100 ms
    /// after). It runs outside the transaction: VACUUM cannot run inside one.
    func seed<T: Sendable>(
        vacuuming tables: String, _ generate: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> (T, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await withTransaction(generate)
        try await withConnection { connection in try connection.execute("VACUUM (ANALYZE) \(tables)") }
        return (result, clock.now - start)
    }
}
