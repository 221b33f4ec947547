import ArborHTTP2
import ArborWire
import NIOCore
import Testing

/// Requests a conforming client would never send: each gets its specified answer, and the server keeps serving.
@Suite struct BadInputTests {
    enum Expected: Sendable, CustomStringConvertible {
        case http(Int)
        case grpc(RPCStatus)

        var description: String {
            switch self {
            case .http(let code): "HTTP \(code)"
            case .grpc(let status): status.name
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "POST"
        var path = TestV1.echoPath
        var contentType: String? = "application/grpc"
        var te: String? = "trailers"
        var headers: [(String, String)] = []
        var body: [UInt8] = GRPCMessageFramer.frame(TestV1.EchoRequest(text: "x").serializedBytes())
        var endStream = true
        var expected: Expected

        var testDescription: String { "\(name) → \(expected)" }
    }

    static let cases: [Case] = [
        Case(name: "valid request", expected: .grpc(.ok)),
        Case(name: "content-type +proto", contentType: "application/grpc+proto", expected: .grpc(.ok)),
        Case(
            name: "truncated message",
            body: Array(GRPCMessageFramer.frame(TestV1.EchoRequest(text: "hello").serializedBytes()).dropLast(2)),
            expected: .grpc(.internal)
        ),
        Case(name: "truncated prefix", body: [0, 0, 0], expected: .grpc(.internal)),
        Case(
            name: "prefix claims 1 GiB, body never sent", body: [0, 0x40, 0, 0, 0], endStream: false,
            expected: .grpc(.resourceExhausted)),
        Case(
            name: "prefix over 4 MiB", body: [0, 0, 0x40, 0, 1], endStream: false, expected: .grpc(.resourceExhausted)),
        Case(name: "compressed flag", body: [1, 0, 0, 0, 2, 0x0A, 0x00], expected: .grpc(.internal)),
        Case(name: "undecodable body", body: GRPCMessageFramer.frame([0x0A, 0x05, 0x61]), expected: .grpc(.internal)),
        Case(name: "no message", body: [], expected: .grpc(.internal)),
        Case(
            name: "two messages for a unary method",
            body: GRPCMessageFramer.frame([]) + GRPCMessageFramer.frame([]),
            expected: .grpc(.internal)
        ),
        Case(name: "wrong content-type", contentType: "application/json", expected: .http(415)),
        Case(name: "missing content-type", contentType: nil, expected: .http(415)),
        Case(name: "GET", method: "GET", body: [], expected: .http(405)),
        Case(name: "missing te", te: nil, expected: .grpc(.internal)),
        Case(name: "unknown method", path: "/arbor.test.v1.TestService/Unknown", expected: .grpc(.unimplemented)),
        Case(name: "unknown service", path: "/no.Such/Method", expected: .grpc(.unimplemented)),
        Case(name: "malformed grpc-timeout", headers: [("grpc-timeout", "12345678900S")], expected: .grpc(.internal)),
        Case(name: "unsupported grpc-encoding", headers: [("grpc-encoding", "gzip")], expected: .grpc(.unimplemented)),
        Case(
            name: "header block over the 8 KiB cap",
            headers: (0..<4).map { ("x-pad-\($0)", String(repeating: "v", count: 2500)) },
            expected: .grpc(.resourceExhausted)
        ),
    ]

    @Test(arguments: cases)
    func badRequestGetsItsAnswer(_ testCase: Case) async throws {
        try await withTestServer { server in
            let connection = try await RawHTTP2Connection.connect(to: server.address)
            let response = try await connection.request(
                method: testCase.method,
                path: testCase.path,
                contentType: testCase.contentType,
                te: testCase.te,
                extraHeaders: testCase.headers,
                body: testCase.body,
                endStream: testCase.endStream
            )
            switch testCase.expected {
            case .http(let status):
                #expect(response.httpStatus == status)
                #expect(response.grpcStatus == nil)
            case .grpc(let status):
                #expect(response.httpStatus == 200)
                #expect(response.headers["content-type"] == "application/grpc")
                #expect(response.grpcStatus == status, "message: \(response.grpcMessage ?? "none")")
                if status != .ok {
                    #expect(response.isTrailersOnly)
                    #expect(response.data.isEmpty)
                    #expect(!(response.grpcMessage ?? "").isEmpty)
                }
            }
            // The same connection still works, and so do new ones.
            let again = try await connection.request(
                path: HealthService.checkPath,
                body: GRPCMessageFramer.frame(GRPCHealthV1.HealthCheckRequest().serializedBytes())
            )
            #expect(again.grpcStatus == .ok)
            #expect(try await server.healthStatus() == .serving)
            await connection.close()
        }
    }

    @Test func garbageInsteadOfPrefaceClosesOnlyThatConnection() async throws {
        try await withTestServer { server in
            let socket = try await RawSocket.connect(port: server.address.port, reads: true)
            try await socket.write(
                Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8) + [UInt8](repeating: 0xFF, count: 64))
            try await eventually { !socket.channel.isActive }
            #expect(try await server.healthStatus() == .serving)
        }
    }

