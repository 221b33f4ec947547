public import ArborModel

/// Every call of the v2 contract answered with live SQL generated from the model (``ModelSQL``), on the
/// organisation's own tables: the path taken when the in-memory snapshot is not fresh enough.
///
/// Each query runs on a connection inside the caller's read-only snapshot transaction; ``run(_:deadline:_:)``
/// opens one per call and stamps the answer with its version:
///
/// ```swift
/// let live = LiveModelQueries(model: model)
/// let answer = try await live.run(client, deadline: .now + .milliseconds(500)) { live, connection in
///     try live.traverse(query, on: connection)
/// }
/// answer.value.entries; answer.stamp.version
/// ```
///
/// Results and errors are those of the cached path: ``QueryError`` for what the caller can act on (an unknown
/// closed value, root or `within`; a sum past 64 bits), ``StoreError`` when the database fails. Every value from a
/// request is a bound parameter of its column's type; identifiers from the model are quoted. See
/// `docs/live-queries.md`.
public struct LiveModelQueries: Sendable {
    public let model: ResolvedModel
    let sql: ModelSQL

    /// - Parameter events: where events are read from: ``ModelSQL/EventReading/rollups`` once `migrate --model`
    ///   has installed them (what a server does), the sources' own tables otherwise.
    public init(model: ResolvedModel, events: ModelSQL.EventReading = .sourceTables) {
        self.model = model
        self.sql = ModelSQL(model, events: events)
    }

    /// Runs `body` in one `REPEATABLE READ, READ ONLY` transaction and returns its answer with the version of
    /// that transaction's snapshot.
    ///
    /// The first statement reads the version (`pg_snapshot_xmin` of the snapshot) and `as_of`
    /// (`transaction_timestamp()`, never later than the snapshot), turns JIT off for the transaction (the
    /// planner's estimates for recursive CTEs are wild and JIT compilation then costs seconds) and, with a
    /// `deadline`, tightens `statement_timeout` to what is left of it.
    ///
    /// - Throws: what `body` throws (``QueryError``, ``StoreError``); ``StoreError/Code/deadlineExceeded`` when the
    ///   deadline passes.
    public func run<T: Sendable>(
        _ client: PostgresClient, deadline: ContinuousClock.Instant?,
        _ body: @escaping @Sendable (LiveModelQueries, PostgresConnection) throws -> T
    ) async throws -> Versioned<T> {
        try await client.withReadOnlySnapshot(deadline: deadline) { [self] connection in
            let stamp = try Self.beginCall(on: connection, deadline: deadline)
            return Versioned(value: try body(self, connection), stamp: stamp)
        }
    }

    static func beginCall(on connection: PostgresConnection, deadline: ContinuousClock.Instant?) throws -> DataStamp {
        var binds: [PostgresBind] = []
        var timeout = "current_setting('statement_timeout')"
        if let deadline {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                throw StoreError(.deadlineExceeded, "the deadline passed before the database answered")
            }
            binds.append(.text("\(max(1, left.wholeMilliseconds))ms"))
            timeout = "set_config('statement_timeout', $1, true)"
        }
        let result = try connection.query(
            """
            SELECT pg_snapshot_xmin(pg_current_snapshot())::text::int8,
                (extract(epoch FROM transaction_timestamp()) * 1000)::int8,
                set_config('jit', 'off', true),
                \(timeout)
            """, binds)
        guard let row = result.first else {
            throw StoreError(.protocolViolation, "the snapshot query returned no row")
        }
        return DataStamp(
            version: UInt64(max(0, try row.decode(Int64.self, at: 0))), asOfUnixMs: try row.decode(Int64.self, at: 1))
    }
}
