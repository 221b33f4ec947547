import ArborHTTP2
import ArborWire
import Logging
import Testing

/// Configured limits on both ends, and how handler errors become statuses.
@Suite struct LimitsAndErrorMappingTests {
    struct Leaky: Error, CustomStringConvertible {
        var description: String { "password=hunter2 at /srv/secret/path" }
    }

    @Test func handlerErrorsMapToStatusesWithoutLeakingDetails() async throws {
        var router = RPCRouter()
        router.registerUnary("/t.T/Leaky") { (_: [UInt8], _: RPCContext) async throws -> [UInt8] in throw Leaky() }
        router.registerUnary("/t.T/Cancelled") { (_: [UInt8], _: RPCContext) async throws -> [UInt8] in
            throw CancellationError()
        }
        router.registerUnary("/t.T/Typed") { (_: [UInt8], _: RPCContext) async throws -> [UInt8] in
            throw RPCError(code: .invalidArgument, message: "field 'root' must be 16 bytes")
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = GRPCServer(configuration: GRPCServerConfiguration(), router: router, logger: logger)
        let address = try await server.start()
        let client = try await GRPCClientConnection.connect(host: address.host, port: address.port)

        let cases: [(String, RPCStatus, String)] = [
            ("/t.T/Leaky", .unknown, "the server failed to handle the call"),
            ("/t.T/Cancelled", .cancelled, "call cancelled"),
            ("/t.T/Typed", .invalidArgument, "field 'root' must be 16 bytes"),
        ]
        for (path, status, message) in cases {
            let error = await #expect(throws: RPCError.self) { _ = try await client.unary(path: path, request: []) }
            #expect(error?.code == status, "\(path)")
            #expect(error?.message == message, "\(path)")
        }
        await client.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test func serverReceiveLimitIsConfigurable() async throws {
        try await withTestServer(configuration: GRPCServerConfiguration(maxReceiveMessageSize: 1_000)) { server in
            let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
            let fits: TestV1.EchoResponse = try await client.unary(
                path: TestV1.echoPath,
                request: TestV1.EchoRequest(text: String(repeating: "a", count: 990))
            )
            #expect(fits.text.count == 990)
            let error = await #expect(throws: RPCError.self) {
                let _: TestV1.EchoResponse = try await client.unary(
                    path: TestV1.echoPath,
                    request: TestV1.EchoRequest(text: String(repeating: "a", count: 2_000))
                )
            }
            #expect(error?.code == .resourceExhausted)
            #expect(error?.message.contains("1000") == true)
            await client.close()
        }
    }

    @Test func clientReceiveLimitFailsTheCallAndKeepsTheConnection() async throws {
        try await withTestServer { server in
            let client = try await GRPCClientConnection.connect(
                host: server.address.host,
                port: server.address.port,
                configuration: GRPCClientConnection.Configuration(maxReceiveMessageSize: 10_000)
            )
            var received = 0
            let error = await #expect(throws: RPCError.self) {
                for try await _ in client.serverStreaming(
                    path: TestV1.countPath,
                    request: TestV1.CountRequest(count: 3, payloadSize: 20_000),
                    as: TestV1.CountResponse.self
                ) { received += 1 }
            }
            #expect(received == 0)
            #expect(error?.code == .resourceExhausted)
            let echo: TestV1.EchoResponse = try await client.unary(
                path: TestV1.echoPath,
                request: TestV1.EchoRequest(text: "still here")
            )
            #expect(echo.text == "still here")
            try await eventually { server.probe.streamsFinished == 1 }
            await client.close()
        }
    }
}
