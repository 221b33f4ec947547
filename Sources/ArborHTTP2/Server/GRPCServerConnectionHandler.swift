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
    private var needsFlushAfterRead = false
    private let inbox = ServerCompletionInbox()
    private let dispatcher = ServerCallDispatcher()
    private var loopBoundSelf: NIOLoopBound<GRPCServerConnectionHandler>?
    private var flushScheduled = false
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
                    maxConcurrentStreams: UInt32(clamping: configuration.maxConcurrentStreams),
                    initialStreamWindowSize: UInt32(
                        clamping: min(configuration.initialStreamWindowSize, Int(Int32.max))),
                    connectionWindowSize: Int32(clamping: configuration.connectionWindowSize),
                    maxHeaderListSize: UInt32(clamping: configuration.maxHeaderListSize)
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
        needsFlushAfterRead = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlushAfterRead {
            needsFlushAfterRead = false
            flushOutput()
        }
        context.fireChannelReadComplete()
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
        loopBoundSelf = nil
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
        guard let stream = streams[streamID], let session, prepareMessage(stream) else {
            continuation.resume(throwing: RPCError(code: .cancelled, message: "stream closed"))
            return
        }
        stream.outbound.append(contentsOf: framed)
        counters.addQueued(framed.count)
        session.resumeBody(streamID: streamID)
        scheduleFlush()
        if isBelowHighWaterMark(stream) {
            continuation.resume()
        } else {
            stream.waitingWriter = continuation
        }
    }

    /// Applies every result handler tasks have left in the inbox, then writes their responses together.
    func drainCompletions() {
        for completion in inbox.takeAll() {
            complete(streamID: completion.streamID, outcome: completion.outcome)
        }
        flushOutput()
    }

    private func complete(streamID: Int32, outcome: Result<[UInt8]?, RPCError>) {
        guard let stream = streams[streamID] else { return }
        switch outcome {
        case .success(let message):
            if let message, prepareMessage(stream) {
                GRPCMessageFramer.append(message, to: &stream.outbound)
                counters.addQueued(message.count + GRPCMessageFramer.prefixLength)
            }
            finish(stream, status: .ok, message: "")
        case .failure(let error):
            finish(stream, status: error.code, message: error.message)
        }
    }

    /// Flushes once after the event loop has run the tasks already queued, so that the results of many calls
    /// completing together leave in one write.
    private func scheduleFlush() {
        guard !flushScheduled, let context else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            self.flushScheduled = false
            self.flushOutput()
        }
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

    /// Readies the stream for a response message: submits response HEADERS before the first. Returns `false`
    /// when the call has already ended and the message must be dropped.
    private func prepareMessage(_ stream: ServerStream) -> Bool {
        switch stream.call.sendMessage() {
        case .drop:
            return false
        case .continueResponse:
            return true
        case .startResponse:
            do {
                try session?.submitResponse(streamID: stream.id, block: .grpcResponseHeaders, hasBody: true)
            } catch {
                logger.warning("could not submit response headers", metadata: ["error": "\(error)"])
            }
            return true
        }
    }

    /// Ends the call with `status`: trailers after the queued body, or a Trailers-Only response.
    private func finish(_ stream: ServerStream, status: RPCStatus, message: String) {
        switch stream.call.finish() {
        case .drop: return
        case .trailers: sendStatus(stream, status: status, message: message, trailersOnly: false)
        case .trailersOnly: sendStatus(stream, status: status, message: message, trailersOnly: true)
        }
    }

    /// Carries out a decided status.
    private func sendStatus(_ stream: ServerStream, status: RPCStatus, message: String, trailersOnly: Bool) {
        guard let session else { return }
        stream.deadlineTimer?.cancel()
        stream.deadlineTimer = nil
        counters.record(status)
        // A handler blocked in send (its queue full) must not wait for a reader that may never come.
        if let writer = stream.waitingWriter {
            stream.waitingWriter = nil
            writer.resume(throwing: RPCError(code: .cancelled, message: "call already ended with \(status.name)"))
        }
        if !trailersOnly, status == .ok, message.isEmpty {
            stream.pendingTrailers = .ok
            session.resumeBody(streamID: stream.id)
            return
        }
        var trailers = [HTTP2Header("grpc-status", String(status.rawValue))]
        if !message.isEmpty { trailers.append(HTTP2Header("grpc-message", GRPCMessageEncoding.encode(message))) }
        if !trailersOnly {
            stream.pendingTrailers = .custom(trailers)
            session.resumeBody(streamID: stream.id)
            return
        }
        let headers = [HTTP2Header(":status", "200"), HTTP2Header("content-type", "application/grpc")] + trailers
        do {
            try session.submitResponse(streamID: stream.id, headers: headers, hasBody: false)
        } catch {
            logger.warning("could not submit Trailers-Only response", metadata: ["error": "\(error)"])
            session.resetStream(streamID: stream.id, errorCode: .internalError)
        }
    }

    /// Answers with a plain HTTP status and no body (the request is not gRPC).
    private func sendHTTPStatus(_ stream: ServerStream, _ code: Int) {
        guard let session else { return }
        do {
            try session.submitResponse(
                streamID: stream.id, headers: [HTTP2Header(":status", String(code))], hasBody: false)
        } catch {
            session.resetStream(streamID: stream.id, errorCode: .internalError)
        }
    }

    /// Cancels the stream's handler and fails a waiting writer; the stream is gone.
    private func abandon(_ stream: ServerStream, reason: String) {
        stream.deadlineTimer?.cancel()
        stream.deadlineTimer = nil
        stream.cancellation?.cancel()
        if let writer = stream.waitingWriter {
            stream.waitingWriter = nil
            writer.resume(throwing: RPCError(code: .cancelled, message: reason))
        }
        counters.addQueued(-stream.queuedBytes)
        stream.outbound = []
        stream.outboundIndex = 0
    }

    // MARK: Starting calls

    private func requestEnded(_ stream: ServerStream) {
        switch stream.call.requestEnd() {
        case .none:
            break
        case .fail(let status, let message):
            sendStatus(stream, status: status, message: message, trailersOnly: true)
        case .start(let method, let request, let message):
            start(stream, method: method, request: request, message: message)
        }
    }

    private func start(
        _ stream: ServerStream,
        method: RPCRouter.Method,
        request: GRPCRequestHead.Validated,
        message: [UInt8]
    ) {
        guard let context else { return }
        let rpcContext = RPCContext(
            path: request.path,
            deadline: stream.deadline,
            metadata: request.metadata,
            remoteAddress: remoteAddress,
            logger: logger
        )
        if loopBoundSelf == nil { loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop) }
        let sink = ServerStreamSink(
            eventLoop: context.eventLoop,
            connection: loopBoundSelf!,
            streamID: stream.id,
            inbox: inbox
        )
        let cancellation = ServerCallCancellation()
        stream.cancellation = cancellation
        dispatcher.start(
            ServerCallDispatcher.PendingCall(
                method: method,
                message: message,
                context: rpcContext,
                sink: sink,
                cancellation: cancellation
            )
        )
    }

    private func armDeadline(_ stream: ServerStream, timeout: GRPCTimeout) {
        guard let context else { return }
        stream.deadline = .now + timeout.duration
        let streamID = stream.id
        stream.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(
            in: .nanoseconds(Int64(timeout.duration.nanosecondsClamped))
        ) { [self] in
            guard let stream = self.streams[streamID], !stream.call.hasResponded else { return }
            stream.cancellation?.cancel()
            self.finish(stream, status: .deadlineExceeded, message: "deadline exceeded")
            self.flushOutput()
        }
    }
}

