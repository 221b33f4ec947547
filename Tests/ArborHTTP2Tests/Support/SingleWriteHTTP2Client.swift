import ArborWire
import NIOCore
import NIOPosix

/// A client that sends everything it will ever send in one write (preface, SETTINGS with a large window,
/// a connection WINDOW_UPDATE, one gRPC request) and then only reads: no SETTINGS ACK, no WINDOW_UPDATE, nothing.
/// A server whose output waits for the client's next frame stalls against it.
enum SingleWriteHTTP2Client {
    /// The frames the server sent on stream 1, in order, until that stream ended or `timeout` passed.
    struct Outcome: Sendable {
        /// DATA payload bytes on stream 1.
        var dataBytes = 0
        /// Whether a HEADERS frame with END_STREAM (the trailers) closed stream 1.
        var ended = false
        /// Whether the server reset stream 1 or closed the connection first.
        var failed = false
    }

    static func call(
        host: String, port: Int, path: String, message: [UInt8], timeout: Duration
    ) async throws -> Outcome {
        let collector = FrameCollector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: host, port: port).get()
        var bytes = ByteBuffer(bytes: Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8))
        // SETTINGS: INITIAL_WINDOW_SIZE (0x4) = 2^31 - 1, MAX_FRAME_SIZE (0x5) = 2^24 - 1.
        writeFrame(
            &bytes, type: 0x4, flags: 0, stream: 0, payload: [0, 4, 0x7F, 0xFF, 0xFF, 0xFF, 0, 5, 0, 0xFF, 0xFF, 0xFF])
        // WINDOW_UPDATE on the connection: + (2^31 - 1 - 65535).
        let increment = UInt32(Int32.max) - 65_535
        writeFrame(&bytes, type: 0x8, flags: 0, stream: 0, payload: bigEndian(increment))
        var block: [UInt8] = []
        for (name, value) in [
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "127.0.0.1"),
            ("content-type", "application/grpc"), ("te", "trailers"), ("grpc-timeout", "20S"),
        ] {
            // Literal header field without indexing, new name, no Huffman; every length here is below 127.
            block += [0x00, UInt8(name.utf8.count)] + Array(name.utf8) + [UInt8(value.utf8.count)] + Array(value.utf8)
        }
        writeFrame(&bytes, type: 0x1, flags: 0x4, stream: 1, payload: block)
        writeFrame(&bytes, type: 0x0, flags: 0x1, stream: 1, payload: GRPCMessageFramer.frame(message))
        try await channel.writeAndFlush(bytes)

        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let outcome = try await channel.eventLoop.submit { collector.outcome }.get()
            if outcome.ended || outcome.failed { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let outcome = try await channel.eventLoop.submit { collector.outcome }.get()
        try? await channel.close()
        return outcome
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static func writeFrame(
        _ buffer: inout ByteBuffer, type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]
    ) {
        let length = UInt32(payload.count)
        buffer.writeBytes([UInt8(length >> 16), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF), type, flags])
        buffer.writeBytes(bigEndian(stream))
        buffer.writeBytes(payload)
    }

    /// Parses the server's frames as they arrive (headers only; HPACK is not decoded).
    private final class FrameCollector: ChannelInboundHandler, @unchecked Sendable {
        // Touched only on the channel's event loop (the handler's callbacks and `eventLoop.submit` reads).
        typealias InboundIn = ByteBuffer
        var outcome = Outcome()
        private var pending = ByteBuffer()
        private var sawResponseHeaders = false

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            pending.writeBuffer(&incoming)
            while pending.readableBytes >= 9 {
                let header = pending.getBytes(at: pending.readerIndex, length: 9)!
                let length = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
                guard pending.readableBytes >= 9 + length else { break }
                let type = header[3]
                let flags = header[4]
                let stream =
                    UInt32(header[5] & 0x7F) << 24 | UInt32(header[6]) << 16 | UInt32(header[7]) << 8
                    | UInt32(header[8])
                pending.moveReaderIndex(forwardBy: 9 + length)
                switch (type, stream) {
                case (0x0, 1): outcome.dataBytes += length
                case (0x1, 1):
                    if sawResponseHeaders, flags & 0x1 != 0 { outcome.ended = true }
                    sawResponseHeaders = true
                case (0x3, 1), (0x7, _): outcome.failed = true
                default: break
                }
            }
            pending.discardReadBytes()
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !outcome.ended { outcome.failed = true }
        }
    }
}
