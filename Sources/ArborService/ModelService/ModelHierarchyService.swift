import ArborHTTP2
import ArborIndex
import ArborModel
import ArborStore
import ArborWire
import Logging

/// The `arbor.v2.Hierarchy` service on any model: each request becomes a query of ArborModel (which refuses
/// invalid shapes), answered from the published ``ModelIndex`` when the caller's freshness allows and with live
/// SQL generated from the model otherwise, and encoded with a truthful `meta`. Events are read from the rollups
/// `migrate --model` installed, which `serve` checks before it starts.
public final class ModelHierarchyService: Sendable {
    public static let servicePath = "/arbor.v2.Hierarchy/"

    /// The model every request is validated against.
    public let model: ResolvedModel
    private let client: PostgresClient
    private let live: LiveModelQueries
    private let router: AnswerRouter<ModelIndex>
    private let configuration: HierarchyService.Configuration

    /// Admission control and sharing for live SQL.
    public var liveGate: QueryGate { router.liveGate }
    /// Admission control and sharing for heavy queries answered from the snapshot.
    public var heavyGate: QueryGate { router.heavyGate }

    public init(
        model: ResolvedModel, client: PostgresClient, snapshots: SnapshotHolder<ModelIndex>,
        configuration: HierarchyService.Configuration, logger: Logger,
        nowUnixMs: @escaping @Sendable () -> Int64 = WallClock.nowUnixMs
    ) {
        self.model = model
        self.client = client
        self.live = LiveModelQueries(model: model, events: .rollups)
        self.configuration = configuration
        self.router = AnswerRouter(
            snapshots: snapshots, live: configuration.live, heavy: configuration.heavy,
            policy: FreshnessPolicy(
                defaultMaxStalenessMs: configuration.defaultMaxStaleness.wholeMilliseconds,
                staleIfErrorMs: configuration.staleIfError.wholeMilliseconds),
            logger: logger, nowUnixMs: nowUnixMs,
            currentVersion: { deadline in
                try await client.withConnection(deadline: deadline) { try $0.currentVersion() }
            })
    }

    /// What a caller whose answer passes the response size limit can do, by call.
    static let narrowing = [
        "Describe": "the model has too many attributes to describe",
        "FilteredStats": "page it with limit and page_token, or narrow it (a shorter date window, more filters, fewer "
            + "group_by keys)",
        "Leaderboard": "ask for fewer rows, attributes or a breakdown",
        "Cycles": "give a limit",
        "FindNodes": "give a smaller limit or fewer attributes",
    ]

    /// The response size limit of `call`.
    private func responseLimit(_ call: String) -> ResponseLimit {
        ResponseLimit(bytes: configuration.maxResponseBytes, call: call, advice: Self.narrowing[call] ?? "")
    }

    /// Where the heavy calls run (query, encoding and all): a thread of their own, so a flood of them never stands
    /// between a cheap call and a free thread.
    private static let heavyExecutor = DedicatedExecutor(label: "arbor.v2.heavy-queries")

    /// Registers every method of the service.
    public func register(in router: inout RPCRouter) {
        for method in ["FilteredStats", "Leaderboard", "Cycles", "Describe"] {
            router.setExecutor(Self.heavyExecutor, for: Self.servicePath + method)
        }
        for (method, direction) in [
            ("Descendants", NodeTraversalQuery.Direction.descendants), ("Ancestors", .ancestors),
        ] {
            // Raw registration: each chunk's bytes are written once, straight from the index (``NodeChunks``).
            router.registerServerStreaming(Self.servicePath + method) {
                (body: [UInt8], context: RPCContext, writer: RPCStreamWriter<[UInt8]>) in
                let request = try RPCRouter.decode(ArborV2.TraversalRequest.self, from: body)
                let chunks = try await self.traverse(request, direction: direction, deadline: context.deadline)
                // Each chunk is encoded when the stream can take it; a reset or deadline stops the loop at once.
                for position in chunks.indices {
                    try Task.checkCancellation()
                    try await writer.send(chunks.encoded(position))
                }
            }
        }
        let limit = configuration.maxResponseBytes
        router.registerLimitedUnary(
            Self.servicePath + "Describe", limit: limit, narrowing: Self.narrowing["Describe"]!
        ) { (request: ArborV2.DescribeRequest, deadline) async throws(RPCError) in
            try await self.describe(request, deadline: deadline)
        }
        router.registerLimitedUnary(
            Self.servicePath + "FilteredStats", limit: limit, narrowing: Self.narrowing["FilteredStats"]!
        ) { (request: ArborV2.FilteredStatsRequest, deadline) async throws(RPCError) in
            try await self.filteredStats(request, deadline: deadline)
        }
        router.registerLimitedUnary(
            Self.servicePath + "Leaderboard", limit: limit, narrowing: Self.narrowing["Leaderboard"]!
        ) { (request: ArborV2.LeaderboardRequest, deadline) async throws(RPCError) in
            try await self.leaderboard(request, deadline: deadline)
        }
        router.registerLimitedUnary(
            Self.servicePath + "Cycles", limit: limit, narrowing: Self.narrowing["Cycles"]!
        ) { (request: ArborV2.CyclesRequest, deadline) async throws(RPCError) in
            try await self.cycles(request, deadline: deadline)
        }
        router.registerLimitedUnary(
            Self.servicePath + "FindNodes", limit: limit, narrowing: Self.narrowing["FindNodes"]!
        ) { (request: ArborV2.FindNodesRequest, deadline) async throws(RPCError) in
            try await self.findNodes(request, deadline: deadline)
        }
    }

