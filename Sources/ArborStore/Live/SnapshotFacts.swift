import ArborModel

/// What every live call reads first in its snapshot: the snapshot's version and time, the known roles (only when
/// a request names roles) and which of the request's ids are users, in one round trip.
///
/// The same statement sets two transaction-local settings for the query that follows: `jit = off`, because the
/// planner's row estimates for recursive CTEs are wild and JIT then spends seconds compiling a plan that runs in
/// milliseconds (measured: 2.6 s of JIT on a 50k-user leaderboard), and a `work_mem` large enough to keep the
/// closure's joins and sorts in memory.
struct SnapshotFacts: Sendable {
    /// `pg_snapshot_xmin` of the transaction's snapshot.
    var version: UInt64
    /// `transaction_timestamp()` in milliseconds since the epoch: taken at BEGIN, so never later than the snapshot.
    var asOfUnixMs: Int64
    var knownRoles: Set<String>
    var existingUsers: Set<UserID>

    static func read(_ connection: PostgresConnection, needsRoles: Bool, lookingUp ids: [UserID]) throws -> Self {
        let rolesColumn = needsRoles ? "ARRAY(SELECT name FROM roles)" : "ARRAY[]::text[]"
        let result = try connection.query(
            """
            SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
                (extract(epoch FROM transaction_timestamp()) * 1000)::bigint,
                \(rolesColumn),
                ARRAY(SELECT id FROM users WHERE id = ANY($1::uuid[])),
                set_config('jit', 'off', true),
                set_config('work_mem', '64MB', true)
            """,
            [.userIDArray(ids)])
        guard let row = result.first else {
            throw StoreError(.protocolViolation, "the snapshot query returned no row")
        }
        let version = try row.decode(Int64.self, at: 0)
        return SnapshotFacts(
            version: UInt64(max(0, version)),
            asOfUnixMs: try row.decode(Int64.self, at: 1),
            knownRoles: Set(try row.decode([String].self, at: 2)),
            existingUsers: Set(try row.userIDs(at: 3)))
    }

    /// Throws ``QueryError/unknownUser(_:field:)`` unless `id` is a user in this snapshot.
    func requireUser(_ id: UserID, field: String) throws(QueryError) {
        guard existingUsers.contains(id) else { throw .unknownUser(id, field: field) }
    }
}
