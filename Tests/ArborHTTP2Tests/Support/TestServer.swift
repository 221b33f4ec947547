import ArborHTTP2
import ArborWire
import Logging
import Synchronization

/// What the test service's handlers observed, for assertions about cancellation and backpressure.
final class HandlerProbe: Sendable {
    private let state = Mutex<(cancellations: Int, sent: Int, streamsFinished: Int, sleepers: Int)>((0, 0, 0, 0))

    var cancellations: Int { state.withLock { $0.cancellations } }
    var messagesSent: Int { state.withLock { $0.sent } }
    var streamsFinished: Int { state.withLock { $0.streamsFinished } }
    /// Echo calls that have started sleeping.
    var sleepers: Int { state.withLock { $0.sleepers } }

    func recordCancellation() { state.withLock { $0.cancellations += 1 } }
    func recordSent() { state.withLock { $0.sent += 1 } }
    func recordStreamFinished() { state.withLock { $0.streamsFinished += 1 } }
    func recordSleeping() { state.withLock { $0.sleepers += 1 } }
}

/// A ``GRPCServer`` on 127.0.0.1 with a free port, serving Health and the test service.
struct TestServer {
    let server: GRPCServer
    let address: GRPCServer.Address
    let health: HealthService
    let probe: HandlerProbe

    static func start(
        configuration: GRPCServerConfiguration = GRPCServerConfiguration(),
        ready: Bool = true
    ) async throws -> TestServer {
        let probe = HandlerProbe()
        let health = HealthService()
        health.setServing(ready)
        var router = RPCRouter()
        health.register(in: &router)
        registerTestService(in: &router, probe: probe)
        var logger = Logger(label: "arbor.test.server")
        logger.logLevel = .warning
        let server = GRPCServer(configuration: configuration, router: router, logger: logger)
        let address = try await server.start()
        return TestServer(server: server, address: address, health: health, probe: probe)
    }

    static func registerTestService(in router: inout RPCRouter, probe: HandlerProbe) {
        router.registerUnary(TestV1.echoPath) { (request: TestV1.EchoRequest, _: RPCContext) in
            if request.sleepMilliseconds > 0 {
                probe.recordSleeping()
                do {
                    try await Task.sleep(for: .milliseconds(Int(request.sleepMilliseconds)))
                } catch {
                    probe.recordCancellation()
                    throw error
                }
            }
            if request.failCode != 0 {
                throw RPCError(code: RPCStatus(rawValue: Int(request.failCode)), message: request.failMessage)
            }
            let padding = max(0, Int(request.responseSize) - request.text.utf8.count)
            return TestV1.EchoResponse(text: request.text + String(repeating: "x", count: padding))
        }
        router.registerServerStreaming(TestV1.countPath) {
            (request: TestV1.CountRequest, _: RPCContext, writer: RPCStreamWriter<TestV1.CountResponse>) in
            defer { probe.recordStreamFinished() }
            let payload = [UInt8](repeating: 0x61, count: Int(request.payloadSize))
            for index in 0..<request.count {
                do {
                    try await writer.send(TestV1.CountResponse(index: index, payload: payload))
                } catch {
                    probe.recordCancellation()
                    throw error
                }
                probe.recordSent()
            }
            if request.failCode != 0 {
                throw RPCError(code: RPCStatus(rawValue: Int(request.failCode)), message: request.failMessage)
            }
        }
    }

    func stop() async {
        await server.shutdown(gracePeriod: .seconds(2))
    }

    /// Asserts the server still answers Health/Check (used after every bad-input case).
    func healthStatus() async throws -> GRPCHealthV1.HealthCheckResponse.ServingStatus {
        let client = try await GRPCClientConnection.connect(host: address.host, port: address.port)
        do {
            let response: GRPCHealthV1.HealthCheckResponse = try await client.unary(
                path: HealthService.checkPath,
                request: GRPCHealthV1.HealthCheckRequest(),
                timeout: .seconds(5)
            )
            await client.close()
            return response.status
        } catch {
            await client.close()
            throw error
        }
    }
}

/// Runs `body` with a started test server and stops it afterwards, also when `body` throws.
func withTestServer<T>(
    configuration: GRPCServerConfiguration = GRPCServerConfiguration(),
    ready: Bool = true,
    _ body: (TestServer) async throws -> T
) async throws -> T {
    let server = try await TestServer.start(configuration: configuration, ready: ready)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
