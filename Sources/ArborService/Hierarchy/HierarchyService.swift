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
    private let router: AnswerRouter<IndexSnapshot>
    /// Admission control and sharing for live SQL.
    public var liveGate: QueryGate { router.liveGate }
    /// Admission control and sharing for heavy queries answered from the snapshot.
    public var heavyGate: QueryGate { router.heavyGate }
    private let configuration: Configuration

    public init(
        live: LiveQueries, snapshots: SnapshotHolder<IndexSnapshot>, configuration: Configuration, logger: Logger,
        nowUnixMs: @escaping @Sendable () -> Int64 = WallClock.nowUnixMs
    ) {
        self.live = live
        self.configuration = configuration
        self.router = AnswerRouter(
            snapshots: snapshots, live: configuration.live, heavy: configuration.heavy,
            policy: FreshnessPolicy(
                defaultMaxStalenessMs: configuration.defaultMaxStaleness.wholeMilliseconds,
                staleIfErrorMs: configuration.staleIfError.wholeMilliseconds),
            logger: logger, nowUnixMs: nowUnixMs,
            currentVersion: { deadline in try await live.currentVersion(deadline: deadline) })
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

    private func answer<Query: Hashable & Sendable, Value: Sendable>(
        _ call: String, _ freshness: ArborV1.Freshness?, deadline: ContinuousClock.Instant?,
        heavy: Bool = false,
        query makeQuery: () throws(QueryError) -> Query,
        cached: @escaping @Sendable (IndexSnapshot, Query) throws(QueryError) -> Value,
        live: @escaping @Sendable (Query, ContinuousClock.Instant?) async throws -> Versioned<Value>
    ) async throws(RPCError) -> (Value, AnswerSource) {
        try await router.answer(
            call, FreshnessRequirement(freshness), deadline: deadline, heavy: heavy, query: makeQuery,
            cached: cached, live: live)
    }

    /// Registers a unary method whose encoded response is checked against ``Configuration/maxResponseBytes``.
    private func registerUnary<Request: ProtoMessage, Response: ProtoMessage>(
        in router: inout RPCRouter, _ method: String,
        _ handler: @escaping @Sendable (Request, ContinuousClock.Instant?) async throws(RPCError) -> Response
    ) {
        router.registerLimitedUnary(
            Self.servicePath + method, limit: configuration.maxResponseBytes,
            narrowing: "narrow the request (a shorter date window, more filters, fewer group_by dimensions, or a "
                + "smaller limit)", handler)
    }
}