// MARK: - nghttp2 events

extension GRPCServerConnectionHandler: HTTP2SessionDelegate {
    func sessionBeginHeaders(streamID: Int32, kind: HTTP2HeaderBlockKind) {
        guard kind == .request else { return }
        streams[streamID] = ServerStream(id: streamID, maximumHeaderListSize: configuration.maxHeaderListSize)
        idleTimer?.cancel()
        idleTimer = nil
    }

    func sessionHeader(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        streams[streamID]?.call.receiveHeader(name: name, value: value)
        return true
    }

    func sessionHeadersComplete(streamID: Int32, kind: HTTP2HeaderBlockKind, endStream: Bool) {
        guard let stream = streams[streamID] else { return }
        if kind == .request {
            let router = router
            switch stream.call.headersComplete(
                maximumMessageSize: max(0, configuration.maxReceiveMessageSize),
                lookup: { router.methods[$0] }
            ) {
            case .rejectHTTP(let code):
                sendHTTPStatus(stream, code)
            case .fail(let status, let message):
                sendStatus(stream, status: status, message: message, trailersOnly: true)
            case .accept(let timeout):
                if let timeout { armDeadline(stream, timeout: timeout) }
            }
        }
        if endStream { requestEnded(stream) }
    }

    func sessionData(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID] else { return }
        if let (status, message) = stream.call.receiveData(bytes) {
            // Answer at once (e.g. a prefix over the limit): the body is never buffered.
            sendStatus(stream, status: status, message: message, trailersOnly: true)
        }
    }

    func sessionDataEndStream(streamID: Int32) {
        guard let stream = streams[streamID] else { return }
        requestEnded(stream)
    }

    func sessionSentEndStream(streamID: Int32) {
        // The response is complete but the client is still sending: tell it to stop (RFC 9113 §8.1).
        guard let stream = streams[streamID], !stream.call.requestEnded, let session else { return }
        session.resetStream(streamID: streamID, errorCode: .noError)
    }

    func sessionStreamClosed(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        if !stream.call.hasResponded {
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
                switch trailers {
                case .ok: try session.submitTrailers(streamID: streamID, block: .okTrailers)
                case .custom(let headers): try session.submitTrailers(streamID: streamID, headers: headers)
                }
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
