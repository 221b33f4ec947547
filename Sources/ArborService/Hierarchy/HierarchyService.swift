import ArborHTTP2
import ArborIndex
import ArborModel
import ArborStore
import ArborWire
import Logging
import Synchronization

/// The `arbor.v1.Hierarchy` service: validates each request, picks the source the caller's freshness allows
/// (in-memory snapshot or live SQL), and encodes the answer with a truthful `meta`.
public final class HierarchyService: Sendable {
    /// Limits and defaults of the service.
    public struct Configuration: Sendable {
        /// Snapshot age allowed when a request leaves `max_staleness_ms` at 0.
        public var defaultMaxStaleness: Duration
        /// How old a snapshot may be and still answer, flagged stale, while PostgreSQL is unreachable.
        public var staleIfError: Duration
        /// Largest encoded unary response; a larger one is RESOURCE_EXHAUSTED.
        public var maxResponseBytes: Int
        /// How many live queries run at once and how many may wait.
        public var live: QueryGate.Configuration
        /// How many heavy cached queries (Leaderboard, FilteredStats, Cycles) run at once, and how many wait: with
        /// fewer running than there are cores, cheap calls always find a free thread.
        public var heavy: QueryGate.Configuration

        public init(
            defaultMaxStaleness: Duration = .seconds(5), staleIfError: Duration = .seconds(600),
            maxResponseBytes: Int = 4 * 1024 * 1024, live: QueryGate.Configuration = .init(),
            heavy: QueryGate.Configuration = .heavyDefault
        ) {
            self.defaultMaxStaleness = defaultMaxStaleness
            self.staleIfError = staleIfError
            self.maxResponseBytes = maxResponseBytes
            self.live = live
            self.heavy = heavy
        }
    }

    public static let servicePath = "/arbor.v1.Hierarchy/"

    private let live: LiveQueries
    /// Admission control and sharing for live SQL.
    public let liveGate: QueryGate
    /// Admission control and sharing for heavy queries answered from the snapshot.
    public let heavyGate: QueryGate
    /// The highest `arbor.current_version()` seen: a `min_version` at or below it names data that exists.
    private let knownCurrentVersion = Atomic<UInt64>(0)
    private let snapshots: SnapshotHolder
    private let configuration: Configuration
    private let policy: FreshnessPolicy
    private let logger: Logger
    private let nowUnixMs: @Sendable () -> Int64

    public init(
        live: LiveQueries, snapshots: SnapshotHolder, configuration: Configuration, logger: Logger,
        nowUnixMs: @escaping @Sendable () -> Int64 = WallClock.nowUnixMs
    ) {
        self.live = live
        self.liveGate = QueryGate(configuration: configuration.live)
        self.heavyGate = QueryGate(configuration: configuration.heavy)
        self.snapshots = snapshots
        self.configuration = configuration
        self.policy = FreshnessPolicy(
            defaultMaxStalenessMs: configuration.defaultMaxStaleness.wholeMilliseconds,
            staleIfErrorMs: configuration.staleIfError.wholeMilliseconds)
        self.logger = logger
        self.nowUnixMs = nowUnixMs
    }

    /// Where Leaderboard, FilteredStats and Cycles run (their query, encoding and all): a thread of their own, so a
    /// flood of them never stands between a cheap call and a free thread.
    private static let heavyExecutor = DedicatedExecutor(label: "arbor.heavy-queries")

    /// Registers every method of the service.
    public func register(in router: inout RPCRouter) {
        for method in ["FilteredStats", "Leaderboard", "Cycles"] {
            router.setExecutor(Self.heavyExecutor, for: Self.servicePath + method)
        }
        router.registerServerStreaming(Self.servicePath + "Descendants") {
            (
                request: ArborV1.DescendantsRequest, context: RPCContext,
                writer: RPCStreamWriter<ArborV1.DescendantsChunk>
            )
            in
            // Each chunk is encoded when the stream can take it; a reset or deadline stops the loop at once.
            for chunk in try await self.descendants(request, deadline: context.deadline) {
                try Task.checkCancellation()
                try await writer.send(chunk)
            }
        }
        registerUnary(in: &router, "FilteredStats") {
            (request: ArborV1.FilteredStatsRequest, deadline) async throws(RPCError) in
            try await self.filteredStats(request, deadline: deadline)
        }
        registerUnary(in: &router, "Leaderboard") {
            (request: ArborV1.LeaderboardRequest, deadline) async throws(RPCError) in
            try await self.leaderboard(request, deadline: deadline)
        }
        registerUnary(in: &router, "Cycles") { (request: ArborV1.CyclesRequest, deadline) async throws(RPCError) in
            try await self.cycles(request, deadline: deadline)
        }
        registerUnary(in: &router, "FindUsers") {
            (request: ArborV1.FindUsersRequest, deadline) async throws(RPCError) in
            try await self.findUsers(request, deadline: deadline)
        }
    }

    // MARK: Calls, callable without a transport (tests, benchmarks)

