import ArborHTTP2
import ArborModel
import ArborStore
import ArborWire
import Logging
import Synchronization

/// Chooses, for each call, the source that answers it: the published snapshot when the caller's freshness allows,
/// otherwise live SQL behind the live gate; when live SQL cannot reach PostgreSQL, a snapshot within the
/// stale-if-error window answers, flagged stale. Every service version routes through one of these.
final class AnswerRouter<Index: Sendable>: Sendable {
    /// Admission control and sharing for live SQL.
    let liveGate: QueryGate
    /// Admission control and sharing for heavy queries answered from the snapshot.
    let heavyGate: QueryGate
    let snapshots: SnapshotHolder<Index>
    private let policy: FreshnessPolicy
    private let logger: Logger
    private let nowUnixMs: @Sendable () -> Int64
    private let currentVersion: @Sendable (ContinuousClock.Instant?) async throws -> UInt64
    /// The highest `arbor.current_version()` seen: a `min_version` at or below it names data that exists.
    private let knownCurrentVersion = Atomic<UInt64>(0)

    init(
        snapshots: SnapshotHolder<Index>, live: QueryGate.Configuration, heavy: QueryGate.Configuration,
        policy: FreshnessPolicy, logger: Logger, nowUnixMs: @escaping @Sendable () -> Int64,
        currentVersion: @escaping @Sendable (ContinuousClock.Instant?) async throws -> UInt64
    ) {
        self.liveGate = QueryGate(configuration: live)
        self.heavyGate = QueryGate(configuration: heavy)
        self.snapshots = snapshots
        self.policy = policy
        self.logger = logger
        self.nowUnixMs = nowUnixMs
        self.currentVersion = currentVersion
    }

    /// Validates the request (`makeQuery`), then answers from the snapshot or live.
    ///
    /// - Parameter heavy: cached answers run behind the heavy gate, where identical requests against one snapshot
    ///   share one computation.
    func answer<Query: Hashable & Sendable, Value: Sendable>(
        _ call: String, _ requirement: FreshnessRequirement, deadline: ContinuousClock.Instant?,
        heavy: Bool = false,
        query makeQuery: () throws(QueryError) -> Query,
        cached: @escaping @Sendable (Index, Query) throws(QueryError) -> Value,
        live: @escaping @Sendable (Query, ContinuousClock.Instant?) async throws -> Versioned<Value>
    ) async throws(RPCError) -> (Value, AnswerSource) {
        do {
            let query = try makeQuery()
            try Self.checkDeadline(deadline, call: call)
            let current = snapshots.current
            if let current, policy.route(requirement, snapshot: current.stamp, nowUnixMs: nowUnixMs()) == .snapshot {
                try QueryError.checkCancellation()
                let source = AnswerSource(source: .cache, stamp: current.stamp, stale: false)
                guard heavy else { return (try cached(current.index, query), source) }
                // Shared only by requests that saw the same snapshot, so every answer's meta stays true.
                let key = CachedCallKey(call: call, query: query, stamp: current.stamp)
                let index = current.index
                let value = try await heavyGate.run(call: call, key: key, deadline: deadline) { _ in
                    try cached(index, query)
                }
                return (value, source)
            }
            do {
                try await checkMinVersion(requirement, snapshot: current?.stamp, deadline: deadline)
                let answer = try await liveGate.run(
                    call: call, key: LiveCallKey(call: call, query: query), deadline: deadline
                ) { deadline in try await live(query, deadline) }
                // An answer after the deadline is one the caller has stopped waiting for: say so, consistently.
                try Self.checkDeadline(deadline, call: call)
                return (answer.value, AnswerSource(source: .live, stamp: answer.stamp, stale: false))
            } catch  where ServiceError.isUnreachable(error) {
                guard let current = snapshots.current,
                    policy.mayServeStale(requirement, snapshot: current.stamp, nowUnixMs: nowUnixMs())
                else { throw error }
                ServiceError.eventLog.log(
                    logger, level: .warning, kind: "stale-answer",
                    "PostgreSQL unreachable, answering from a stale snapshot", metadata: ["call": "\(call)"])
                return (
                    try cached(current.index, query), AnswerSource(source: .cache, stamp: current.stamp, stale: true)
                )
            }
        } catch {
            throw ServiceError.rpcError(error, call: call, logger: logger)
        }
    }

    /// A `min_version` beyond what the database has committed names data that does not exist yet: OUT_OF_RANGE at
    /// once, rather than an answer at an older version or a wait that can only end at the deadline.
    private func checkMinVersion(
        _ requirement: FreshnessRequirement, snapshot: DataStamp?, deadline: ContinuousClock.Instant?
    ) async throws {
        let wanted = requirement.minVersion
        guard wanted > 0, wanted > (snapshot?.version ?? 0), wanted > knownCurrentVersion.load(ordering: .relaxed)
        else { return }
        let current = try await currentVersion(deadline)
        knownCurrentVersion.max(current, ordering: .relaxed)
        guard wanted <= current else {
            throw RPCError(
                code: .outOfRange,
                message: "freshness.min_version \(wanted) is ahead of the database, whose current version is "
                    + "\(current): use a version from an earlier response or from arbor.current_version()")
        }
    }

    static func checkDeadline(_ deadline: ContinuousClock.Instant?, call: String) throws(RPCError) {
        if let deadline, deadline <= .now {
            throw RPCError(code: .deadlineExceeded, message: "\(call) did not finish before the deadline")
        }
    }

    /// Identical cached requests against one snapshot.
    private struct CachedCallKey<Query: Hashable & Sendable>: Hashable, Sendable {
        var call: String
        var query: Query
        var stamp: DataStamp
    }

    /// Identical live requests: the same call with the same validated query.
    private struct LiveCallKey<Query: Hashable & Sendable>: Hashable, Sendable {
        var call: String
        var query: Query
    }
}

extension RPCRouter {
    /// Registers a unary method whose encoded response is checked against `limit`: a larger one is
    /// RESOURCE_EXHAUSTED with a message saying how to narrow the request.
    mutating func registerLimitedUnary<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String, limit: Int, narrowing advice: String,
        _ handler: @escaping @Sendable (Request, ContinuousClock.Instant?) async throws(RPCError) -> Response
    ) {
        let method = path.split(separator: "/").last.map(String.init) ?? path
        // Raw registration, so the response is encoded once: its size is checked on the bytes that will be sent.
        registerUnary(path) { (body: [UInt8], context: RPCContext) async throws in
            let request = try RPCRouter.decode(Request.self, from: body)
            let response = try await handler(request, context.deadline).serializedBytes()
            guard response.count <= limit else {
                throw RPCError(
                    code: .resourceExhausted,
                    message: "\(method) response would be \(response.count) bytes, over the \(limit)-byte limit: "
                        + advice)
            }
            return response
        }
    }
}
