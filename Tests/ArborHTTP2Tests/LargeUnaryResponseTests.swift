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

    @Test(arguments: sizes) func clientThatNeverSendsASecondFrameReceivesTheWholeAnswer(size: Int) async throws {
        try await withTestServer { server in
            let request = TestV1.EchoRequest(text: "big", responseSize: UInt32(size)).serializedBytes()
            let outcome = try await SingleWriteHTTP2Client.call(
                host: server.address.host, port: server.address.port, path: TestV1.echoPath, message: request,
                timeout: .seconds(10))
            let expected = TestV1.EchoResponse(text: String(repeating: "x", count: size)).serializedBytes().count
            #expect(!outcome.failed)
            #expect(outcome.ended, "the answer stalled after \(outcome.dataBytes) bytes")
            #expect(outcome.dataBytes == GRPCMessageFramer.prefixLength + expected)
        }
    }
}
