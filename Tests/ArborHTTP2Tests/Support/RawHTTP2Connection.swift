import ArborWire
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import ArborHTTP2

/// What the server answered on one stream, as raw HTTP/2 saw it.
struct RawResponse: Sendable {
    var headers: [String: String] = [:]
    var trailers: [String: String] = [:]
    var data: [UInt8] = []
    /// The RST_STREAM code the stream closed with (0 when it ended normally).
    var closeCode: UInt32 = 0

    var httpStatus: Int? { headers[":status"].flatMap { Int($0) } }
    /// `grpc-status` from the trailers, or from the headers of a Trailers-Only response.
    var grpcStatus: RPCStatus? {
        (trailers["grpc-status"] ?? headers["grpc-status"]).flatMap { RPCStatus(headerValue: $0) }
    }
    var grpcMessage: String? {
        (trailers["grpc-message"] ?? headers["grpc-message"]).map { GRPCMessageEncoding.decode($0) }
    }
    var isTrailersOnly: Bool { headers["grpc-status"] != nil }
}

/// A test client that drives nghttp2 directly, so it can send what ``GRPCClientConnection`` never would: any
/// method, content type or headers, bodies that stop mid-message, streams it resets.
final class RawHTTP2Connection: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<RawHTTP2Handler>

    private init(channel: any Channel, handler: NIOLoopBound<RawHTTP2Handler>) {
        self.channel = channel
        self.handler = handler
    }

    static func connect(to address: GRPCServer.Address) async throws -> RawHTTP2Connection {
        let installed = Mutex<NIOLoopBound<RawHTTP2Handler>?>(nil)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = RawHTTP2Handler()
                    try channel.pipeline.syncOperations.addHandler(handler)
                    installed.withLock { $0 = NIOLoopBound(handler, eventLoop: channel.eventLoop) }
                }
            }
            .connect(host: address.host, port: address.port).get()
        let handler = try #require(installed.withLock { $0 })
        return RawHTTP2Connection(channel: channel, handler: handler)
    }

    /// Sends one request and waits (up to `timeout`) until its stream closes.
    ///
    /// - Parameters:
    ///   - endStream: whether the body ends the stream; `false` leaves the request open after `body`.
    ///   - resetAfterBytes: reset the stream (CANCEL) once this many response body bytes arrived.
    func request(
        method: String = "POST",
        path: String,
        contentType: String? = "application/grpc",
        te: String? = "trailers",
        extraHeaders: [(String, String)] = [],
        body: [UInt8],
        endStream: Bool = true,
        resetAfterBytes: Int? = nil,
        timeout: Duration = .seconds(10)
    ) async throws -> RawResponse {
        var headers = [
            HTTP2Header(":method", method), HTTP2Header(":scheme", "http"), HTTP2Header(":path", path),
            HTTP2Header(":authority", "127.0.0.1"),
        ]
        if let contentType { headers.append(HTTP2Header("content-type", contentType)) }
        if let te { headers.append(HTTP2Header("te", te)) }
        for (name, value) in extraHeaders { headers.append(HTTP2Header(name, value)) }
        let handler = handler
        let loop = channel.eventLoop
        let timer = loop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)) {
            handler.value.failAll(RawHTTP2Error.timedOut)
        }
        defer { timer.cancel() }
        let headerList = headers
        return try await withCheckedThrowingContinuation { continuation in
            loop.execute {
                handler.value.start(
                    headers: headerList,
                    body: body,
                    endStream: endStream,
                    resetAfterBytes: resetAfterBytes,
                    continuation: continuation
                )
            }
        }
    }

    /// Whether the server has closed the connection.
    var isClosed: Bool { !channel.isActive }

    func close() async {
        try? await channel.close()
    }
}

enum RawHTTP2Error: Error {
    case timedOut
    case connectionClosed
    case submitFailed
}

