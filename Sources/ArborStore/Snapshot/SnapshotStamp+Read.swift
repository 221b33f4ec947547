extension PostgresConnection {
    /// The current transaction's snapshot and the time of this statement (no later than the snapshot when it is
    /// the transaction's first statement), in one round trip.
    public func snapshotAndTime() throws -> (snapshot: PostgresSnapshot, asOfUnixMs: Int64) {
        guard
            let row = try query(
                "SELECT pg_current_snapshot()::text, (extract(epoch FROM statement_timestamp()) * 1000)::bigint"
            ).first
        else { throw StoreError(.protocolViolation, "the snapshot query returned no row") }
        guard let snapshot = PostgresSnapshot(try row.decode(String.self, at: 0)) else {
            throw StoreError(.protocolViolation, "PostgreSQL returned a snapshot that does not parse")
        }
        return (snapshot, try row.decode(Int64.self, at: 1))
    }
}
