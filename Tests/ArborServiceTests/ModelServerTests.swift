import ArborHTTP2
import ArborModel
import ArborService
import ArborStore
import ArborTestSupport
import ArborWire
import Testing

/// The `arbor.v2` service over real sockets on a random model: every call answered from the cache and live with
/// the same body, truthful `meta`, page tokens that continue and refuse a changed request, and the contract's status
/// codes for bad requests.
@Suite struct ModelServerTests {
    static let service = "/arbor.v2.Hierarchy/"
    static let live = ArborV2.Freshness(requireLive: true)

    func withServer(
        seed: UInt64, nodes: Int = 40, events: Int = 160, maxResponseBytes: Int = 4 * 1024 * 1024,
        _ body: (GRPCClientConnection, ResolvedModel, RandomModelData) async throws -> Void
    ) async throws {
        let data = RandomModelData(seed: seed, nodes: nodes, events: events)
        try await TestDatabase.with { configuration in
            let model = try await TestDatabase.withClient(on: configuration) { client in
                let model = try await data.install(into: client)
                try await client.withConnection { _ = try ModelInstaller.install(model, on: $0) }
                return model
            }
            let server = ArborServer(
                configuration: .init(
                    transport: GRPCServerConfiguration(host: "127.0.0.1", port: 0), database: configuration,
                    maxDatabaseConnections: 2,
                    service: .init(defaultMaxStaleness: .seconds(3600), maxResponseBytes: maxResponseBytes),
                    model: model),
                logger: TestDatabase.logger)
            let address = try await server.start()
            let connection = try await GRPCClientConnection.connect(host: address.host, port: address.port)
            do {
                while server.snapshots.current == nil { try await Task.sleep(for: .milliseconds(20)) }
                try await body(connection, model, data)
            } catch {
                await connection.close()
                await server.shutdown(gracePeriod: .zero)
                throw error
            }
            await connection.close()
            await server.shutdown(gracePeriod: .zero)
        }
    }

    func call<Request: ProtoMessage, Response: ProtoMessage>(
        _ connection: GRPCClientConnection, _ method: String, _ request: Request, as: Response.Type
    ) async throws -> Response {
        try await connection.unary(path: Self.service + method, request: request, as: Response.self)
    }

    /// The status a call fails with.
    func failure<Request: ProtoMessage, Response: ProtoMessage>(
        _ connection: GRPCClientConnection, _ method: String, _ request: Request, as: Response.Type
    ) async -> RPCError? {
        do {
            _ = try await call(connection, method, request, as: Response.self)
            return nil
        } catch {
            return error as? RPCError
        }
    }