final class RawHTTP2Handler: ChannelInboundHandler, HTTP2SessionDelegate {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private final class Stream {
        var response = RawResponse()
        var body: [UInt8]
        var bodyIndex = 0
        let endStream: Bool
        let resetAfterBytes: Int?
        let continuation: CheckedContinuation<RawResponse, any Error>
        var sawResponseHeaders = false

        init(
            body: [UInt8], endStream: Bool, resetAfterBytes: Int?,
            continuation: CheckedContinuation<RawResponse, any Error>
        ) {
            self.body = body
            self.endStream = endStream
            self.resetAfterBytes = resetAfterBytes
            self.continuation = continuation
        }
    }

    private var session: HTTP2Session?
    private var context: ChannelHandlerContext?
    private var streams: [Int32: Stream] = [:]

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        session = try? HTTP2Session(role: .client, settings: HTTP2Session.Settings(), delegate: self)
        if context.channel.isActive { flush() }
    }

    func channelActive(context: ChannelHandlerContext) {
        flush()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { bytes throws(HTTP2SessionError) in try session?.receive(bytes) }
        } catch {
            failAll(error)
            context.close(promise: nil)
        }
        flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RawHTTP2Error.connectionClosed)
        context.fireChannelInactive()
    }

    func start(
        headers: [HTTP2Header],
        body: [UInt8],
        endStream: Bool,
        resetAfterBytes: Int?,
        continuation: CheckedContinuation<RawResponse, any Error>
    ) {
        guard let session, let id = try? session.submitRequest(headers: headers) else {
            continuation.resume(throwing: RawHTTP2Error.submitFailed)
            return
        }
        streams[id] = Stream(
            body: body, endStream: endStream, resetAfterBytes: resetAfterBytes, continuation: continuation)
        flush()
    }

    func failAll(_ error: any Error) {
        let pending = streams
        streams = [:]
        for stream in pending.values { stream.continuation.resume(throwing: error) }
    }

    private func flush() {
        guard let session, let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: 0)
        _ = try? session.send(limit: .max) { buffer.writeBytes($0) }
        if buffer.readableBytes > 0 { context.writeAndFlush(wrapOutboundOut(buffer), promise: nil) }
    }

    func sessionBeginHeaders(streamID: Int32, kind: HTTP2HeaderBlockKind) {}

    func sessionHeader(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let stream = streams[streamID] else { return true }
        let name = String(decoding: name, as: UTF8.self)
        let value = String(decoding: value, as: UTF8.self)
        if stream.sawResponseHeaders {
            stream.response.trailers[name] = value
        } else {
            stream.response.headers[name] = value
        }
        return true
    }

    func sessionHeadersComplete(streamID: Int32, kind: HTTP2HeaderBlockKind, endStream: Bool) {
        streams[streamID]?.sawResponseHeaders = true
    }

    func sessionData(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID] else { return }
        stream.response.data.append(contentsOf: bytes)
        if let limit = stream.resetAfterBytes, stream.response.data.count >= limit {
            session?.resetStream(streamID: streamID, errorCode: .cancel)
        }
    }

    func sessionDataEndStream(streamID: Int32) {}
    func sessionSentEndStream(streamID: Int32) {}

    func sessionStreamClosed(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        stream.response.closeCode = errorCode
        stream.continuation.resume(returning: stream.response)
    }

    func sessionReadBody(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer) -> HTTP2BodyRead {
        guard let stream = streams[streamID] else { return .end(0, endStream: true) }
        let count = min(buffer.count, stream.body.count - stream.bodyIndex)
        stream.body.withUnsafeBytes { source in
            buffer.copyMemory(
                from: UnsafeRawBufferPointer(rebasing: source[stream.bodyIndex..<(stream.bodyIndex + count)]))
        }
        stream.bodyIndex += count
        if stream.bodyIndex == stream.body.count {
            return stream.endStream ? .end(count, endStream: true) : (count > 0 ? .bytes(count) : .deferred)
        }
        return .bytes(count)
    }

    func sessionReceivedGoAway(lastStreamID: Int32, errorCode: UInt32) {}
}
