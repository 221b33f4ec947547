import ArborWire
import NIOCore
import NIOPosix

/// A client that writes hand-built HTTP/2 frames and records the server's frames, without an HTTP/2 library of
/// its own: it sends exactly what a test says (no SETTINGS ACK, no WINDOW_UPDATE, frames nghttp2 would refuse to
/// send) and decodes only frame headers (HPACK is not decoded).
final class RawFrameClient: Sendable {
    /// One frame the server sent.
    struct Frame: Sendable {
        var type: UInt8
        var flags: UInt8
        var stream: UInt32
        var payload: [UInt8]

        /// For GOAWAY (0x7) and RST_STREAM (0x3): the error code.
        var errorCode: UInt32? {
            switch type {
            case 0x3 where payload.count >= 4: return Self.word(payload, at: 0)
            case 0x7 where payload.count >= 8: return Self.word(payload, at: 4)
            default: return nil
            }
        }

        static func word(_ bytes: [UInt8], at offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
    }

    private let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(host: String, port: Int) async throws -> RawFrameClient {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: host, port: port).get()
        return RawFrameClient(channel: channel, collector: collector)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// The frames received so far, and whether the server has closed the connection.
    func received() async throws -> (frames: [Frame], closed: Bool) {
        try await channel.eventLoop.submit { (self.collector.frames, self.collector.closed) }.get()
    }

    /// Waits until `condition` holds for what was received, or `timeout` passes; returns what was received.
    func waitFor(
        timeout: Duration, _ condition: @escaping @Sendable ([Frame], Bool) -> Bool
    ) async throws -> (frames: [Frame], closed: Bool) {
        let deadline = ContinuousClock.now + timeout
        while true {
            let seen = try await received()
            if condition(seen.frames, seen.closed) || ContinuousClock.now >= deadline { return seen }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func close() async {
        try? await channel.close()
    }

    // MARK: Building frames

    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    static func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32, payload: [UInt8] = []) -> [UInt8] {
        let length = UInt32(payload.count)
        return [UInt8(length >> 16), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF), type, flags]
            + bigEndian(stream) + payload
    }

    /// SETTINGS with the given (identifier, value) pairs.
    static func settings(_ entries: [(UInt16, UInt32)]) -> [UInt8] {
        frame(
            type: 0x4, stream: 0,
            payload: entries.flatMap { [UInt8($0.0 >> 8), UInt8($0.0 & 0xFF)] + bigEndian($0.1) })
    }

    static func windowUpdate(stream: UInt32, increment: UInt32) -> [UInt8] {
        frame(type: 0x8, stream: stream, payload: bigEndian(increment))
    }

    /// A gRPC request's HEADERS (END_HEADERS; END_STREAM when `endStream`).
    static func requestHeaders(stream: UInt32, path: String, endStream: Bool = false) -> [UInt8] {
        var block: [UInt8] = []
        for (name, value) in [
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "127.0.0.1"),
            ("content-type", "application/grpc"), ("te", "trailers"), ("grpc-timeout", "20S"),
        ] {
            // Literal header field without indexing, new name, no Huffman; lengths with HPACK's 7-bit prefix.
            block +=
                [0x00] + hpackLength(name.utf8.count) + Array(name.utf8) + hpackLength(value.utf8.count)
                + Array(value.utf8)
        }
        return frame(type: 0x1, flags: endStream ? 0x5 : 0x4, stream: stream, payload: block)
    }

    /// A DATA frame carrying one framed gRPC message.
    static func requestMessage(stream: UInt32, _ message: [UInt8], endStream: Bool = true) -> [UInt8] {
        frame(type: 0x0, flags: endStream ? 0x1 : 0, stream: stream, payload: GRPCMessageFramer.frame(message))
    }

    private static func hpackLength(_ length: Int) -> [UInt8] {
        guard length >= 127 else { return [UInt8(length)] }
        var rest = length - 127
        var bytes: [UInt8] = [127]
        while rest >= 128 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        return bytes + [UInt8(rest)]
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// Parses the server's frames as they arrive.
    private final class Collector: ChannelInboundHandler, @unchecked Sendable {
        // Touched only on the channel's event loop (its callbacks and `eventLoop.submit` reads).
        typealias InboundIn = ByteBuffer
        var frames: [Frame] = []
        var closed = false
        private var pending = ByteBuffer()

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            pending.writeBuffer(&incoming)
            while pending.readableBytes >= 9 {
                let header = pending.getBytes(at: pending.readerIndex, length: 9)!
                let length = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
                guard pending.readableBytes >= 9 + length else { break }
                pending.moveReaderIndex(forwardBy: 9)
                let isData = header[3] == 0
                // DATA payloads are only counted, not kept: tests pull megabytes through here.
                let payload = isData ? [] : pending.readBytes(length: length)!
                if isData { pending.moveReaderIndex(forwardBy: length) }
                frames.append(
                    Frame(
                        type: header[3], flags: header[4], stream: Frame.word(header, at: 5) & 0x7FFF_FFFF,
                        payload: payload))
                dataLengths.append(isData ? length : 0)
            }
            pending.discardReadBytes()
        }

        /// Payload length of each DATA frame (0 for other frames), aligned with `frames`.
        var dataLengths: [Int] = []

        func channelInactive(context: ChannelHandlerContext) {
            closed = true
        }
    }

    /// DATA payload bytes received on `stream`.
    func dataBytes(on stream: UInt32) async throws -> Int {
        try await channel.eventLoop.submit {
            zip(self.collector.frames, self.collector.dataLengths).reduce(0) {
                $0 + ($1.0.type == 0 && $1.0.stream == stream ? $1.1 : 0)
            }
        }.get()
    }
}
