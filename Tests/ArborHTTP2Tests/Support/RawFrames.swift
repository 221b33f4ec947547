import NIOCore
import NIOPosix

/// Hand-built HTTP/2 frames for clients that misbehave below what nghttp2 lets a client do.
enum RawFrames {
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    static func frame(type: UInt8, flags: UInt8, streamID: UInt32, payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [
            UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags,
            UInt8(streamID >> 24 & 0x7F), UInt8(streamID >> 16 & 0xFF), UInt8(streamID >> 8 & 0xFF),
            UInt8(streamID & 0xFF),
        ] + payload
    }

    static func settings(_ entries: [(id: UInt16, value: UInt32)]) -> [UInt8] {
        var payload: [UInt8] = []
        for entry in entries {
            payload += [UInt8(entry.id >> 8), UInt8(entry.id & 0xFF)]
            payload += [24, 16, 8, 0].map { UInt8(entry.value >> UInt32($0) & 0xFF) }
        }
        return frame(type: 0x4, flags: 0, streamID: 0, payload: payload)
    }

    static func windowUpdate(streamID: UInt32, increment: UInt32) -> [UInt8] {
        frame(
            type: 0x8, flags: 0, streamID: streamID,
            payload: [24, 16, 8, 0].map { UInt8(increment >> UInt32($0) & 0xFF) })
    }

    /// HEADERS with END_HEADERS; every field a literal without indexing (names and values under 127 bytes).
    static func headers(streamID: UInt32, _ fields: [(String, String)], endStream: Bool) -> [UInt8] {
        var block: [UInt8] = []
        for (name, value) in fields {
            block.append(0x00)
            block.append(UInt8(name.utf8.count))
            block += Array(name.utf8)
            block.append(UInt8(value.utf8.count))
            block += Array(value.utf8)
        }
        return frame(type: 0x1, flags: 0x4 | (endStream ? 0x1 : 0), streamID: streamID, payload: block)
    }

    static func data(streamID: UInt32, _ bytes: [UInt8], endStream: Bool) -> [UInt8] {
        frame(type: 0x0, flags: endStream ? 0x1 : 0, streamID: streamID, payload: bytes)
    }

    static func resetStream(streamID: UInt32, errorCode: UInt32 = 0x8) -> [UInt8] {
        frame(
            type: 0x3, flags: 0, streamID: streamID,
            payload: [24, 16, 8, 0].map { UInt8(errorCode >> UInt32($0) & 0xFF) })
    }

    static func ping(_ opaque: UInt8) -> [UInt8] {
        frame(type: 0x6, flags: 0, streamID: 0, payload: [UInt8](repeating: opaque, count: 8))
    }

    static func grpcRequestHeaders(streamID: UInt32, path: String) -> [UInt8] {
        headers(
            streamID: streamID,
            [
                (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "127.0.0.1"),
                ("content-type", "application/grpc"), ("te", "trailers"),
            ],
            endStream: false
        )
    }
}

/// A TCP connection that writes raw bytes and, with `reads: false`, never reads what the server sends.
final class RawSocket: Sendable {
    let channel: any Channel

    private init(channel: any Channel) { self.channel = channel }

    static func connect(port: Int, reads: Bool) async throws -> RawSocket {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: reads)
            .channelOption(.socketOption(.so_rcvbuf), value: 64 * 1024)
            .connect(host: "127.0.0.1", port: port).get()
        return RawSocket(channel: channel)
    }

    func write(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Starts reading (and discarding) what the server sends, so that its closing the connection is seen.
    func startReading() async throws {
        try await channel.setOption(.autoRead, value: true).get()
    }

    func close() async {
        try? await channel.close()
    }
}
