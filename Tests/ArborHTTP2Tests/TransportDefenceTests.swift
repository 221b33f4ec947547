import ArborHTTP2
import ArborWire
import Testing

/// Each limit of the transport against a real server on loopback: what the abusive peer gets, and that the server
/// still answers everyone else afterwards.
@Suite struct TransportDefenceTests {
    private static func sleepingEcho(_ milliseconds: UInt32) -> [UInt8] {
        GRPCMessageFramer.frame(TestV1.EchoRequest(text: "zz", sleepMilliseconds: milliseconds).serializedBytes())
    }

    @Test func aConnectionBeyondItsCallLimitGetsRefusedStream() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.maxCallsPerConnection = 2
        try await withTestServer(configuration: configuration) { server in
            let connection = try await RawHTTP2Connection.connect(to: server.address)
            async let first = connection.request(path: TestV1.echoPath, body: Self.sleepingEcho(1500))
            async let second = connection.request(path: TestV1.echoPath, body: Self.sleepingEcho(1500))
            try await eventually { server.probe.sleepers == 2 }
            let third = try await connection.request(path: TestV1.echoPath, body: Self.sleepingEcho(0))
            #expect(third.closeCode == 7, "REFUSED_STREAM")
            #expect(try await first.grpcStatus == .ok)
            #expect(try await second.grpcStatus == .ok)
            // Once the calls finished, the connection takes calls again.
            let fourth = try await connection.request(path: TestV1.echoPath, body: Self.sleepingEcho(0))
            #expect(fourth.grpcStatus == .ok)
            #expect(server.server.defenceCounts[.callsPerConnection] == 1)
            await connection.close()
        }
    }

    @Test func aServerBeyondItsCallLimitAnswersResourceExhausted() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.maxCalls = 1
        try await withTestServer(configuration: configuration) { server in
            let busy = try await RawHTTP2Connection.connect(to: server.address)
            let other = try await RawHTTP2Connection.connect(to: server.address)
            async let running = busy.request(path: TestV1.echoPath, body: Self.sleepingEcho(1000))
            try await eventually { server.probe.sleepers == 1 }
            let refused = try await other.request(path: TestV1.echoPath, body: Self.sleepingEcho(0))
            #expect(refused.grpcStatus == .resourceExhausted)
            // Health is answered on the event loop and never counts against the limit.
            #expect(try await server.healthStatus() == .serving)
            #expect(try await running.grpcStatus == .ok)
            #expect(server.server.runningCalls == 0)
            await busy.close()
            await other.close()
        }
    }

    @Test func rapidResetOfRunningCallsEndsTheConnectionWithEnhanceYourCalm() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.resetBudget = 5
        configuration.resetRefillPerSecond = 0
        try await withTestServer(configuration: configuration) { server in
            let connection = try await RawHTTP2Connection.connect(to: server.address)
            let stream = GRPCMessageFramer.frame(
                TestV1.CountRequest(count: 100_000, payloadSize: 100).serializedBytes())
            for _ in 0..<8 {
                _ = try? await connection.request(
                    path: TestV1.countPath, body: stream, resetAfterBytes: 1, timeout: .seconds(5))
                if connection.isClosed { break }
            }
            try await eventually { connection.isClosed }
            #expect(server.server.defenceCounts[.resetBudget] == 1)
            // Every handler of the reset streams was cancelled; none keeps running.
            try await eventually { server.server.runningCalls == 0 }
            #expect(try await server.healthStatus() == .serving)
        }
    }

    @Test func aRequestThatDoesNotFinishArrivingGetsDeadlineExceededAndItsBytesBack() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.requestTimeout = .milliseconds(300)
        try await withTestServer(configuration: configuration) { server in
            let connection = try await RawHTTP2Connection.connect(to: server.address)
            let body = Array(Self.sleepingEcho(0).prefix(4))
            let started = ContinuousClock.now
            let response = try await connection.request(path: TestV1.echoPath, body: body, endStream: false)
            #expect(response.grpcStatus == .deadlineExceeded)
            #expect(response.grpcMessage?.contains("did not finish arriving") == true)
            #expect(ContinuousClock.now - started < .seconds(3))
            #expect(server.server.bufferedRequestBytes == 0)
            #expect(server.server.defenceCounts[.requestTimeout] == 1)
            await connection.close()
        }
    }

    @Test func bodiesBeyondTheServerWideBudgetAreRefused() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.requestBodyBudget = 64 * 1024
        configuration.requestTimeout = .seconds(2)
        try await withTestServer(configuration: configuration) { server in
            let connection = try await RawHTTP2Connection.connect(to: server.address)
            // A message that announces 1 MiB and sends 100 KiB of it, never ending.
            let body = [0, 0, 0x10, 0, 0] + [UInt8](repeating: 0x41, count: 100 * 1024)
            let response = try await connection.request(path: TestV1.echoPath, body: body, endStream: false)
            #expect(response.grpcStatus == .resourceExhausted)
            #expect(server.server.bufferedRequestBytes == 0)
            #expect(server.server.defenceCounts[.requestBodyBudget] == 1)
            await connection.close()
        }
    }

    @Test func aStreamWhoseReaderStopsIsResetAndItsQueueFreed() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.sendTimeout = .milliseconds(300)
        try await withTestServer(configuration: configuration) { server in
            let client = try await RawFrameClient.connect(host: server.address.host, port: server.address.port)
            let request = TestV1.EchoRequest(text: "big", responseSize: 2_000_000).serializedBytes()
            // INITIAL_WINDOW_SIZE 1 KiB and never a WINDOW_UPDATE: the answer can never leave.
            try await client.send(
                RawFrameClient.preface + RawFrameClient.settings([(0x4, 1024)])
                    + RawFrameClient.requestHeaders(stream: 1, path: TestV1.echoPath)
                    + RawFrameClient.requestMessage(stream: 1, request))
            let seen = try await client.waitFor(timeout: .seconds(5)) { frames, _ in
                frames.contains { $0.type == 0x3 && $0.stream == 1 }
            }
            let reset = seen.frames.first { $0.type == 0x3 && $0.stream == 1 }
            #expect(reset?.errorCode == 0x8, "RST_STREAM CANCEL")
            #expect(server.server.queuedResponseBytes == 0)
            #expect(server.server.defenceCounts[.sendTimeout] == 1)
            await client.close()
        }
    }

    @Test func aControlFrameFloodEndsWithEnhanceYourCalm() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.maxControlFramesPerSecond = 50
        try await withTestServer(configuration: configuration) { server in
            let client = try await RawFrameClient.connect(host: server.address.host, port: server.address.port)
            let flood = (0..<500).flatMap { _ in RawFrameClient.windowUpdate(stream: 0, increment: 1) }
            try await client.send(RawFrameClient.preface + RawFrameClient.settings([]) + flood)
            let seen = try await client.waitFor(timeout: .seconds(5)) { _, closed in closed }
            #expect(seen.closed)
            #expect(seen.frames.first { $0.type == 0x7 }?.errorCode == 0xB, "GOAWAY ENHANCE_YOUR_CALM")
            #expect(server.server.defenceCounts[.controlFrames] == 1)
            #expect(try await server.healthStatus() == .serving)
        }
    }

    /// h2spec 5.1.1/2: HEADERS on a stream id lower than one already opened is a connection error.
    @Test func headersOnALowerStreamIDEndTheConnectionWithProtocolError() async throws {
        try await withTestServer { server in
            let client = try await RawFrameClient.connect(host: server.address.host, port: server.address.port)
            let request = TestV1.EchoRequest(text: "a", sleepMilliseconds: 500).serializedBytes()
            try await client.send(
                RawFrameClient.preface + RawFrameClient.settings([])
                    + RawFrameClient.requestHeaders(stream: 5, path: TestV1.echoPath)
                    + RawFrameClient.requestMessage(stream: 5, request)
                    + RawFrameClient.requestHeaders(stream: 3, path: TestV1.echoPath))
            let seen = try await client.waitFor(timeout: .seconds(5)) { frames, _ in
                frames.contains { $0.type == 0x7 }
            }
            #expect(seen.frames.first { $0.type == 0x7 }?.errorCode == 0x1, "GOAWAY PROTOCOL_ERROR")
            await client.close()
        }
    }

    @Test func oneAddressCannotTakeEveryConnectionSlot() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.maxConnectionsPerPeer = 2
        try await withTestServer(configuration: configuration) { server in
            let first = try await RawHTTP2Connection.connect(to: server.address)
            let second = try await RawHTTP2Connection.connect(to: server.address)
            #expect(try await first.request(path: TestV1.echoPath, body: Self.sleepingEcho(0)).grpcStatus == .ok)
            #expect(try await second.request(path: TestV1.echoPath, body: Self.sleepingEcho(0)).grpcStatus == .ok)
            let third = try await RawHTTP2Connection.connect(to: server.address)
            try await eventually { third.isClosed }
            #expect(server.server.defenceCounts[.connectionLimit] == 1)
            await first.close()
            try await eventually { server.server.connectionCount == 1 }
            let fourth = try await RawHTTP2Connection.connect(to: server.address)
            #expect(try await fourth.request(path: TestV1.echoPath, body: Self.sleepingEcho(0)).grpcStatus == .ok)
            await second.close()
            await fourth.close()
        }
    }

    @Test func aHugeUnknownPathIsNotEchoedWhole() async throws {
        try await withTestServer { server in
            let connection = try await RawHTTP2Connection.connect(to: server.address)
            let path = "/no.such.Service/" + String(repeating: "A", count: 7000)
            let response = try await connection.request(path: path, body: Self.sleepingEcho(0))
            #expect(response.grpcStatus == .unimplemented)
            let message = try #require(response.grpcMessage)
            #expect(message.utf8.count < 200)
            #expect(message.contains("7017 bytes"))
            await connection.close()
        }
    }

    /// A plain HTTP request with a body gets its 415 every time, even while the body is still on its way.
    @Test func aRejectionOfARequestWithABodyAlwaysArrives() async throws {
        try await withTestServer { server in
            let connection = try await RawHTTP2Connection.connect(to: server.address)
            for _ in 0..<50 {
                let response = try await connection.request(
                    path: TestV1.echoPath, contentType: "application/json",
                    body: [UInt8](repeating: 0x7B, count: 40_000))
                #expect(response.httpStatus == 415)
            }
            await connection.close()
        }
    }
}
