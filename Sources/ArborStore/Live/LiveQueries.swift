import ArborModel

/// Answers every call of the contract with SQL on PostgreSQL: the live path, used when the in-memory snapshot is
/// not fresh enough.
///
/// Each call runs in one `REPEATABLE READ, READ ONLY` transaction, so everything it reads — roles, users, edges,
/// rollups — comes from one snapshot, and the answer carries that snapshot's version (`pg_snapshot_xmin`) and time.
/// Traversals are recursive CTEs that stop on cycles and touch each node once; see `docs/live-queries.md`.
///
/// Errors: ``QueryError`` for an unknown role (checked first, in request order) or an unknown `root`/`within`;
/// ``StoreError`` for everything the database does, e.g. ``StoreError/Code/deadlineExceeded`` when `deadline`
/// passes (the statement is cancelled on the server).
public struct LiveQueries: Sendable {
    /// The pool the queries run on.
    public let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Runs `body` in one read-only snapshot after reading the snapshot's version, the known roles (when asked) and
    /// which of `ids` exist; wraps the result with the version.
    func inSnapshot<Value: Sendable>(
        deadline: ContinuousClock.Instant?, needsRoles: Bool, lookingUp ids: [UserID],
        _ body: @escaping @Sendable (PostgresConnection, SnapshotFacts) throws -> Value
    ) async throws -> Versioned<Value> {
        try await client.withReadOnlySnapshot(deadline: deadline) { connection in
            let facts = try SnapshotFacts.read(
                connection, needsRoles: needsRoles, lookingUp: ids, deadline: deadline)
            let value = try body(connection, facts)
            return Versioned(value: value, stamp: facts.stamp)
        }
    }

    /// `arbor.current_version()`: every transaction below it has finished, so data at this version exists.
    public func currentVersion(deadline: ContinuousClock.Instant?) async throws -> UInt64 {
        try await client.withConnection(deadline: deadline) { connection in try connection.currentVersion() }
    }

    /// Everyone under `query.root`, by depth then id.
    ///
    /// - Throws: ``QueryError`` for an unknown role in `filter` or an unknown `root`.
    public func descendants(
        _ query: DescendantsQuery, deadline: ContinuousClock.Instant?
    ) async throws -> Versioned<DescendantsResult> {
        try await inSnapshot(deadline: deadline, needsRoles: !query.filter.roles.isEmpty, lookingUp: [query.root]) {
            connection, facts in
            try query.validateRoles(facts.knownRoles)
            try facts.requireUser(query.root, field: "root")
            return try Self.runDescendants(query, on: connection)
        }
    }

    /// Registration counts of `query.root`'s subtree, filtered and grouped.
    ///
    /// - Throws: ``QueryError`` for an unknown role in `user_filter` or an unknown `root`.
    public func filteredStats(
        _ query: FilteredStatsQuery, deadline: ContinuousClock.Instant?
    ) async throws -> Versioned<FilteredStatsResult> {
        try await inSnapshot(deadline: deadline, needsRoles: !query.userFilter.roles.isEmpty, lookingUp: [query.root]) {
            connection, facts in
            try query.validateRoles(facts.knownRoles)
            try facts.requireUser(query.root, field: "root")
            return try Self.runFilteredStats(query, on: connection)
        }
    }

    /// Users ranked by their own and their downline's numbers.
    ///
    /// - Throws: ``QueryError`` for an unknown role in `filter` or `order_role`, or an unknown `within`.
    public func leaderboard(
        _ query: LeaderboardQuery, deadline: ContinuousClock.Instant?
    ) async throws -> Versioned<LeaderboardResult> {
        var needsRoles = !query.filter.roles.isEmpty
        if case .downlineRole = query.metric { needsRoles = true }
        return try await inSnapshot(
            deadline: deadline, needsRoles: needsRoles, lookingUp: query.within.map { [$0] } ?? []
        ) { connection, facts in
            try query.validateRoles(facts.knownRoles)
            if let within = query.within { try facts.requireUser(within, field: "within") }
            return try Self.runLeaderboard(query, on: connection)
        }
    }

    /// Every group of users that reach each other, largest first.
    public func cycles(_ query: CyclesQuery, deadline: ContinuousClock.Instant?) async throws -> Versioned<CyclesResult>
    {
        try await inSnapshot(deadline: deadline, needsRoles: false, lookingUp: []) { connection, _ in
            try Self.runCycles(query, on: connection)
        }
    }

    /// Users by name prefix and/or id, by name in byte order, then id.
    public func findUsers(
        _ query: FindUsersQuery, deadline: ContinuousClock.Instant?
    ) async throws -> Versioned<FindUsersResult> {
        try await inSnapshot(deadline: deadline, needsRoles: false, lookingUp: []) { connection, _ in
            try Self.runFindUsers(query, on: connection)
        }
    }
}
