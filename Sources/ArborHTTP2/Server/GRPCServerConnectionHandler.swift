import ArborLogging
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
    private let eventLog: RateLimitedLog
    private var logger: Logger

    private var session: HTTP2Session?
    private var context: ChannelHandlerContext?
    private var streams: [Int32: ServerStream] = [:]
    private var remoteAddress: String?
    private var idleTimer: Scheduled<Void>?
    /// Open, draining or closing.
    private var lifecycle = ServerConnectionStateMachine()
    private let output = HTTP2OutputPump()
    private var needsFlushAfterRead = false
    private let inbox = ServerCompletionInbox()
    private let dispatcher: ServerCallDispatcher
    private var loopBoundSelf: NIOLoopBound<GRPCServerConnectionHandler>?
    private var flushScheduled = false
    /// Output bytes per flush round; keeps one connection from monopolising the loop.
    private let sendChunkLimit = 256 * 1024
    /// Handlers started for this connection and not yet finished, including those of streams since reset.
    private var runningCalls = 0
    /// Client resets of streams whose handler had started.
    private var resetBudget: TokenBucket
    /// WINDOW_UPDATE and PRIORITY frames.
    private var controlFrameBudget: TokenBucket
    /// Checks the request and send timeouts of every stream.
    private var timeoutTicker: RepeatedTask?
    /// Since when the socket has not been writable, while it is not.
    private var unwritableSince: ContinuousClock.Instant?

    init(
        configuration: GRPCServerConfiguration, router: RPCRouter, counters: GRPCServerCounters,
        eventLog: RateLimitedLog, logger: Logger
    ) {
        self.configuration = configuration
        self.router = router
        self.counters = counters
        self.eventLog = eventLog
        self.logger = logger
        self.dispatcher = ServerCallDispatcher(counters: counters)
        let now = ContinuousClock.now
        resetBudget = TokenBucket(
            capacity: configuration.resetBudget, refillPerSecond: configuration.resetRefillPerSecond, now: now)
        controlFrameBudget = TokenBucket(
            capacity: 2 * configuration.maxControlFramesPerSecond,
            refillPerSecond: configuration.maxControlFramesPerSecond, now: now)
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

    private func connectionStarted() {
        guard lifecycle.activate() else { return }
        armIdleTimer()
        startTimeoutTicker()
        flushOutput()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let session, !lifecycle.isClosing else { return }
        let buffer = unwrapInboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { bytes throws(HTTP2SessionError) in try session.receive(bytes) }
        } catch {
            // A fatal protocol error (bad preface, flood, ...): nghttp2 may have queued a GOAWAY; send it, close.
            counters.recordDefence(.protocolError)
            eventLog.log(
                logger, level: .info, kind: "http2-error", "closing connection after HTTP/2 error",
                metadata: ["error": "\(error)"])
            flushOutput()
            closeConnection()
            return
        }
        if let violation = session.violation, !reportedViolation {
            reportedViolation = true
            let defence: GRPCServer.Defence = violation.contains("flood") ? .controlFrames : .protocolError
            counters.recordDefence(defence)
            eventLog.log(
                logger, level: .info, kind: defence.rawValue, "closing connection: \(violation)",
                metadata: ["peer": "\(remoteAddress ?? "?")"])
        }
        needsFlushAfterRead = true
    }

    private var reportedViolation = false

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlushAfterRead {
            needsFlushAfterRead = false
            flushOutput()
        }
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            unwritableSince = nil
            flushOutput()
            for stream in streams.values { resumeWriterIfDrained(stream) }
        } else if unwritableSince == nil {
            unwritableSince = .now
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
        timeoutTicker?.cancel()
        timeoutTicker = nil
        for stream in streams.values { abandon(stream, reason: "connection closed") }
        streams = [:]
    }

    // MARK: Graceful shutdown and idleness

    /// Starts a graceful shutdown: a GOAWAY notice, then the final GOAWAY shortly after; the connection closes once
    /// its streams finish.
    func beginGracefulShutdown() {
        guard let session, let context, lifecycle.beginDraining() else { return }
        session.submitShutdownNotice()
        flushOutput()
        // One round trip lets requests already in flight arrive before the final GOAWAY names the last stream.
        context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(50)) { [self] in
            guard let session = self.session, !self.lifecycle.isClosing else { return }
            session.submitGoAway(errorCode: .noError)
            self.flushOutput()
            if self.streams.isEmpty { self.closeConnection() }
        }
    }

    /// Closes the connection now, cancelling whatever still runs.
    func forceClose() {
        guard let context else { return }
        _ = lifecycle.requestClose(outputRunning: false)
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
        guard let context, lifecycle.requestClose(outputRunning: output.isRunning) == .closeNow else { return }
        idleTimer?.cancel()
        let channel = context.channel
        let emptyBuffer = channel.allocator.buffer(capacity: 0)
        // A peer that does not read never lets the last write complete: the close is forced after a while.
        let counters = counters
        let forced = context.eventLoop.scheduleTask(in: .nanoseconds(configuration.closeTimeout.nanosecondsClamped)) {
            counters.recordDefence(.forcedClose)
            channel.close(promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(emptyBuffer)).whenComplete { _ in
            forced.cancel()
            channel.close(promise: nil)
        }
    }

    // MARK: Output

    /// Moves frames from nghttp2 to the socket while the channel is writable.
    private func flushOutput() {
        guard let session, let context, !lifecycle.isClosing else { return }
        switch output.pump(session, to: context) {
        case .deferred:
            return
        case .failed(let error):
            eventLog.log(
                logger, level: .info, kind: "http2-send-error", "closing connection after HTTP/2 send error",
                metadata: ["error": "\(error)"])
            closeConnection()
        case .flushed:
            if lifecycle.owesClose || !session.isAlive { closeConnection() }
        }
    }

    // MARK: Calls from handler tasks (already on the event loop)

    func enqueue(_ framed: [UInt8], streamID: Int32, continuation: CheckedContinuation<Void, any Error>) {
        guard let stream = streams[streamID], let session, prepareMessage(stream) else {
            continuation.resume(throwing: RPCError(code: .cancelled, message: "stream closed"))
            return
        }
        if stream.queuedBytes == 0 { stream.lastSendProgress = .now }
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
            runningCalls -= 1
            complete(streamID: completion.streamID, outcome: completion.outcome)
        }
        flushOutput()
    }

    private func complete(streamID: Int32, outcome: Result<[UInt8]?, RPCError>) {
        guard let stream = streams[streamID] else { return }
        switch outcome {
        case .success(let message):
            if let message, !stream.call.hasResponded {
                let framedCount = message.count + GRPCMessageFramer.prefixLength
                guard
                    framedCount <= GRPCServerConfiguration.smallResponseAllowance
                        || counters.queuedResponseBytes.load(ordering: .relaxed) + framedCount
                            <= configuration.responseQueueBudget
                else {
                    counters.recordDefence(.responseQueueBudget)
                    eventLog.log(
                        logger, level: .warning, kind: "response-queue-budget",
                        "response refused: queued response bytes at their budget",
                        metadata: ["budget": "\(configuration.responseQueueBudget)"])
                    finish(
                        stream, status: .resourceExhausted,
                        message: "the server has too many unsent response bytes queued for slow readers; retry later")
                    return
                }
                if prepareMessage(stream) {
                    if stream.queuedBytes == 0 { stream.lastSendProgress = .now }
                    GRPCMessageFramer.append(message, to: &stream.outbound)
                    counters.addQueued(framedCount)
                }
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
        // A stream with little queued goes on even when slow readers hold the shared budget.
        stream.queuedBytes <= configuration.streamHighWaterMark && (context?.channel.isWritable ?? false)
            && (stream.queuedBytes <= GRPCServerConfiguration.smallResponseAllowance
                || counters.queuedResponseBytes.load(ordering: .relaxed) <= configuration.responseQueueBudget)
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
        releaseRequestBytes(stream)
    }

    private func releaseRequestBytes(_ stream: ServerStream) {
        counters.releaseRequestBytes(Self.beyondAllowance(stream.requestBytesHeld))
        stream.requestBytesHeld = 0
    }

    /// Bytes of a request body that count against the shared budget.
    private static func beyondAllowance(_ held: Int) -> Int {
        max(0, held - GRPCServerConfiguration.smallRequestAllowance)
    }

    /// Resets a stream from the server's side (its close is then not counted against the client).
    private func resetStream(_ stream: ServerStream, _ code: HTTP2ErrorCode) {
        stream.resetByServer = true
        session?.resetStream(streamID: stream.id, errorCode: code)
    }

    // MARK: Starting calls

    private func requestEnded(_ stream: ServerStream) {
        switch stream.call.requestEnd() {
        case .none:
            break
        case .fail(let status, let message):
            sendStatus(stream, status: status, message: message, trailersOnly: true)
        case .start(let method, let request, let message):
            releaseRequestBytes(stream)
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
        if case .inline(let handler) = method {
            complete(streamID: stream.id, outcome: Result { () throws(RPCError) in try handler(message, rpcContext) })
            return
        }
        // Admission: a connection's handlers (reset ones included) and the server's are bounded, so neither rapid
        // resets nor many connections can pile up work. Refused before it starts, a call is safe to retry.
        guard runningCalls < configuration.maxCallsPerConnection else {
            counters.recordDefence(.callsPerConnection)
            eventLog.log(
                logger, level: .info, kind: "calls-per-connection", "stream refused: connection at its call limit",
                metadata: ["limit": "\(configuration.maxCallsPerConnection)"])
            finishRefused(stream)
            return
        }
        guard counters.claimCall(limit: configuration.maxCalls) else {
            counters.recordDefence(.calls)
            eventLog.log(
                logger, level: .warning, kind: "calls", "call refused: server at its call limit",
                metadata: ["limit": "\(configuration.maxCalls)"])
            finish(
                stream, status: .resourceExhausted,
                message: "the server is at its limit of calls in progress; retry later")
            return
        }
        runningCalls += 1
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
                cancellation: cancellation,
                executor: router.executors[request.path]
            )
        )
    }

    /// Refuses a stream whose call never started: RST_STREAM REFUSED_STREAM tells the client it may retry.
    private func finishRefused(_ stream: ServerStream) {
        _ = stream.call.finish()
        stream.deadlineTimer?.cancel()
        stream.deadlineTimer = nil
        counters.record(.unavailable)
        resetStream(stream, .refusedStream)
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
        streams[streamID] = ServerStream(
            id: streamID, maximumHeaderListSize: configuration.maxHeaderListSize, now: .now)
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
        guard let stream = streams[streamID], stream.call.isReceivingRequest else { return }
        // Bodies being received count against one server-wide budget, so many slow uploads cannot fill memory; the
        // first few KiB of each are exempt, so small requests pass while large ones hold the budget.
        let charged =
            Self.beyondAllowance(stream.requestBytesHeld + bytes.count)
            - Self.beyondAllowance(stream.requestBytesHeld)
        guard charged == 0 || counters.reserveRequestBytes(charged, budget: configuration.requestBodyBudget) else {
            counters.recordDefence(.requestBodyBudget)
            eventLog.log(
                logger, level: .warning, kind: "request-body-budget",
                "request refused: buffered request bodies at their budget",
                metadata: ["budget": "\(configuration.requestBodyBudget)"])
            stream.resetAfterResponse = true
            releaseRequestBytes(stream)
            finish(
                stream, status: .resourceExhausted,
                message: "the server is buffering too many request bodies; retry later")
            return
        }
        stream.requestBytesHeld += bytes.count
        if let (status, message) = stream.call.receiveData(bytes) {
            // Answer at once (e.g. a prefix over the limit): the body is never buffered, and the client must stop.
            stream.resetAfterResponse = true
            releaseRequestBytes(stream)
            sendStatus(stream, status: status, message: message, trailersOnly: true)
        }
    }

    func sessionDataEndStream(streamID: Int32) {
        guard let stream = streams[streamID] else { return }
        requestEnded(stream)
    }

    func sessionSentEndStream(streamID: Int32) {
        // The response is complete but the client is still sending. When its body broke a limit, tell it to stop
        // (RFC 9113 §8.1); otherwise let it finish (some clients treat an early reset as a failure and drop the
        // response), within the request timeout.
        guard let stream = streams[streamID], !stream.call.requestEnded, stream.resetAfterResponse else { return }
        resetStream(stream, .noError)
    }

    func sessionStreamClosed(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        if stream.call.isRunning, !stream.resetByServer {
            // The client reset a call whose handler runs. That is legitimate now and then (a client-side deadline,
            // a cancel); a flood of them is the rapid-reset attack: work started and thrown away.
            if !resetBudget.take(now: .now) { resetBudgetExhausted() }
        }
        abandon(stream, reason: "stream reset by client")
        if streams.isEmpty {
            if lifecycle.isDraining {
                // Runs inside nghttp2 (receiving or sending): close once the current output has been written.
                lifecycle.closeOnceOutputIsWritten()
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
            stream.lastSendProgress = .now
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

    func sessionReceivedControlFrame() -> Bool {
        controlFrameBudget.take(now: .now)
    }
}

// MARK: - Budgets and timeouts

extension GRPCServerConnectionHandler {
    /// The client reset more running calls than its budget allows: GOAWAY ENHANCE_YOUR_CALM, then close.
    private func resetBudgetExhausted() {
        guard let session, lifecycle.beginDraining() else { return }
        counters.recordDefence(.resetBudget)
        eventLog.log(
            logger, level: .warning, kind: "reset-budget",
            "closing connection: too many reset streams with running calls (rapid reset)",
            metadata: ["peer": "\(remoteAddress ?? "?")", "budget": "\(configuration.resetBudget)"])
        session.terminate(errorCode: .enhanceYourCalm)
        // Runs inside nghttp2: the GOAWAY goes out with the current output, then the connection closes.
        lifecycle.closeOnceOutputIsWritten()
    }

    /// Checks every stream's request and send timeouts, a socket that stays unwritable, and writers waiting for
    /// the server-wide response budget, a few times per timeout.
    func startTimeoutTicker() {
        guard let context else { return }
        let shortest = min(configuration.requestTimeout, configuration.sendTimeout)
        let interval = max(.milliseconds(20), min(.seconds(1), shortest / 4))
        let nanoseconds = interval.nanosecondsClamped
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timeoutTicker = context.eventLoop.scheduleRepeatedTask(
            initialDelay: .nanoseconds(nanoseconds), delay: .nanoseconds(nanoseconds)
        ) { _ in loopBound.value.checkTimeouts(now: .now) }
    }

    private func checkTimeouts(now: ContinuousClock.Instant) {
        guard !lifecycle.isClosing, let context else { return }
        for stream in Array(streams.values) {
            if !stream.call.requestEnded, stream.openedAt.duration(to: now) > configuration.requestTimeout {
                requestTimedOut(stream)
            } else if stream.queuedBytes > 0 || stream.pendingTrailers != nil,
                stream.lastSendProgress.duration(to: now) > configuration.sendTimeout
            {
                sendTimedOut(stream)
            } else {
                resumeWriterIfDrained(stream)
            }
        }
        if let since = unwritableSince, !context.channel.isWritable, since.duration(to: now) > configuration.sendTimeout
        {
            counters.recordDefence(.sendTimeout)
            eventLog.log(
                logger, level: .info, kind: "send-timeout", "closing connection: the peer has stopped reading",
                metadata: ["peer": "\(remoteAddress ?? "?")"])
            closeConnection()
            return
        }
        flushOutput()
    }

    private func requestTimedOut(_ stream: ServerStream) {
        counters.recordDefence(.requestTimeout)
        eventLog.log(
            logger, level: .info, kind: "request-timeout", "request did not arrive in time",
            metadata: ["peer": "\(remoteAddress ?? "?")", "timeout": "\(configuration.requestTimeout)"])
        if stream.call.isReceivingHeaders {
            // A header block that never ends blocks the whole connection (nothing else may be sent in between).
            session?.terminate(errorCode: .enhanceYourCalm)
            flushOutput()
            closeConnection()
            return
        }
        releaseRequestBytes(stream)
        if stream.call.hasResponded {
            // Answered already; the client is still uploading. Once the answer is out, stop the upload.
            if stream.queuedBytes == 0, stream.pendingTrailers == nil { resetStream(stream, .noError) }
            return
        }
        stream.resetAfterResponse = true
        stream.cancellation?.cancel()
        finish(
            stream, status: .deadlineExceeded,
            message: "the request did not finish arriving within \(configuration.requestTimeout)")
    }

    private func sendTimedOut(_ stream: ServerStream) {
        counters.recordDefence(.sendTimeout)
        eventLog.log(
            logger, level: .info, kind: "stream-send-timeout", "resetting a stream whose reader stopped reading",
            metadata: ["peer": "\(remoteAddress ?? "?")", "timeout": "\(configuration.sendTimeout)"])
        _ = stream.call.finish()
        counters.record(.cancelled)
        resetStream(stream, .cancel)
        abandon(stream, reason: "the client stopped reading")
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
