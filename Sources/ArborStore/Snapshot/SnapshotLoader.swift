import ArborModel

/// Reads the whole hierarchy and every rollup in one REPEATABLE READ snapshot with binary `COPY`.
///
/// Rollups come from `arbor.rollup_packs` (one row per user and month, kept exact by the registration triggers),
/// not row by row from `arbor.daily_rollups`: PostgreSQL produces about 200k packs far faster than 9M rows.
public struct SnapshotLoader: Sendable {
    public let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Reads the hierarchy and the rollup kinds, then hands them to `build` with a function that streams every
    /// non-empty rollup pack of the same snapshot to a closure, so no caller ever holds all rollups as values.
    /// `build` runs on a database thread inside the snapshot's transaction; what it returns is the result.
    ///
    /// `streamPacks` calls its sink once per pack, in (user, month) order, with the pack's entries in (day, kind
    /// code) order. The entries array is reused between calls (a sink that keeps it gets a copy on the next call).
    /// It throws ``StoreError/Code/decodingFailed`` naming the user and month of a malformed pack.
    public func load<Output: Sendable>(
        deadline: ContinuousClock.Instant? = nil,
        build:
            @escaping @Sendable (
                _ graph: SnapshotGraph,
                _ streamPacks: (_ sink: (_ user: UserID, _ entries: [RollupEntry]) -> Void) throws -> Void
            ) throws -> Output
    ) async throws -> Output {
        try await client.withReadOnlySnapshot(deadline: deadline) { connection in
            let (snapshot, asOf) = try connection.snapshotAndTime()
            var roles: [RoleRow] = []
            try connection.copyOut("COPY (SELECT name, level FROM roles) TO STDOUT (FORMAT binary)") { row in
                roles.append(
                    RoleRow(name: try row.decode(String.self, at: 0), level: try row.decode(Int32?.self, at: 1)))
            }
            // Counted first so that the arrays are allocated once (doubling would leave up to half unused), and
            // users come in id order, which is the index's order, so the index keeps this array as it is.
            guard
                let counts = try connection.query(
                    "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM user_hierarchy)"
                ).first
            else { throw StoreError(.protocolViolation, "the count query returned no row") }
            var users: [UserRow] = []
            users.reserveCapacity(Int(try counts.decode(Int64.self, at: 0)))
            try connection.copyOut(
                """
                COPY (SELECT id, name, role, state, district, block, village, status, app_installed FROM users
                      ORDER BY id)
                TO STDOUT (FORMAT binary)
                """
            ) { row in
                users.append(
                    UserRow(
                        id: try row.userID(at: 0), name: try row.decode(String?.self, at: 1),
                        role: try row.decode(String?.self, at: 2), state: try row.decode(String?.self, at: 3),
                        district: try row.decode(String?.self, at: 4), block: try row.decode(String?.self, at: 5),
                        village: try row.decode(String?.self, at: 6), status: try row.decode(String?.self, at: 7),
                        appInstalled: try row.decode(Bool?.self, at: 8)))
            }
            var edges: [EdgeRow] = []
            edges.reserveCapacity(Int(try counts.decode(Int64.self, at: 1)))
            try connection.copyOut("COPY (SELECT parent_id, child_id FROM user_hierarchy) TO STDOUT (FORMAT binary)") {
                row in
                edges.append(EdgeRow(parent: try row.userID(at: 0), child: try row.userID(at: 1)))
            }
            var kinds: [RollupKind] = []
            try connection.copyOut(
                "COPY (SELECT code, registration_type, channel FROM arbor.rollup_kinds) TO STDOUT (FORMAT binary)"
            ) { row in
                kinds.append(
                    RollupKind(
                        code: try row.decode(Int32.self, at: 0), registrationType: try row.decode(String?.self, at: 1),
                        channel: try row.decode(String?.self, at: 2)))
            }
            guard
                let total = try connection.query("SELECT coalesce(sum(row_count), 0)::bigint FROM arbor.rollup_packs")
                    .first
            else { throw StoreError(.protocolViolation, "the rollup count query returned no row") }
            let graph = SnapshotGraph(
                roles: roles, users: users, edges: edges, kinds: kinds,
                rollupRowCount: Int(try total.decode(Int64.self, at: 0)), snapshot: snapshot, asOfUnixMs: asOf)
            return try build(graph) { sink in
                var entries: [RollupEntry] = []
                try connection.copyOut(
                    """
                    COPY (SELECT user_id, month, row_count, entries FROM arbor.rollup_packs WHERE row_count > 0
                          ORDER BY user_id, month)
                    TO STDOUT (FORMAT binary)
                    """
                ) { row in
                    let user = try row.userID(at: 0)
                    let month = try row.decode(Day.self, at: 1)
                    let rowCount = try row.decode(Int32.self, at: 2)
                    guard let bytes = row[3].bytes else {
                        throw StoreError(
                            .decodingFailed, "rollup pack of user \(user), month \(month) has NULL entries")
                    }
                    entries.removeAll(keepingCapacity: true)
                    try RollupPack.decode(bytes, rowCount: rowCount, user: user, month: month, into: &entries)
                    sink(user, entries)
                }
            }
        }
    }
}

extension BinaryCopyRow {
    /// Decodes the `uuid` in `column` straight into a ``UserID``.
    func userID(at column: Int) throws -> UserID {
        guard let bytes = self[column].bytes, let id = UserID(bytes: bytes) else {
            throw StoreError(.decodingFailed, "COPY column \(column) is not a uuid")
        }
        return id
    }
}