    @Test func clientResettingStreamsMidResponseCancelsTheHandler() async throws {
        try await withTestServer { server in
            let connection = try await RawHTTP2Connection.connect(to: server.address)
            for round in 1...5 {
                let response = try await connection.request(
                    path: TestV1.countPath,
                    body: GRPCMessageFramer.frame(
                        TestV1.CountRequest(count: 100_000, payloadSize: 10_000).serializedBytes()),
                    resetAfterBytes: 50_000
                )
                #expect(response.closeCode == 8)  // CANCEL, sent by us
                try await eventually { server.probe.streamsFinished == round }
            }
            #expect(server.probe.cancellations == 5)
            try await eventually { server.server.queuedResponseBytes == 0 }
            #expect(try await server.healthStatus() == .serving)
            await connection.close()
        }
    }

    /// With `openWindows` the client lifts HTTP/2 flow control so only the socket (NIO writability) holds the
    /// server back; without, the default 64 KiB stream window does.
    @Test(arguments: [false, true])
    func clientThatNeverReadsCannotGrowServerMemory(openWindows: Bool) async throws {
        let highWaterMark = 64 * 1024
        let payload = 16 * 1024
        let configuration = GRPCServerConfiguration(streamHighWaterMark: highWaterMark)
        try await withTestServer(configuration: configuration) { server in
            let socket = try await RawSocket.connect(port: server.address.port, reads: false)
            var bytes = RawFrames.preface
            if openWindows {
                bytes += RawFrames.settings([(id: 0x4, value: 0x7FFF_FFFF)])
                bytes += RawFrames.windowUpdate(streamID: 0, increment: 0x7FFF_FFFF - 65_535)
            } else {
                bytes += RawFrames.settings([])
            }
            bytes += RawFrames.grpcRequestHeaders(streamID: 1, path: TestV1.countPath)
            let request = TestV1.CountRequest(count: 1_000_000, payloadSize: UInt32(payload))
            bytes += RawFrames.data(streamID: 1, GRPCMessageFramer.frame(request.serializedBytes()), endStream: true)
            try await socket.write(bytes)

            // The handler stalls in send: the count stops growing far short of the million messages.
            var previous = -1
            for _ in 0..<50 {
                try await Task.sleep(for: .milliseconds(100))
                let sent = server.probe.messagesSent
                if sent == previous, sent > 0 { break }
                previous = sent
            }
            try await Task.sleep(for: .milliseconds(300))
            let stalledAt = server.probe.messagesSent
            #expect(stalledAt > 0)
            #expect(stalledAt == previous)
            #expect(stalledAt < 2_000, "handler was not held back: \(stalledAt) messages sent")
            // What the server holds for the stream stays under the high-water mark plus one message.
            #expect(server.server.peakQueuedResponseBytes <= highWaterMark + payload + 64)

            await socket.close()
            try await eventually { server.probe.cancellations == 1 }
            try await eventually { server.server.queuedResponseBytes == 0 }
            #expect(try await server.healthStatus() == .serving)
        }
    }

    @Test func deadlineReleasesAHandlerBlockedByANeverReadingClient() async throws {
        try await withTestServer(configuration: GRPCServerConfiguration(streamHighWaterMark: 64 * 1024)) { server in
            let socket = try await RawSocket.connect(port: server.address.port, reads: false)
            var bytes = RawFrames.preface + RawFrames.settings([])
            bytes += RawFrames.headers(
                streamID: 1,
                [
                    (":method", "POST"), (":scheme", "http"), (":path", TestV1.countPath), (":authority", "127.0.0.1"),
                    ("content-type", "application/grpc"), ("te", "trailers"), ("grpc-timeout", "300m"),
                ],
                endStream: false
            )
            let request = TestV1.CountRequest(count: 1_000_000, payloadSize: 16 * 1024)
            bytes += RawFrames.data(streamID: 1, GRPCMessageFramer.frame(request.serializedBytes()), endStream: true)
            try await socket.write(bytes)
            // The connection stays open and unread, yet the handler's blocked send ends when the deadline passes.
            try await eventually { server.probe.streamsFinished == 1 }
            #expect(server.probe.cancellations == 1)
            #expect(server.server.completedCalls[.deadlineExceeded] == 1)
            #expect(socket.channel.isActive)
            await socket.close()
            #expect(try await server.healthStatus() == .serving)
        }
    }
}
