import ArborClient
import ArborHTTP2
import Logging
import Testing

/// The client's connection pool against a real loopback server that only serves health.
@Suite("ArborClient connection pool")
struct ConnectionPoolTests {
    static func startServer(port: Int = 0) async throws -> (GRPCServer, ServerAddress) {
        let health = HealthService()
        health.setServing(true)
        var router = RPCRouter()
        health.register(in: &router)
        let server = GRPCServer(
            configuration: GRPCServerConfiguration(host: "127.0.0.1", port: port), router: router,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let address = try await server.start()
        return (server, ServerAddress(host: address.host, port: address.port))
    }

    @Test("many concurrent calls over a few connections all succeed")
    func concurrentCalls() async throws {
        let (server, address) = try await Self.startServer()
        let client = ArborClient(server: address, configuration: .init(connections: 3))
        let statuses = try await withThrowingTaskGroup(of: GRPCHealthV1.HealthCheckResponse.ServingStatus.self) {
            group in
            for _ in 0..<300 { group.addTask { try await client.health() } }
            var statuses: [GRPCHealthV1.HealthCheckResponse.ServingStatus] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }
        #expect(statuses.count == 300 && statuses.allSatisfy { $0 == .serving })
        await client.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test("after the server restarts, the pool reconnects on the next calls")
    func reconnect() async throws {
        var (server, address) = try await Self.startServer()
        let client = ArborClient(server: address, configuration: .init(connections: 2))
        #expect(try await client.health() == .serving)
        #expect(try await client.health() == .serving)  // both slots connected
        await server.shutdown(gracePeriod: .zero)

        // The old connections are gone: calls fail with UNAVAILABLE and empty their slots.
        for _ in 0..<2 {
            do throws(RPCError) {
                _ = try await client.health()
                Issue.record("a call succeeded with the server down")
            } catch {
                #expect(error.code == .unavailable)
            }
        }
        (server, _) = try await Self.startServer(port: address.port)
        for _ in 0..<4 { #expect(try await client.health() == .serving) }
        await client.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }
}
