import ArborHTTP2
import ArborWire
import Testing

/// Unary answers of any size arrive whole and promptly. They once stopped at exactly 256 KiB until the client
/// happened to send another frame: NIO reports the socket writable again from inside `flush()`, and that wake-up
/// was dropped while the output loop was still running.
@Suite struct LargeUnaryResponseTests {
    static let sizes = [200_000, 262_144, 300_000, 600_000, 3_000_000, 12_000_000]

    @Test(arguments: sizes) func swiftClientReceivesTheWholeAnswer(size: Int) async throws {
        try await withTestServer { server in
            let client = try await GRPCClientConnection.connect(
                host: server.address.host, port: server.address.port,
                configuration: .init(maxReceiveMessageSize: 64 << 20))
            let started = ContinuousClock.now
            let response: TestV1.EchoResponse = try await client.unary(
                path: TestV1.echoPath, request: TestV1.EchoRequest(text: "big", responseSize: UInt32(size)),
                timeout: .seconds(20))
            await client.close()
            #expect(response.text.utf8.count == size)
            // Far below the deadline: a stall would wait the whole 20 s.
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    /// Everything the client will ever send goes out in one write: preface, SETTINGS with the largest window, a
    /// connection WINDOW_UPDATE, the request. After that it only reads (no SETTINGS ACK, no WINDOW_UPDATE).
    @Test(arguments: sizes) func clientThatNeverSendsASecondFrameReceivesTheWholeAnswer(size: Int) async throws {
        try await withTestServer { server in
            let request = TestV1.EchoRequest(text: "big", responseSize: UInt32(size)).serializedBytes()
            let client = try await RawFrameClient.connect(host: server.address.host, port: server.address.port)
            // INITIAL_WINDOW_SIZE (0x4) = 2^31 - 1 and MAX_FRAME_SIZE (0x5) = 2^24 - 1.
            try await client.send(
                RawFrameClient.preface + RawFrameClient.settings([(0x4, UInt32(Int32.max)), (0x5, 0xFF_FFFF)])
                    + RawFrameClient.windowUpdate(stream: 0, increment: UInt32(Int32.max) - 65_535)
                    + RawFrameClient.requestHeaders(stream: 1, path: TestV1.echoPath)
                    + RawFrameClient.requestMessage(stream: 1, request))
            let seen = try await client.waitFor(timeout: .seconds(10)) { frames, closed in
                closed
                    || frames.contains { $0.stream == 1 && ($0.type == 0x3 || ($0.type == 0x1 && $0.flags & 1 != 0)) }
            }
            let received = try await client.dataBytes(on: 1)
            await client.close()
            let expected = TestV1.EchoResponse(text: String(repeating: "x", count: size)).serializedBytes().count
            #expect(!seen.closed)
            #expect(
                seen.frames.contains { $0.stream == 1 && $0.type == 0x1 && $0.flags & 1 != 0 },
                "the answer stalled after \(received) bytes")
            #expect(received == GRPCMessageFramer.prefixLength + expected)
        }
    }
}
