import ArborModel

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension PostgresConnection {
    /// The current transaction's snapshot. In a REPEATABLE READ transaction (``PostgresClient/withReadOnlySnapshot(deadline:_:)``)
    /// it is the snapshot every statement of the transaction sees; its ``PostgresSnapshot/version`` is the version
    /// of the data read.
    public func currentSnapshot() throws -> PostgresSnapshot {
        let text = try self.query("SELECT pg_current_snapshot()::text").first!.decode(String.self, at: 0)
        guard let snapshot = PostgresSnapshot(text) else {
            throw StoreError(.protocolViolation, "PostgreSQL returned a snapshot that does not parse")
        }
        return snapshot
    }

    /// `arbor.current_version()`: the next transaction id. Data at a version at least this includes every
    /// transaction committed before the call.
    public func currentVersion() throws -> UInt64 {
        try self.query("SELECT arbor.current_version()").first!.decode(UInt64.self, at: 0)
    }

    /// The change-log entries of the transactions visible in `until` but not in `since`, in write order — exactly
    /// what turns data at snapshot `since` into data at snapshot `until`, even when transactions committed out of
    /// id order.
    ///
    /// Call it in a transaction whose snapshot is `until` (take `until` with ``currentSnapshot()`` inside
    /// ``PostgresClient/withReadOnlySnapshot(deadline:_:)``), so every entry `until` can see is readable.
    public func changes(since: PostgresSnapshot, until: PostgresSnapshot) throws -> [ChangeLogEntry] {
        let result = try self.query(
            """
            SELECT txid, seq, kind, user_id, other_id, day, registration_type, channel, coalesce(delta, 0)
            FROM arbor.changes_between($1::pg_snapshot, $2::pg_snapshot)
            """,
            [.untyped(since.description), .untyped(until.description)])
        return try result.map { row in
            let kindText = try row.decode(String.self, at: 2)
            guard let kind = ChangeLogEntry.Kind(rawValue: kindText) else {
                throw StoreError(.protocolViolation, "unknown change-log kind \(kindText)")
            }
            return ChangeLogEntry(
                transactionID: try row.decode(UInt64.self, at: 0), sequence: try row.decode(Int64.self, at: 1),
                kind: kind, userID: try row.decode(UUID?.self, at: 3), otherID: try row.decode(UUID?.self, at: 4),
                day: try row.decode(Day?.self, at: 5), registrationType: try row.decode(String?.self, at: 6),
                channel: try row.decode(String?.self, at: 7), delta: try row.decode(Int64.self, at: 8))
        }
    }

    /// Deletes change-log entries no reader needs once every reader's snapshot is at least `horizon`: those of
    /// transactions below `horizon.xmin`. Returns how many were deleted. Run it in a read-write transaction or
    /// with ``PostgresClient/withConnection(deadline:_:)``.
    @discardableResult
    public func pruneChangeLog(before horizon: PostgresSnapshot) throws -> Int {
        try self.query("SELECT arbor.prune_change_log($1::text::xid8)", [.text(String(horizon.xmin))]).first!
            .decode(Int.self, at: 0)
    }

    /// Deletes change-log entries logged more than `retention` ago; returns how many. Readers that refresh more
    /// often than every `retention / 2` never need them (``ArborService`` reloads everything otherwise).
    @discardableResult
    public func pruneChangeLog(olderThan retention: Duration) throws -> Int {
        let milliseconds = retention.wholeMilliseconds
        return try self.query(
            "SELECT arbor.prune_change_log_older_than($1::bigint * interval '1 millisecond')", [.int64(milliseconds)]
        ).first!.decode(Int.self, at: 0)
    }
}
