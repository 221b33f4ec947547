import ArborHTTP2
import ArborWire
import Testing

/// The client's side of backpressure: a slow reader holds the server back, a reader that leaves ends the call.
@Suite struct ClientFlowControlTests {
    @Test func slowReaderHoldsTheServerBack() async throws {
        try await withTestServer { server in
            let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
            let count: UInt32 = 2_000
            let payload: UInt32 = 16 * 1024
            var iterator = client.serverStreaming(
                path: TestV1.countPath,
                request: TestV1.CountRequest(count: count, payloadSize: payload),
                as: TestV1.CountResponse.self
            ).makeAsyncIterator()
            #expect(try await iterator.next()?.index == 0)
            // The reader pauses: the server may run ahead only by the client's buffer and the HTTP/2 windows.
            var previous = -1
            for _ in 0..<50 {
                try await Task.sleep(for: .milliseconds(100))
                let sent = server.probe.messagesSent
                if sent == previous { break }
                previous = sent
            }
            let aheadBytes = server.probe.messagesSent * Int(payload)
            #expect(server.probe.messagesSent < Int(count), "server was not held back")
            #expect(aheadBytes < 8 << 20, "server ran \(aheadBytes) bytes ahead of the reader")

            var expected: UInt32 = 1
            while let message = try await iterator.next() {
                #expect(message.index == expected)
                expected += 1
            }
            #expect(expected == count)
            await client.close()
        }
    }

    @Test func droppingTheSequenceCancelsTheCall() async throws {
        try await withTestServer { server in
            let client = try await GRPCClientConnection.connect(host: server.address.host, port: server.address.port)
            do {
                var received = 0
                for try await _ in client.serverStreaming(
                    path: TestV1.countPath,
                    request: TestV1.CountRequest(count: 1_000_000, payloadSize: 1_000),
                    as: TestV1.CountResponse.self
                ) {
                    received += 1
                    if received == 5 { break }
                }
            }
            try await eventually { server.probe.cancellations == 1 }
            #expect(try await server.healthStatus() == .serving)
            await client.close()
        }
    }
}