    @Test(arguments: [3, 8, 21] as [UInt64]) func everyCallAnswersAlikeFromCacheAndLive(seed: UInt64) async throws {
        try await withServer(seed: seed) { connection, model, data in
            let root = data.graph.ids[0].canonical
            var describe = try await call(
                connection, "Describe", ArborV2.DescribeRequest(), as: ArborV2.DescribeResponse.self)
            var describeLive = try await call(
                connection, "Describe", ArborV2.DescribeRequest(freshness: Self.live), as: ArborV2.DescribeResponse.self
            )
            #expect(describe.meta?.source == .cache && describeLive.meta?.source == .live)
            #expect(describe.idType == model.idType.name && describe.nodes == UInt64(data.graph.ids.count))
            describe.meta = nil
            describeLive.meta = nil
            #expect(describe == describeLive)
            let health = try await connection.unary(
                path: HealthService.checkPath, request: GRPCHealthV1.HealthCheckRequest(service: "arbor.v2.Hierarchy"),
                as: GRPCHealthV1.HealthCheckResponse.self)
            #expect(health.status == .serving)

            for method in ["Descendants", "Ancestors"] {
                var request = ArborV2.TraversalRequest(
                    root: root, includeRoot: true, attributes: model.attributes.map(\.name), includeParents: true)
                var cached: [ArborV2.NodesChunk] = []
                for try await chunk in connection.serverStreaming(
                    path: Self.service + method, request: request, as: ArborV2.NodesChunk.self)
                {
                    cached.append(chunk)
                }
                request.freshness = Self.live
                var live: [ArborV2.NodesChunk] = []
                for try await chunk in connection.serverStreaming(
                    path: Self.service + method, request: request, as: ArborV2.NodesChunk.self)
                {
                    live.append(chunk)
                }
                #expect(cached.last?.meta?.source == .cache && live.last?.meta?.source == .live)
                cached[cached.count - 1].meta = nil
                live[live.count - 1].meta = nil
                #expect(cached == live, "\(method)")
                #expect(cached.last!.total >= 1)
            }

            if !model.sources.isEmpty {
                var request = ArborV2.FilteredStatsRequest(root: root, groupBy: ["day"], limit: 2)
                var pages: [ArborV2.StatsRow] = []
                var livePages: [ArborV2.StatsRow] = []
                for freshness in [nil, Self.live] {
                    request.freshness = freshness
                    request.pageToken = ""
                    for _ in 0..<100 {
                        let page = try await call(
                            connection, "FilteredStats", request, as: ArborV2.FilteredStatsResponse.self)
                        #expect(page.meta?.source == (freshness == nil ? .cache : .live))
                        if freshness == nil { pages += page.rows } else { livePages += page.rows }
                        guard !page.nextPageToken.isEmpty else { break }
                        request.pageToken = page.nextPageToken
                    }
                }
                #expect(pages == livePages)
                var whole = request
                whole.limit = 0
                whole.pageToken = ""
                whole.freshness = nil
                let all = try await call(connection, "FilteredStats", whole, as: ArborV2.FilteredStatsResponse.self)
                #expect(all.rows == pages && all.nextPageToken.isEmpty)

                // A token continues only the request it was issued for.
                var first = whole
                first.limit = 1
                let page = try await call(connection, "FilteredStats", first, as: ArborV2.FilteredStatsResponse.self)
                if !page.nextPageToken.isEmpty {
                    var changed = first
                    changed.pageToken = page.nextPageToken
                    changed.groupBy = ["week"]
                    let error = await failure(
                        connection, "FilteredStats", changed, as: ArborV2.FilteredStatsResponse.self)
                    #expect(error?.code == .invalidArgument && error?.message.contains("page_token") == true)
                }
                var forged = first
                forged.pageToken = "not-a-token"
                let forgedError = await failure(
                    connection, "FilteredStats", forged, as: ArborV2.FilteredStatsResponse.self)
                #expect(forgedError?.code == .invalidArgument)
            }

            var leaderboard = ArborV2.LeaderboardRequest(orderBy: .downlineSize, limit: 5)
            var ranked = try await call(connection, "Leaderboard", leaderboard, as: ArborV2.LeaderboardResponse.self)
            leaderboard.freshness = Self.live
            var rankedLive = try await call(
                connection, "Leaderboard", leaderboard, as: ArborV2.LeaderboardResponse.self)
            ranked.meta = nil
            rankedLive.meta = nil
            #expect(ranked == rankedLive && ranked.totalRanked == UInt32(data.graph.ids.count))

            var cycles = try await call(connection, "Cycles", ArborV2.CyclesRequest(), as: ArborV2.CyclesResponse.self)
            var cyclesLive = try await call(
                connection, "Cycles", ArborV2.CyclesRequest(freshness: Self.live), as: ArborV2.CyclesResponse.self)
            cycles.meta = nil
            cyclesLive.meta = nil
            #expect(cycles == cyclesLive && cycles.total == describe.cycleGroups)

            let ids = Array(data.graph.ids.prefix(5).map(\.canonical))
            var find = ArborV2.FindNodesRequest(ids: ids, limit: 2)
            var found: [ArborV2.Node] = []
            for _ in 0..<10 {
                let page = try await call(connection, "FindNodes", find, as: ArborV2.FindNodesResponse.self)
                found += page.nodes
                guard !page.nextPageToken.isEmpty else { break }
                find.pageToken = page.nextPageToken
            }
            #expect(Set(found.map(\.id)) == Set(ids))
        }
    }

