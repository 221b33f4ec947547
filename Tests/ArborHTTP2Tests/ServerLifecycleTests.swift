import ArborHTTP2
import ArborWire
import Testing

/// Graceful shutdown, the connection limit and the idle timeout, over real sockets.
@Suite struct ServerLifecycleTests {
    @Test func gracefulShutdownDrainsInFlightCallsAndRefusesNewConnections() async throws {
        let server = try await TestServer.start()
        let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
        let inFlight = Task {
            let response: TestV1.EchoResponse = try await client.unary(
                path: TestV1.echoPath,
                request: TestV1.EchoRequest(text: "finishing", sleepMilliseconds: 600),
                timeout: .seconds(10)
            )
            return response.text
        }
        // Shut down once the call is being handled (a stream that had not reached the server would be refused).
        try await eventually { server.probe.sleepers == 1 }
        let started = ContinuousClock.now
        let shutdown = Task { await server.server.shutdown(gracePeriod: .seconds(5)) }
        try await Task.sleep(for: .milliseconds(100))

        // The listener is closed: a new connection cannot be made.
        await #expect(throws: RPCError.self) {
            _ = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
        }
        #expect(try await inFlight.value == "finishing")
        await shutdown.value
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(5), "shutdown took \(elapsed)")
        #expect(server.probe.cancellations == 0)
        #expect(server.server.connectionCount == 0)
        await client.close()
    }

    @Test func gracePeriodBoundsShutdownAndCancelsWhatIsLeft() async throws {
        let server = try await TestServer.start()
        let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
        let inFlight = Task {
            let _: TestV1.EchoResponse = try await client.unary(
                path: TestV1.echoPath,
                request: TestV1.EchoRequest(sleepMilliseconds: 30_000)
            )
        }
        try await eventually { server.probe.sleepers == 1 }
        let started = ContinuousClock.now
        await server.server.shutdown(gracePeriod: .milliseconds(300))
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(3), "shutdown took \(elapsed)")
        let result = await inFlight.result
        #expect(throws: RPCError.self) { try result.get() }
        try await eventually { server.probe.cancellations == 1 }
        await client.close()
    }

    @Test func connectionsBeyondTheLimitAreClosed() async throws {
        try await withTestServer(configuration: GRPCServerConfiguration(maxConnections: 2)) { server in
            var clients: [GRPCClientConnection] = []
            for _ in 0..<2 {
                let client = try await GRPCClientConnection.connect(
                    host: server.address.host, port: server.address.port)
                let _: GRPCHealthV1.HealthCheckResponse = try await client.unary(
                    path: HealthService.checkPath,
                    request: GRPCHealthV1.HealthCheckRequest()
                )
                clients.append(client)
            }
            // The server closes the third connection as it accepts it: connecting or the first call fails.
            let error = await #expect(throws: RPCError.self) {
                let extra = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
                defer { Task { await extra.close() } }
                let _: GRPCHealthV1.HealthCheckResponse = try await extra.unary(
                    path: HealthService.checkPath,
                    request: GRPCHealthV1.HealthCheckRequest(),
                    timeout: .seconds(5)
                )
            }
            #expect(error?.code == .unavailable)
            #expect(server.server.connectionCount == 2)

            // Closing one frees a slot.
            await clients.removeFirst().close()
            try await eventually { server.server.connectionCount == 1 }
            #expect(try await server.healthStatus() == .serving)
            for client in clients { await client.close() }
        }
    }

    @Test func idleConnectionsAreClosedButBusyOnesAreNot() async throws {
        let configuration = GRPCServerConfiguration(idleTimeout: .milliseconds(300))
        try await withTestServer(configuration: configuration) { server in
            let idle = try await RawHTTP2Connection.connect(to: server.address)
            let busy = try await RawHTTP2Connection.connect(to: server.address)
            // A call longer than the idle timeout keeps its connection open.
            let response = try await busy.request(
                path: TestV1.echoPath,
                body: GRPCMessageFramer.frame(
                    TestV1.EchoRequest(text: "busy", sleepMilliseconds: 700).serializedBytes())
            )
            #expect(response.grpcStatus == .ok)
            #expect(idle.isClosed)
            try await eventually { busy.isClosed }
            await idle.close()
            await busy.close()
        }
    }
}

@Suite struct ServerStartStopTests {
    @Test func startTwiceFailsAndShutdownBeforeStartReleasesWaiters() async throws {
        let server = try await TestServer.start()
        await #expect(throws: RPCError.self) { _ = try await server.server.start() }
        await server.stop()
        await server.server.waitUntilStopped()

        let neverStarted = GRPCServer(
            configuration: GRPCServerConfiguration(), router: RPCRouter(), logger: .init(label: "t"))
        let waiter = Task { await neverStarted.waitUntilStopped() }
        await neverStarted.shutdown()
        await waiter.value
        await #expect(throws: RPCError.self) { _ = try await neverStarted.start() }
    }
}
