import ArborHTTP2
import ArborWire
import Testing

/// The Swift client against the Swift server over real sockets on 127.0.0.1.
@Suite struct SwiftClientServerTests {
    @Test func healthReportsReadinessAndUnknownServices() async throws {
        try await withTestServer(ready: false) { server in
            let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
            let check = { (service: String) async throws(RPCError) -> GRPCHealthV1.HealthCheckResponse in
                try await client.unary(
                    path: HealthService.checkPath,
                    request: GRPCHealthV1.HealthCheckRequest(service: service),
                    timeout: .seconds(5)
                )
            }
            #expect(try await check("").status == .notServing)
            server.health.setServing(true)
            #expect(try await check("").status == .serving)
            #expect(try await check("arbor.v2.Hierarchy").status == .serving)
            let error = await #expect(throws: RPCError.self) { try await check("no.such.Service") }
            #expect(error?.code == .notFound)
            await client.close()
        }
    }

    @Test func unaryEchoesAndCarriesErrorStatuses() async throws {
        try await withTestServer { server in
            let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
            let response: TestV1.EchoResponse = try await client.unary(
                path: TestV1.echoPath,
                request: TestV1.EchoRequest(text: "héllo wörld ✓")
            )
            #expect(response.text == "héllo wörld ✓")

            let message = "nicht gefunden: Ünïcødé ✗ 100% sure\nnew line"
            let error = await #expect(throws: RPCError.self) {
                let _: TestV1.EchoResponse = try await client.unary(
                    path: TestV1.echoPath,
                    request: TestV1.EchoRequest(failCode: Int32(RPCStatus.notFound.rawValue), failMessage: message)
                )
            }
            #expect(error?.code == .notFound)
            #expect(error?.message == message)
            await client.close()
        }
    }

    @Test func unknownMethodIsUnimplemented() async throws {
        try await withTestServer { server in
            let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.unary(path: "/arbor.test.v1.TestService/Nope", request: [])
            }
            #expect(error?.code == .unimplemented)
            await client.close()
        }
    }

    @Test func serverStreamingDeliversEveryMessageThenStatus() async throws {
        try await withTestServer { server in
            let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
            var indices: [UInt32] = []
            for try await message in client.serverStreaming(
                path: TestV1.countPath,
                request: TestV1.CountRequest(count: 200, payloadSize: 10_000),
                as: TestV1.CountResponse.self
            ) {
                #expect(message.payload.count == 10_000)
                indices.append(message.index)
            }
            #expect(indices == Array(0..<200))

            var received = 0
            let error = await #expect(throws: RPCError.self) {
                for try await _ in client.serverStreaming(
                    path: TestV1.countPath,
                    request: TestV1.CountRequest(count: 3, failCode: 9, failMessage: "präcondition"),
                    as: TestV1.CountResponse.self
                ) { received += 1 }
            }
            #expect(received == 3)
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message == "präcondition")
            await client.close()
        }
    }

    @Test func manyConcurrentCallsShareOneConnection() async throws {
        try await withTestServer(configuration: GRPCServerConfiguration(maxConcurrentStreams: 10)) { server in
            let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        let response: TestV1.EchoResponse = try await client.unary(
                            path: TestV1.echoPath,
                            request: TestV1.EchoRequest(text: "call \(index)", sleepMilliseconds: 2),
                            timeout: .seconds(20)
                        )
                        #expect(response.text == "call \(index)")
                    }
                }
                try await group.waitForAll()
            }
            await client.close()
        }
    }

    @Test func deadlinePassingCancelsTheHandler() async throws {
        try await withTestServer { server in
            let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
            let started = ContinuousClock.now
            let error = await #expect(throws: RPCError.self) {
                let _: TestV1.EchoResponse = try await client.unary(
                    path: TestV1.echoPath,
                    request: TestV1.EchoRequest(text: "slow", sleepMilliseconds: 10_000),
                    timeout: .milliseconds(200)
                )
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(ContinuousClock.now - started < .seconds(5))
            try await eventually { server.probe.cancellations == 1 }
            await client.close()
        }
    }

    @Test func serverEnforcesDeadlineEvenWhenTheClientWaits() async throws {
        // The raw client sends grpc-timeout but sets no local timer, so the status must come from the server.
        try await withTestServer { server in
            let connection = try await RawHTTP2Connection.connect(to: server.address)
            let response = try await connection.request(
                path: TestV1.echoPath,
                extraHeaders: [("grpc-timeout", "150m")],
                body: GRPCMessageFramer.frame(TestV1.EchoRequest(sleepMilliseconds: 10_000).serializedBytes())
            )
            #expect(response.grpcStatus == .deadlineExceeded)
            try await eventually { server.probe.cancellations == 1 }
            await connection.close()
        }
    }

    @Test func cancellingTheCallingTaskResetsTheStream() async throws {
        try await withTestServer { server in
            let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
            let call = Task {
                let _: TestV1.EchoResponse = try await client.unary(
                    path: TestV1.echoPath,
                    request: TestV1.EchoRequest(sleepMilliseconds: 10_000)
                )
            }
            try await Task.sleep(for: .milliseconds(200))
            call.cancel()
            let result = await call.result
            #expect(throws: RPCError.self) { try result.get() }
            try await eventually { server.probe.cancellations == 1 }
            #expect(try await server.healthStatus() == .serving)
            await client.close()
        }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(
    timeout: Duration = .seconds(5),
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        if ContinuousClock.now > deadline {
            Issue.record("condition did not hold within \(timeout)", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