    @Test func badRequestsGetTheContractsStatus() async throws {
        try await withServer(seed: 5) { connection, model, data in
            let missing: String =
                switch model.idType {
                case .uuid: "00000000-0000-4000-8000-00000000abcd"
                case .integer: "1"
                case .text: "no such node"
                }
            let malformed = model.idType == .text ? "" : "not-an-id"
            var error = await failure(
                connection, "FilteredStats", ArborV2.FilteredStatsRequest(root: malformed),
                as: ArborV2.FilteredStatsResponse.self)
            #expect(error?.code == .invalidArgument && error?.message.contains("root") == true)
            if !data.graph.ids.contains(where: { $0.canonical == missing }) {
                error = await failure(
                    connection, "Leaderboard", ArborV2.LeaderboardRequest(orderBy: .downlineSize, within: missing),
                    as: ArborV2.LeaderboardResponse.self)
                #expect(error?.code == .notFound && error?.message.contains("within") == true)
            }
            error = await failure(
                connection, "Leaderboard", ArborV2.LeaderboardRequest(orderBy: .downlineSize, limit: 1001),
                as: ArborV2.LeaderboardResponse.self)
            #expect(error?.code == .invalidArgument && error?.message.contains("limit") == true)
            error = await failure(
                connection, "FindNodes", ArborV2.FindNodesRequest(), as: ArborV2.FindNodesResponse.self)
            #expect(error?.code == .invalidArgument)
            error = await failure(
                connection, "Leaderboard",
                ArborV2.LeaderboardRequest(filter: [ArborV2.Match(name: "no_such", values: ["x"])]),
                as: ArborV2.LeaderboardResponse.self)
            #expect(error?.code == .invalidArgument && error?.message.contains("no_such") == true)
        }
    }

    /// Answers over the response size limit are RESOURCE_EXHAUSTED naming the limit, from the cache and live, while
    /// the same data paged small enough is answered.
    @Test func answersOverTheResponseLimitAreRefused() async throws {
        let limit = 1024
        try await withServer(seed: 8, nodes: 300, events: 3000, maxResponseBytes: limit) { connection, model, data in
            // The node with the largest downline.
            let top = try await call(
                connection, "Leaderboard", ArborV2.LeaderboardRequest(orderBy: .downlineSize, limit: 1),
                as: ArborV2.LeaderboardResponse.self)
            let root = try #require(top.rows.first).id
            try #require(!model.sources.isEmpty, "the seed's model has an event source")
            do {
                // Every row, one page at a time, then all at once.
                var request = ArborV2.FilteredStatsRequest(root: root, groupBy: ["node", "day"], limit: 1)
                var rows: [ArborV2.StatsRow] = []
                for _ in 0..<10_000 {
                    let page = try await call(
                        connection, "FilteredStats", request, as: ArborV2.FilteredStatsResponse.self)
                    rows += page.rows
                    guard !page.nextPageToken.isEmpty else { break }
                    request.pageToken = page.nextPageToken
                }
                let size = ArborV2.FilteredStatsResponse(rows: rows).serializedBytes().count
                try #require(size > limit + 200, "the data is too small to pass the limit (\(size) bytes)")
                for freshness in [nil, Self.live] {
                    let whole = ArborV2.FilteredStatsRequest(
                        root: root, groupBy: ["node", "day"], freshness: freshness)
                    let error = await failure(
                        connection, "FilteredStats", whole, as: ArborV2.FilteredStatsResponse.self)
                    #expect(error?.code == .resourceExhausted, "\(String(describing: freshness))")
                    #expect(error?.message.contains("\(limit)-byte limit") == true, "\(String(describing: error))")
                    #expect(error?.message.contains("page_token") == true)
                }
            }
            let ids = data.graph.ids.prefix(1000).map(\.canonical)
            var found: [ArborV2.Node] = []
            var pages = ArborV2.FindNodesRequest(ids: ids, limit: 2)
            for _ in 0..<1000 {
                let page = try await call(connection, "FindNodes", pages, as: ArborV2.FindNodesResponse.self)
                found += page.nodes
                guard !page.nextPageToken.isEmpty else { break }
                pages.pageToken = page.nextPageToken
            }
            try #require(ArborV2.FindNodesResponse(nodes: found).serializedBytes().count > limit + 200)
            for freshness in [nil, Self.live] {
                let error = await failure(
                    connection, "FindNodes", ArborV2.FindNodesRequest(ids: ids, limit: 1000, freshness: freshness),
                    as: ArborV2.FindNodesResponse.self)
                #expect(error?.code == .resourceExhausted && error?.message.contains("\(limit)-byte limit") == true)
            }
        }
    }
}
