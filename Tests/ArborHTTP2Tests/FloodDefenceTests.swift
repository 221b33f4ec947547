import ArborHTTP2
import ArborWire
import Testing

/// nghttp2's flood defences, as configured by the server: an abusive connection is closed, a moderate one is not,
/// and other connections keep working.
@Suite struct FloodDefenceTests {
    /// Streams opened and reset at once (the "rapid reset" attack). The budget is 1000 resets plus 100 a second.
    @Test(arguments: [(50, false), (3_000, true)])
    func rapidResets(count: Int, closes: Bool) async throws {
        try await withTestServer { server in
            let socket = try await RawSocket.connect(port: server.address.port, reads: true)
            var bytes = RawFrames.preface + RawFrames.settings([])
            for index in 0..<count {
                let streamID = UInt32(2 * index + 1)
                bytes += RawFrames.grpcRequestHeaders(streamID: streamID, path: TestV1.echoPath)
                bytes += RawFrames.resetStream(streamID: streamID)
            }
            try? await socket.write(bytes)
            if closes {
                try await eventually { !socket.channel.isActive }
            } else {
                try await Task.sleep(for: .milliseconds(300))
                #expect(socket.channel.isActive)
                await socket.close()
            }
            #expect(try await server.healthStatus() == .serving)
        }
    }

    /// PINGs from a client that never reads: their ACKs pile up in nghttp2 once the socket stops taking them; past
    /// 1000 queued ACKs nghttp2 reports a flood and the server closes the connection.
    @Test(arguments: [(500, false), (200_000, true)])
    func pingFlood(count: Int, closes: Bool) async throws {
        try await withTestServer { server in
            let socket = try await RawSocket.connect(port: server.address.port, reads: false)
            try await socket.write(RawFrames.preface + RawFrames.settings([]))
            let batch = min(count, 1_000)
            let pings = (0..<batch).flatMap { _ in RawFrames.ping(7) }
            var sent = 0
            while sent < count, socket.channel.isActive {
                do { try await socket.write(pings) } catch { break }
                sent += batch
            }
            try? await socket.startReading()
            if closes {
                try await eventually(timeout: .seconds(10)) { !socket.channel.isActive }
            } else {
                try await Task.sleep(for: .milliseconds(300))
                #expect(socket.channel.isActive)
                await socket.close()
            }
            #expect(try await server.healthStatus() == .serving)
        }
    }
}
