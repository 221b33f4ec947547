import ArborHTTP2
import ArborWire
import Foundation
import Testing

/// grpcio (Python) against our server, and our client against a grpcio server.
@Suite struct GRPCInteropTests {
    @Test func grpcioClientAgainstArborServer() async throws {
        let stubs = try await PythonInterop.onThread { try PythonInterop.generateStubs() }
        defer { try? FileManager.default.removeItem(at: stubs) }
        try await withTestServer { server in
            let python = try PythonInterop.python()
            let script = PythonInterop.interopDirectory.appendingPathComponent("interop_client.py").path
            let target = "\(server.address.host):\(server.address.port)"
            let result = try await PythonInterop.runDetached(
                python, [script, "--target", target, "--stubs", stubs.path])
            try #require(result.status == 0, "interop client failed: \(result.error)")
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
            )
            #expect(json["health"] as? String == "SERVING")
            #expect(json["health_hierarchy"] as? String == "SERVING")
            #expect(json["health_unknown"] as? String == "NOT_FOUND")
            #expect(json["echo"] as? String == "héllo wörld ✓")
            #expect(json["echo_error"] as? [String] == ["NOT_FOUND", "nicht gefunden: Ünïcødé ✗ 100%"])
            #expect(json["deadline"] as? String == "DEADLINE_EXCEEDED")
            let count = try #require(json["count"] as? [[Int]])
            #expect(count == (0..<50).map { [$0, 1000] })
            let countError = try #require(json["count_error"] as? [Any])
            #expect(countError[0] as? Int == 2)
            #expect(countError[1] as? String == "FAILED_PRECONDITION")
            #expect(countError[2] as? String == "précondition")
            #expect(json["unknown_method"] as? String == "UNIMPLEMENTED")
            #expect(json["large_unary"] as? [Int] == [300_000, 600_000, 6_000_000])
            try await eventually { server.probe.cancellations == 1 }
        }
    }

    @Test func arborClientAgainstGrpcioServer() async throws {
        let stubs = try await PythonInterop.onThread { try PythonInterop.generateStubs() }
        defer { try? FileManager.default.removeItem(at: stubs) }
        let server = try await PythonInterop.onThread { try PythonInterop.Server(stubs: stubs) }
        defer { server.stop() }
        let client = try await GRPCClientConnection.connect(host: "127.0.0.1", port: server.port)

        let health: GRPCHealthV1.HealthCheckResponse = try await client.unary(
            path: HealthService.checkPath,
            request: GRPCHealthV1.HealthCheckRequest(),
            timeout: .seconds(5)
        )
        #expect(health.status == .serving)
        let unknown = await #expect(throws: RPCError.self) {
            let _: GRPCHealthV1.HealthCheckResponse = try await client.unary(
                path: HealthService.checkPath,
                request: GRPCHealthV1.HealthCheckRequest(service: "no.such.Service")
            )
        }
        #expect(unknown?.code == .notFound)

        let echo: TestV1.EchoResponse = try await client.unary(
            path: TestV1.echoPath,
            request: TestV1.EchoRequest(text: "héllo wörld ✓"),
            timeout: .seconds(5)
        )
        #expect(echo.text == "héllo wörld ✓")

        let message = "nicht gefunden: Ünïcødé ✗ 100%"
        let failure = await #expect(throws: RPCError.self) {
            let _: TestV1.EchoResponse = try await client.unary(
                path: TestV1.echoPath,
                request: TestV1.EchoRequest(failCode: 5, failMessage: message)
            )
        }
        #expect(failure?.code == .notFound)
        #expect(failure?.message == message)

        let deadline = await #expect(throws: RPCError.self) {
            let _: TestV1.EchoResponse = try await client.unary(
                path: TestV1.echoPath,
                request: TestV1.EchoRequest(sleepMilliseconds: 10_000),
                timeout: .milliseconds(300)
            )
        }
        #expect(deadline?.code == .deadlineExceeded)

        var indices: [UInt32] = []
        for try await message in client.serverStreaming(
            path: TestV1.countPath,
            request: TestV1.CountRequest(count: 50, payloadSize: 1000),
            as: TestV1.CountResponse.self
        ) {
            #expect(message.payload.count == 1000)
            indices.append(message.index)
        }
        #expect(indices == Array(0..<50))

        var received = 0
        let streamError = await #expect(throws: RPCError.self) {
            for try await _ in client.serverStreaming(
                path: TestV1.countPath,
                request: TestV1.CountRequest(count: 2, failCode: 9, failMessage: "précondition"),
                as: TestV1.CountResponse.self
            ) { received += 1 }
        }
        #expect(received == 2)
        #expect(streamError?.code == .failedPrecondition)
        #expect(streamError?.message == "précondition")

        let unimplemented = await #expect(throws: RPCError.self) {
            _ = try await client.unary(path: "/arbor.test.v1.TestService/Nope", request: [], timeout: .seconds(5))
        }
        #expect(unimplemented?.code == .unimplemented)
        await client.close()
    }
}
