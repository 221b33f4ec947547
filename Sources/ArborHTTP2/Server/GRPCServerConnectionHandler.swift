import ArborWire
import Logging
import NIOCore

/// Serves gRPC on one HTTP/2 connection: owns the connection's ``HTTP2Session``, turns its events into calls on
/// the ``RPCRouter``'s handlers (run as tasks off the event loop), and carries their results back.
final class GRPCServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let configuration: GRPCServerConfiguration
    private let router: RPCRouter
    private let counters: GRPCServerCounters
    private var logger: Logger

    private var session: HTTP2Session?
    private var context: ChannelHandlerContext?
    private var streams: [Int32: ServerStream] = [:]
    private var remoteAddress: String?
    private var idleTimer: Scheduled<Void>?
    private var isDraining = false
    private var isClosing = false
    private var isFlushing = false
    private var closeAfterFlush = false
    /// Output bytes per flush round; keeps one connection from monopolising the loop.
    private let sendChunkLimit = 256 * 1024

    init(configuration: GRPCServerConfiguration, router: RPCRouter, counters: GRPCServerCounters, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.counters = counters
        self.logger = logger
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        remoteAddress = context.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" }
        logger[metadataKey: "peer"] = "\(remoteAddress ?? "?")"
        do {
            session = try HTTP2Session(
                role: .server,
                settings: HTTP2Session.Settings(
                    maxConcurrentStreams: UInt32(configuration.maxConcurrentStreams),
                    initialStreamWindowSize: UInt32(configuration.initialStreamWindowSize),
                    connectionWindowSize: Int32(configuration.connectionWindowSize),
                    maxHeaderListSize: UInt32(configuration.maxHeaderListSize)
                ),
                delegate: self
            )
        } catch {
            logger.error("could not create HTTP/2 session", metadata: ["error": "\(error)"])
            context.close(promise: nil)
            return
        }
        if context.channel.isActive { connectionStarted() }
    }

    func channelActive(context: ChannelHandlerContext) {
        connectionStarted()
        context.fireChannelActive()
    }

    private var started = false
    private func connectionStarted() {
        guard !started else { return }
        started = true
        armIdleTimer()
        flushOutput()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let session, !isClosing else { return }
        let buffer = unwrapInboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { bytes throws(HTTP2SessionError) in try session.receive(bytes) }
        } catch {
            // A fatal protocol error (bad preface, flood, ...): nghttp2 may have queued a GOAWAY; send it, close.
            logger.info("closing connection after HTTP/2 error", metadata: ["error": "\(error)"])
            flushOutput()
            closeConnection()
            return
        }
        flushOutput()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            flushOutput()
            for stream in streams.values { resumeWriterIfDrained(stream) }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        tearDown()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        tearDown()
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["error": "\(error)"])
        closeConnection()
    }

    private func tearDown() {
        idleTimer?.cancel()
        idleTimer = nil
        for stream in streams.values { abandon(stream, reason: "connection closed") }
        streams = [:]
    }

    // MARK: Graceful shutdown and idleness

    /// Starts a graceful shutdown: a GOAWAY notice, then the final GOAWAY shortly after; the connection closes once
    /// its streams finish.
    func beginGracefulShutdown() {
        guard !isDraining, let session, let context else { return }
        isDraining = true
        session.submitShutdownNotice()
        flushOutput()
        // One round trip lets requests already in flight arrive before the final GOAWAY names the last stream.
        context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(50)) { [self] in
            guard let session = self.session, !self.isClosing else { return }
            session.submitGoAway(errorCode: .noError)
            self.flushOutput()
            if self.streams.isEmpty { self.closeConnection() }
        }
    }

    /// Closes the connection now, cancelling whatever still runs.
    func forceClose() {
        guard let context else { return }
        isClosing = true
        context.close(promise: nil)
    }

    private func armIdleTimer() {
        idleTimer?.cancel()
        idleTimer = nil
        guard let timeout = configuration.idleTimeout, let context, streams.isEmpty else { return }
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(timeout.nanosecondsClamped)))
        {
            [self] in
            guard self.streams.isEmpty else { return }
            self.logger.debug("closing idle connection")
            self.session?.terminate(errorCode: .noError)
            self.flushOutput()
            self.closeConnection()
        }
    }

    /// Closes the connection once everything already written has gone out. Safe to call from inside nghttp2
    /// callbacks: while output is being produced, the close waits until that output is written.
    private func closeConnection() {
        guard !isClosing, let context else { return }
        if isFlushing {
            closeAfterFlush = true
            return
        }
        isClosing = true
        idleTimer?.cancel()
        let channel = context.channel
        let emptyBuffer = channel.allocator.buffer(capacity: 0)
        context.writeAndFlush(wrapOutboundOut(emptyBuffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    // MARK: Output

    /// Moves frames from nghttp2 to the socket while the channel is writable.
    private func flushOutput() {
        guard let session, let context, !isFlushing, !isClosing else { return }
        isFlushing = true
        var failed = false
        while context.channel.isWritable {
            var buffer = context.channel.allocator.buffer(capacity: 0)
            let produced: Int
            do {
                produced = try session.send(limit: sendChunkLimit) { buffer.writeBytes($0) }
            } catch {
                logger.info("closing connection after HTTP/2 send error", metadata: ["error": "\(error)"])
                failed = true
                break
            }
            if buffer.readableBytes > 0 { context.write(wrapOutboundOut(buffer), promise: nil) }
            if produced < sendChunkLimit { break }
        }
        context.flush()
        isFlushing = false
        if failed || closeAfterFlush || !session.isAlive { closeConnection() }
    }

    // MARK: Calls from handler tasks (already on the event loop)

    func enqueue(_ framed: [UInt8], streamID: Int32, continuation: CheckedContinuation<Void, any Error>) {
        guard let stream = streams[streamID], !stream.hasResponded, let session else {
            continuation.resume(throwing: RPCError(code: .cancelled, message: "stream closed"))
            return
        }
        startResponse(stream)
        stream.outbound.append(contentsOf: framed)
        counters.addQueued(framed.count)
        session.resumeBody(streamID: streamID)
        flushOutput()
        if isBelowHighWaterMark(stream) {
            continuation.resume()
        } else {
            stream.waitingWriter = continuation
        }
    }

    func complete(streamID: Int32, outcome: Result<[UInt8]?, RPCError>) {
        guard let stream = streams[streamID], !stream.hasResponded else { return }
        switch outcome {
        case .success(let message):
            if let message {
                startResponse(stream)
                let framed = GRPCMessageFramer.frame(message)
                stream.outbound.append(contentsOf: framed)
                counters.addQueued(framed.count)
            }
            finish(stream, status: .ok, message: "")
        case .failure(let error):
            finish(stream, status: error.code, message: error.message)
        }
        flushOutput()
    }

    private func isBelowHighWaterMark(_ stream: ServerStream) -> Bool {
        stream.queuedBytes <= configuration.streamHighWaterMark && (context?.channel.isWritable ?? false)
    }

    private func resumeWriterIfDrained(_ stream: ServerStream) {
        guard let writer = stream.waitingWriter, isBelowHighWaterMark(stream) else { return }
        stream.waitingWriter = nil
        writer.resume()
    }

    // MARK: Responses

    private func startResponse(_ stream: ServerStream) {
        guard !stream.responseStarted, let session else { return }
        stream.responseStarted = true
        do {
            try session.submitResponse(
                streamID: stream.id,
                headers: [HTTP2Header(":status", "200"), HTTP2Header("content-type", "application/grpc")],
                hasBody: true
            )
        } catch {
            logger.warning("could not submit response headers", metadata: ["error": "\(error)"])
        }
    }

    /// Decides the call's status: trailers after the queued body, or a Trailers-Only response.
    private func finish(_ stream: ServerStream, status: RPCStatus, message: String) {
        guard !stream.hasResponded, let session else { return }
        stream.phase = .responded
        stream.deadlineTimer?.cancel()
        stream.deadlineTimer = nil
        counters.record(status)
        var trailers = [HTTP2Header("grpc-status", String(status.rawValue))]
        if !message.isEmpty { trailers.append(HTTP2Header("grpc-message", GRPCMessageEncoding.encode(message))) }
        if stream.responseStarted {
            stream.pendingTrailers = trailers
            session.resumeBody(streamID: stream.id)
        } else {
            stream.responseStarted = true
            let headers =
                [HTTP2Header(":status", "200"), HTTP2Header("content-type", "application/grpc")] + trailers
            do {
                try session.submitResponse(streamID: stream.id, headers: headers, hasBody: false)
            } catch {
                logger.warning("could not submit Trailers-Only response", metadata: ["error": "\(error)"])
                session.resetStream(streamID: stream.id, errorCode: .internalError)
            }
        }
    }

    private func reject(_ stream: ServerStream, _ rejection: GRPCRequestHead.Rejection) {
        switch rejection {
        case .httpStatus(let code):
            guard let session else { return }
            stream.phase = .responded
            stream.responseStarted = true
            do {
                try session.submitResponse(
                    streamID: stream.id,
                    headers: [HTTP2Header(":status", String(code))],
                    hasBody: false
                )
            } catch {
                session.resetStream(streamID: stream.id, errorCode: .internalError)
            }
        case .status(let status, let message):
            finish(stream, status: status, message: message)
        }
    }

    /// Cancels the stream's handler and fails a waiting writer; the stream is gone.
    private func abandon(_ stream: ServerStream, reason: String) {
        stream.deadlineTimer?.cancel()
        stream.deadlineTimer = nil
        stream.task?.cancel()
        if let writer = stream.waitingWriter {
            stream.waitingWriter = nil
            writer.resume(throwing: RPCError(code: .cancelled, message: reason))
        }
        counters.addQueued(-stream.queuedBytes)
        stream.outbound = []
        stream.outboundIndex = 0
    }

    // MARK: Starting calls

    private func requestComplete(_ stream: ServerStream) {
        guard case .receivingRequest(let method, let request) = stream.phase else { return }
        do throws(RPCError) {
            try stream.deframer.finish()
        } catch {
            finish(stream, status: error.code, message: error.message)
            return
        }
        guard stream.requestMessages.count == 1 else {
            let message =
                stream.requestMessages.isEmpty
                ? "request stream ended without a message" : "unary request carried more than one message"
            finish(stream, status: .internal, message: message)
            return
        }
        start(stream, method: method, request: request, message: stream.requestMessages.removeFirst())
    }

    private func start(
        _ stream: ServerStream,
        method: RPCRouter.Method,
        request: GRPCRequestHead.Validated,
        message: [UInt8]
    ) {
        guard let context else { return }
        stream.phase = .running
        var callLogger = logger
        callLogger[metadataKey: "rpc"] = "\(request.path)"
        callLogger[metadataKey: "stream"] = "\(stream.id)"
        let rpcContext = RPCContext(
            path: request.path,
            deadline: stream.deadline,
            metadata: request.metadata.map { (name: $0.name, value: $0.value) },
            remoteAddress: remoteAddress,
            logger: callLogger
        )
        let sink = ServerStreamSink(
            eventLoop: context.eventLoop,
            connection: NIOLoopBound(self, eventLoop: context.eventLoop),
            streamID: stream.id
        )
        stream.task = Task {
            let outcome: Result<[UInt8]?, RPCError>
            do {
                switch method {
                case .unary(let handler):
                    outcome = .success(try await handler(message, rpcContext))
                case .serverStreaming(let handler):
                    try await handler(message, rpcContext, sink)
                    outcome = .success(nil)
                }
            } catch {
                outcome = .failure(RPCError.mapping(handlerError: error, context: rpcContext))
            }
            sink.complete(outcome)
        }
    }

    private func armDeadline(_ stream: ServerStream, timeout: GRPCTimeout) {
        guard let context else { return }
        stream.deadline = .now + timeout.duration
        let streamID = stream.id
        stream.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(
            in: .nanoseconds(Int64(timeout.duration.nanosecondsClamped))
        ) { [self] in
            guard let stream = self.streams[streamID], !stream.hasResponded else { return }
            stream.task?.cancel()
            self.finish(stream, status: .deadlineExceeded, message: "deadline exceeded")
            self.flushOutput()
        }
    }
}

// MARK: - nghttp2 events

extension GRPCServerConnectionHandler: HTTP2SessionDelegate {
    func sessionBeginHeaders(streamID: Int32, kind: HTTP2HeaderBlockKind) {
        guard kind == .request else { return }
        streams[streamID] = ServerStream(
            id: streamID,
            maximumHeaderListSize: configuration.maxHeaderListSize,
            maximumMessageSize: configuration.maxReceiveMessageSize
        )
        idleTimer?.cancel()
        idleTimer = nil
    }

    func sessionHeader(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let stream = streams[streamID], case .receivingHeaders = stream.phase else { return true }
        stream.head.add(name: name, value: value)
        return true
    }

    func sessionHeadersComplete(streamID: Int32, kind: HTTP2HeaderBlockKind, endStream: Bool) {
        guard let stream = streams[streamID] else { return }
        if case .receivingHeaders = stream.phase {
            switch stream.head.validate() {
            case .failure(let rejection):
                reject(stream, rejection)
            case .success(let request):
                if let method = router.methods[request.path] {
                    stream.phase = .receivingRequest(method, request)
                    if let timeout = request.timeout { armDeadline(stream, timeout: timeout) }
                } else {
                    finish(stream, status: .unimplemented, message: "unknown method \(request.path)")
                }
            }
        }
        if endStream {
            stream.requestEnded = true
            requestComplete(stream)
        }
    }

    func sessionData(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID], case .receivingRequest = stream.phase else { return }
        do throws(RPCError) {
            stream.requestMessages.append(contentsOf: try stream.deframer.consume(bytes))
            if stream.requestMessages.count > 1 {
                finish(stream, status: .internal, message: "unary request carried more than one message")
            }
        } catch {
            // Answer at once (e.g. a prefix over the limit): the body is never buffered.
            finish(stream, status: error.code, message: error.message)
        }
    }

    func sessionDataEndStream(streamID: Int32) {
        guard let stream = streams[streamID] else { return }
        stream.requestEnded = true
        requestComplete(stream)
    }

    func sessionSentEndStream(streamID: Int32) {
        // The response is complete but the client is still sending: tell it to stop (RFC 9113 §8.1).
        guard let stream = streams[streamID], !stream.requestEnded, let session else { return }
        session.resetStream(streamID: streamID, errorCode: .noError)
    }

    func sessionStreamClosed(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        if !stream.hasResponded {
            logger.debug("stream reset by peer", metadata: ["stream": "\(streamID)", "code": "\(errorCode)"])
        }
        abandon(stream, reason: "stream reset by client")
        if streams.isEmpty {
            if isDraining {
                // Runs inside nghttp2 (receiving or sending): close once the current output has been written.
                closeAfterFlush = true
            } else {
                armIdleTimer()
            }
        }
    }

    func sessionReadBody(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer) -> HTTP2BodyRead {
        guard let stream = streams[streamID] else { return .end(0, endStream: true) }
        let count = min(buffer.count, stream.queuedBytes)
        if count > 0 {
            stream.outbound.withUnsafeBytes { source in
                buffer.copyMemory(
                    from: UnsafeRawBufferPointer(
                        rebasing: source[stream.outboundIndex..<(stream.outboundIndex + count)])
                )
            }
            stream.outboundIndex += count
            counters.addQueued(-count)
            if stream.outboundIndex == stream.outbound.count {
                stream.outbound.removeAll(keepingCapacity: true)
                stream.outboundIndex = 0
            } else if stream.outboundIndex > 64 * 1024 {
                stream.outbound.removeFirst(stream.outboundIndex)
                stream.outboundIndex = 0
            }
            resumeWriterIfDrained(stream)
        }
        if stream.queuedBytes == 0, let trailers = stream.pendingTrailers, let session {
            stream.pendingTrailers = nil
            do {
                try session.submitTrailers(streamID: streamID, headers: trailers)
                return .end(count, endStream: false)
            } catch {
                logger.warning("could not submit trailers", metadata: ["error": "\(error)"])
                return .end(count, endStream: true)
            }
        }
        return count > 0 ? .bytes(count) : .deferred
    }

    func sessionReceivedGoAway(lastStreamID: Int32, errorCode: UInt32) {
        logger.debug("client sent GOAWAY", metadata: ["code": "\(errorCode)"])
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to the range of `Int64`.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        if seconds >= Int64.max / 1_000_000_000 { return .max }
        if seconds < 0 { return 0 }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
