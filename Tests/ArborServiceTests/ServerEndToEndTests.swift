import ArborHTTP2
import ArborModel
import ArborService
import ArborStore
import ArborTestSupport
import ArborWire
import Testing

/// The whole server over real sockets on the built-in model: the Hierarchy service behind HTTP/2, health before and
/// after the first snapshot, and the contract's status for bad requests.
@Suite struct ServerEndToEndTests {
    static let hierarchy = "/arbor.v2.Hierarchy/"

    func withServer(
        maxResponseBytes: Int = 4 * 1024 * 1024, _ body: (GRPCClientConnection, ArborServer) async throws -> Void
    ) async throws {
        try await TestDatabase.with { configuration in
            let model = try await TestDatabase.withClient(on: configuration) { try await DemoTree.install(into: $0) }
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
                try await body(connection, server)
            } catch {
                await connection.close()
                await server.shutdown(gracePeriod: .zero)
                throw error
            }
            await connection.close()
            await server.shutdown(gracePeriod: .zero)
        }
    }

    func health(
        _ connection: GRPCClientConnection, service: String = ""
    ) async throws -> GRPCHealthV1.HealthCheckResponse.ServingStatus {
        try await connection.unary(
            path: HealthService.checkPath, request: GRPCHealthV1.HealthCheckRequest(service: service),
            as: GRPCHealthV1.HealthCheckResponse.self
        ).status
    }

    @Test func servesEveryCallOnceTheSnapshotIsLoaded() async throws {
        try await withServer { connection, server in
            var status = try await health(connection)
            while status != .serving {
                try await Task.sleep(for: .milliseconds(20))
                status = try await health(connection)
            }
            #expect(server.snapshots.current != nil)
            #expect(try await health(connection, service: "arbor.v2.Hierarchy") == .serving)

            let stats: ArborV2.FilteredStatsResponse = try await connection.unary(
                path: Self.hierarchy + "FilteredStats", request: ServiceHarness.totalRequest(),
                as: ArborV2.FilteredStatsResponse.self)
            #expect(stats.totals == [DemoTree.totalRegistrations] && stats.nodesInScope == 9)
            #expect(stats.meta?.source == .cache)

            var chunks: [ArborV2.NodesChunk] = []
            for try await chunk in connection.serverStreaming(
                path: Self.hierarchy + "Descendants", request: ArborV2.TraversalRequest(root: DemoTree.root),
                as: ArborV2.NodesChunk.self)
            {
                chunks.append(chunk)
            }
            #expect(chunks.flatMap(\.depths) == [1, 1, 2, 2, 2, 2, 3, 3] && chunks.last?.total == 8)

            let live: ArborV2.LeaderboardResponse = try await connection.unary(
                path: Self.hierarchy + "Leaderboard",
                request: ArborV2.LeaderboardRequest(limit: 3, freshness: ArborV2.Freshness(requireLive: true)),
                as: ArborV2.LeaderboardResponse.self)
            #expect(live.rows.count == 3 && live.totalRanked == 9 && live.meta?.source == .live)
            #expect(live.rows.first?.label == "Asha")
        }
    }

    @Test func badRequestsGetTheirStatus() async throws {
        try await withServer(maxResponseBytes: 1024) { connection, _ in
            func status<Request: ProtoMessage>(_ method: String, _ request: Request) async -> (RPCStatus, String)? {
                do {
                    _ = try await connection.unary(
                        path: Self.hierarchy + method, request: request, as: ArborV2.LeaderboardResponse.self)
                    return nil
                } catch {
                    return (error.code, error.message)
                }
            }
            #expect(await status("FilteredStats", ArborV2.FilteredStatsRequest(root: "1-2-3"))?.0 == .invalidArgument)
            let unknown = ArborV2.FilteredStatsRequest(root: "00000000-0000-4000-8000-00000000002a")
            #expect(await status("FilteredStats", unknown)?.0 == .notFound)
            let large = await status(
                "Leaderboard", ArborV2.LeaderboardRequest(attributes: DataModel.demo.nodes.attributes.map(\.name)))
            #expect(
                large?.0 == .resourceExhausted && large?.1.contains("fewer rows") == true,
                "\(String(describing: large))")
            #expect(await status("NoSuchMethod", ArborV2.CyclesRequest())?.0 == .unimplemented)
        }
    }
}
