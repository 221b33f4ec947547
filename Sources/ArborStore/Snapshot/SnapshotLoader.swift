import ArborModel

/// Reads the whole hierarchy and every rollup in one REPEATABLE READ snapshot with binary `COPY`.
public struct SnapshotLoader: Sendable {
    public let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Reads the hierarchy, then hands it to `build` with a function that streams every non-zero rollup row of
    /// the same snapshot to a closure, so no caller ever holds all rollups as values. `build` runs on a database
    /// thread inside the snapshot's transaction; what it returns is the result.
    public func load<Output: Sendable>(
        deadline: ContinuousClock.Instant? = nil,
        build:
            @escaping @Sendable (
                _ graph: SnapshotGraph, _ streamRollups: (_ sink: (RollupRow) -> Void) throws -> Void
            ) throws -> Output
    ) async throws -> Output {
        try await client.withReadOnlySnapshot(deadline: deadline) { connection in
            let (snapshot, asOf) = try connection.snapshotAndTime()
            var roles: [RoleRow] = []
            try connection.copyOut("COPY (SELECT name, level FROM roles) TO STDOUT (FORMAT binary)") { row in
                roles.append(
                    RoleRow(name: try row.decode(String.self, at: 0), level: try row.decode(Int32?.self, at: 1)))
            }
            var users: [UserRow] = []
            try connection.copyOut(
                """
                COPY (SELECT id, name, role, state, district, block, village, status, app_installed FROM users)
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
            try connection.copyOut("COPY (SELECT parent_id, child_id FROM user_hierarchy) TO STDOUT (FORMAT binary)") {
                row in
                edges.append(EdgeRow(parent: try row.userID(at: 0), child: try row.userID(at: 1)))
            }
            let graph = SnapshotGraph(roles: roles, users: users, edges: edges, snapshot: snapshot, asOfUnixMs: asOf)
            return try build(graph) { sink in
                // Interned so that millions of rows share a handful of type and channel strings.
                var strings = StringInterner()
                try connection.copyOut(
                    """
                    COPY (SELECT user_id, day, registration_type, channel, registrations FROM arbor.daily_rollups
                          WHERE registrations <> 0)
                    TO STDOUT (FORMAT binary)
                    """
                ) { row in
                    sink(
                        RollupRow(
                            user: try row.userID(at: 0),
                            day: try row.decode(Day.self, at: 1),
                            registrationType: strings.intern(row[2].bytes), channel: strings.intern(row[3].bytes),
                            registrations: try row.decode(Int64.self, at: 4)))
                }
            }
        }
    }
}

/// Returns one shared `String` per distinct byte string, so repeated values cost no allocation each.
private struct StringInterner {
    private var table: [ArraySlice<UInt8>: String] = [:]

    mutating func intern(_ bytes: ArraySlice<UInt8>?) -> String? {
        guard let bytes else { return nil }
        if let known = table[bytes] { return known }
        let string = String(decoding: bytes, as: UTF8.self)
        table[bytes] = string
        return string
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