    // MARK: Calls, callable without a transport (tests, benchmarks)

    /// Descendants or Ancestors: the chunks of the response, `total` and `meta` on the last.
    public func traverse(
        _ request: ArborV2.TraversalRequest, direction: NodeTraversalQuery.Direction,
        deadline: ContinuousClock.Instant?
    ) async throws(RPCError) -> NodeChunks {
        let model = self.model
        let live = self.live
        let client = self.client
        let (nodes, answer) = try await router.answer(
            direction == .descendants ? "Descendants" : "Ancestors", FreshnessRequirement(request.freshness),
            deadline: deadline,
            query: { () throws(QueryError) in try request.query(model, direction: direction) },
            cached: { (index, query) throws(QueryError) in NodeChunks.Nodes.indexed(try index.traversal(query)) },
            live: { query, deadline in
                try await live.run(client, deadline: deadline) { .spelled(try $0.traverse(query, on: $1)) }
            })
        return try NodeChunks(
            nodes: nodes, includeParents: request.includeParents, answer: answer,
            maxChunkBytes: configuration.maxResponseBytes)
    }

    public func filteredStats(
        _ request: ArborV2.FilteredStatsRequest, deadline: ContinuousClock.Instant?
    ) async throws(RPCError) -> ArborV2.FilteredStatsResponse {
        let model = self.model
        let live = self.live
        let client = self.client
        var built: EventStatsQuery?
        let limit = responseLimit("FilteredStats")
        let (result, answer) = try await router.answer(
            "FilteredStats", FreshnessRequirement(request.freshness), deadline: deadline, heavy: true,
            query: { () throws(QueryError) in
                let query = try request.query(model)
                built = query
                return query
            },
            cached: { (index, query) throws(QueryError) in try index.stats(query, limit: limit) },
            live: { query, deadline in try await live.run(client, deadline: deadline) { try $0.stats(query, on: $1) } })
        return try result.response(
            query: built!, fingerprint: request.pageFingerprint, answeredBy: answer, limit: limit)
    }

    public func leaderboard(
        _ request: ArborV2.LeaderboardRequest, deadline: ContinuousClock.Instant?
    ) async throws(RPCError) -> ArborV2.LeaderboardResponse {
        let model = self.model
        let live = self.live
        let client = self.client
        var built: RankingQuery?
        let (result, answer) = try await router.answer(
            "Leaderboard", FreshnessRequirement(request.freshness), deadline: deadline, heavy: true,
            query: { () throws(QueryError) in
                let query = try request.query(model)
                built = query
                return query
            },
            cached: { (index, query) throws(QueryError) in try index.rank(query) },
            live: { query, deadline in try await live.run(client, deadline: deadline) { try $0.rank(query, on: $1) } })
        return try result.response(query: built!, model: model, answeredBy: answer, limit: responseLimit("Leaderboard"))
    }

    public func findNodes(
        _ request: ArborV2.FindNodesRequest, deadline: ContinuousClock.Instant?
    ) async throws(RPCError) -> ArborV2.FindNodesResponse {
        let model = self.model
        let live = self.live
        let client = self.client
        var built: FindNodesQuery?
        let (result, answer) = try await router.answer(
            "FindNodes", FreshnessRequirement(request.freshness), deadline: deadline,
            query: { () throws(QueryError) in
                let query = try request.query(model)
                built = query
                return query
            },
            cached: { (index, query) throws(QueryError) in try index.find(query) },
            live: { query, deadline in try await live.run(client, deadline: deadline) { try $0.find(query, on: $1) } })
        return try result.response(
            query: built!, model: model, fingerprint: request.pageFingerprint, answeredBy: answer,
            limit: responseLimit("FindNodes"))
    }

    public func cycles(
        _ request: ArborV2.CyclesRequest, deadline: ContinuousClock.Instant?
    ) async throws(RPCError) -> ArborV2.CyclesResponse {
        let live = self.live
        let client = self.client
        let responseLimit = responseLimit("Cycles")
        let (result, answer) = try await router.answer(
            "Cycles", FreshnessRequirement(request.freshness), deadline: deadline, heavy: true,
            query: { () throws(QueryError) in request.limit },
            cached: { (index, limit) throws(QueryError) in try index.cycles(limit: limit, responseLimit: responseLimit)
            },
            live: { limit, deadline in
                try await live.run(client, deadline: deadline) { try $0.cycles(limit: limit, on: $1) }
            })
        return try result.response(answeredBy: answer, limit: responseLimit)
    }

    public func describe(
        _ request: ArborV2.DescribeRequest, deadline: ContinuousClock.Instant?
    ) async throws(RPCError) -> ArborV2.DescribeResponse {
        let live = self.live
        let client = self.client
        let (facts, answer) = try await router.answer(
            "Describe", FreshnessRequirement(request.freshness), deadline: deadline, heavy: true,
            query: { () throws(QueryError) in 0 },
            cached: { (index, _) throws(QueryError) in index.facts() },
            live: { _, deadline in try await live.run(client, deadline: deadline) { try $0.facts(on: $1) } })
        return facts.response(model: model, answeredBy: answer)
    }
}
