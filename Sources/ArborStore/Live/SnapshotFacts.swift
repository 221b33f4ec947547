import ArborModel

/// What every live call reads first in its snapshot: the snapshot's version and time, the known roles (only when
/// a request names roles) and which of the request's ids are users, in one round trip.
///
/// The same statement turns JIT off for the query that follows (transaction-local): the planner's row estimates for
/// recursive CTEs are wild (56 M closure rows estimated for 0.76 M real ones), and JIT then spends seconds compiling
/// (measured: 2.6 s on a 50k-user leaderboard). `work_mem` stays at the server's value on purpose: hash nodes size
/// their tables from those same estimates when the executor starts, so a large `work_mem` made the leaderboard
/// spend 200 ms allocating before it could even notice a deadline, and bought nothing measurable.
struct SnapshotFacts: Sendable {
    /// `pg_snapshot_xmin` of the transaction's snapshot, and `transaction_timestamp()` (taken at BEGIN, so never
    /// later than the snapshot).
    var stamp: DataStamp
    var knownRoles: Set<String>
    var existingUsers: Set<UserID>

    /// With a `deadline`, also tightens `statement_timeout` to what is left of it now, so the call's main statement
    /// is stopped by the server at the deadline rather than one timeout after the transaction began.
    static func read(
        _ connection: PostgresConnection, needsRoles: Bool, lookingUp ids: [UserID],
        deadline: ContinuousClock.Instant?
    ) throws -> Self {
        let rolesColumn = needsRoles ? "ARRAY(SELECT name FROM roles)" : "ARRAY[]::text[]"
        var timeout = "current_setting('statement_timeout')"
        var binds: [PostgresBind] = [.userIDArray(ids)]
        if let deadline {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                throw StoreError(.deadlineExceeded, "the deadline passed before the database answered")
            }
            let milliseconds = max(1, left.wholeMilliseconds)
            binds.append(.text("\(milliseconds)ms"))
            timeout = "set_config('statement_timeout', $2, true)"
        }
        let result = try connection.query(
            """
            SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
                (extract(epoch FROM transaction_timestamp()) * 1000)::bigint,
                \(rolesColumn),
                ARRAY(SELECT id FROM users WHERE id = ANY($1::uuid[])),
                set_config('jit', 'off', true),
                \(timeout)
            """,
            binds)
        guard let row = result.first else {
            throw StoreError(.protocolViolation, "the snapshot query returned no row")
        }
        let version = try row.decode(Int64.self, at: 0)
        return SnapshotFacts(
            stamp: DataStamp(version: UInt64(max(0, version)), asOfUnixMs: try row.decode(Int64.self, at: 1)),
            knownRoles: Set(try row.decode([String].self, at: 2)),
            existingUsers: Set(try row.userIDs(at: 3)))
    }

    /// Throws ``QueryError/unknownUser(_:field:)`` unless `id` is a user in this snapshot.
    func requireUser(_ id: UserID, field: String) throws(QueryError) {
        guard existingUsers.contains(id) else { throw .unknownUser(id, field: field) }
    }
}