    /// The chunks of a Descendants response, `meta` and `total` on the last.
    public func descendants(
        _ request: ArborV1.DescendantsRequest, deadline: ContinuousClock.Instant?
    ) async throws(RPCError) -> DescendantsChunks {
        let (result, answer) = try await answer(
            "Descendants", request.freshness, deadline: deadline,
            query: { () throws(QueryError) in try request.query() },
            cached: { (index, query) throws(QueryError) in try index.descendants(query) },
            live: { query, deadline in try await self.live.descendants(query, deadline: deadline) })
        return result.chunks(answeredBy: answer)
    }

    public func filteredStats(
        _ request: ArborV1.FilteredStatsRequest, deadline: ContinuousClock.Instant?
    ) async throws(RPCError) -> ArborV1.FilteredStatsResponse {
        let (result, answer) = try await answer(
            "FilteredStats", request.freshness, deadline: deadline, heavy: true,
            query: { () throws(QueryError) in try request.query() },
            cached: { (index, query) throws(QueryError) in try index.filteredStats(query) },
            live: { query, deadline in try await self.live.filteredStats(query, deadline: deadline) })
        return result.response(answeredBy: answer)
    }

    public func leaderboard(
        _ request: ArborV1.LeaderboardRequest, deadline: ContinuousClock.Instant?
    ) async throws(RPCError) -> ArborV1.LeaderboardResponse {
        let (result, answer) = try await answer(
            "Leaderboard", request.freshness, deadline: deadline, heavy: true,
            query: { () throws(QueryError) in try request.query() },
            cached: { (index, query) throws(QueryError) in try index.leaderboard(query) },
            live: { query, deadline in try await self.live.leaderboard(query, deadline: deadline) })
        return result.response(answeredBy: answer)
    }

    public func cycles(
        _ request: ArborV1.CyclesRequest, deadline: ContinuousClock.Instant?
    ) async throws(RPCError) -> ArborV1.CyclesResponse {
        let (result, answer) = try await answer(
            "Cycles", request.freshness, deadline: deadline, heavy: true,
            query: { () throws(QueryError) in request.query() },
            cached: { (index, query) throws(QueryError) in index.cycles(query) },
            live: { query, deadline in try await self.live.cycles(query, deadline: deadline) })
        return result.response(answeredBy: answer)
    }

    public func findUsers(
        _ request: ArborV1.FindUsersRequest, deadline: ContinuousClock.Instant?
    ) async throws(RPCError) -> ArborV1.FindUsersResponse {
        let (result, answer) = try await answer(
            "FindUsers", request.freshness, deadline: deadline,
            query: { () throws(QueryError) in try request.query() },
            cached: { (index, query) throws(QueryError) in try index.findUsers(query) },
            live: { query, deadline in try await self.live.findUsers(query, deadline: deadline) })
        return result.response(answeredBy: answer)
    }

    // MARK: Routing

    /// Validates the request, then answers from the snapshot when the caller's freshness allows it, otherwise
    /// live; when live SQL cannot reach PostgreSQL, a snapshot within the stale-if-error window answers, flagged.
    private func answer<Query: Hashable & Sendable, Value: Sendable>(
        _ call: String, _ freshness: ArborV1.Freshness?, deadline: ContinuousClock.Instant?,
        heavy: Bool = false,
        query makeQuery: () throws(QueryError) -> Query,
        cached: @escaping @Sendable (IndexSnapshot, Query) throws(QueryError) -> Value,
        live: @escaping @Sendable (Query, ContinuousClock.Instant?) async throws -> Versioned<Value>
    ) async throws(RPCError) -> (Value, AnswerSource) {
        do {
            let query = try makeQuery()
            try Self.checkDeadline(deadline, call: call)
            let requirement = FreshnessRequirement(freshness)
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
                return (
                    answer.value,
                    AnswerSource(source: .live, stamp: answer.stamp, stale: false)
                )
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
        let current = try await live.currentVersion(deadline: deadline)
        knownCurrentVersion.max(current, ordering: .relaxed)
        guard wanted <= current else {
            throw RPCError(
                code: .outOfRange,
                message: "freshness.min_version \(wanted) is ahead of the database, whose current version is "
                    + "\(current): use a version from an earlier response or from arbor.current_version()")
        }
    }

    private static func checkDeadline(_ deadline: ContinuousClock.Instant?, call: String) throws(RPCError) {
        if let deadline, deadline <= .now {
            throw RPCError(code: .deadlineExceeded, message: "\(call) did not finish before the deadline")
        }
    }

    /// Registers a unary method whose encoded response is checked against ``Configuration/maxResponseBytes``.
    private func registerUnary<Request: ProtoMessage, Response: ProtoMessage>(
        in router: inout RPCRouter, _ method: String,
        _ handler: @escaping @Sendable (Request, ContinuousClock.Instant?) async throws(RPCError) -> Response
    ) {
        let limit = configuration.maxResponseBytes
        // Raw registration, so the response is encoded once: its size is checked on the bytes that will be sent.
        router.registerUnary(Self.servicePath + method) { (body: [UInt8], context: RPCContext) async throws in
            let request = try RPCRouter.decode(Request.self, from: body)
            let response = try await handler(request, context.deadline).serializedBytes()
            guard response.count <= limit else {
                throw RPCError(
                    code: .resourceExhausted,
                    message:
                        "\(method) response would be \(response.count) bytes, over the \(limit)-byte limit: narrow the "
                        + "request (a shorter date window, more filters, fewer group_by dimensions, or a smaller limit)"
                )
            }
            return response
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
