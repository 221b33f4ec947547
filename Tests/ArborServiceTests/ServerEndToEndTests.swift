import ArborFixtures
import ArborHTTP2
import ArborModel
import ArborService
import ArborStore
import ArborTestSupport
import ArborWire
import Testing

/// The whole server over real sockets: the Hierarchy service behind HTTP/2, answered through the Swift client.
@Suite struct ServerEndToEndTests {
    static let hierarchy = "/arbor.v1.Hierarchy/"

    func withServer(
        maxResponseBytes: Int = 4 * 1024 * 1024, _ body: (GRPCClientConnection, ArborServer) async throws -> Void
    ) async throws {
        try await TestDatabase.withMigrated { configuration, client in
            try await GraphLoader.load(FreshnessTests.tree, into: client)
            let server = ArborServer(
                configuration: .init(
                    transport: GRPCServerConfiguration(host: "127.0.0.1", port: 0), database: configuration,
                    maxDatabaseConnections: 2,
                    service: .init(defaultMaxStaleness: .seconds(3600), maxResponseBytes: maxResponseBytes)),
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

    func health(_ connection: GRPCClientConnection) async throws -> GRPCHealthV1.HealthCheckResponse.ServingStatus {
        try await connection.unary(
            path: HealthService.checkPath, request: GRPCHealthV1.HealthCheckRequest(),
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

            let stats: ArborV1.FilteredStatsResponse = try await connection.unary(
                path: Self.hierarchy + "FilteredStats", request: FreshnessTests.totalRequest(),
                as: ArborV1.FilteredStatsResponse.self)
            #expect(stats.totalRegistrations == 12 && stats.usersInScope == 9 && stats.meta?.source == .cache)

            var chunks: [ArborV1.DescendantsChunk] = []
            for try await chunk in connection.serverStreaming(
                path: Self.hierarchy + "Descendants",
                request: DescendantsQuery(root: FreshnessTests.root).wire(nil), as: ArborV1.DescendantsChunk.self)
            {
                chunks.append(chunk)
            }
            #expect(try DescendantsResult(chunks).entries.count == 8 && chunks.last?.total == 8)

            let live: ArborV1.LeaderboardResponse = try await connection.unary(
                path: Self.hierarchy + "Leaderboard",
                request: LeaderboardQuery(limit: 3).wire(ArborV1.Freshness(requireLive: true)),
                as: ArborV1.LeaderboardResponse.self)
            #expect(live.rows.count == 3 && live.totalRanked == 9 && live.meta?.source == .live)
        }
    }

    @Test func badRequestsGetTheirStatus() async throws {
        try await withServer(maxResponseBytes: 300) { connection, _ in
            func status<Request: ProtoMessage>(_ method: String, _ request: Request) async -> (RPCStatus, String)? {
                do {
                    _ = try await connection.unary(
                        path: Self.hierarchy + method, request: request, as: ArborV1.LeaderboardResponse.self)
                    return nil
                } catch {
                    return (error.code, error.message)
                }
            }
            var shortRoot = ArborV1.FilteredStatsRequest()
            shortRoot.root = [1, 2, 3]
            #expect(await status("FilteredStats", shortRoot)?.0 == .invalidArgument)
            let unknown = FilteredStatsQuery(root: UserID(high: 42, low: 42)).wire(nil)
            #expect(await status("FilteredStats", unknown)?.0 == .notFound)
            let large = await status("Leaderboard", LeaderboardQuery(limit: 1000).wire(nil))
            #expect(large?.0 == .resourceExhausted && large?.1.contains("narrow") == true)
            #expect(await status("NoSuchMethod", ArborV1.CyclesRequest())?.0 == .unimplemented)
        }
    }
}
