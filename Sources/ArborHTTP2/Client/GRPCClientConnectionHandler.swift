import ArborWire
import NIOCore

/// The client side of one HTTP/2 connection: owns its ``HTTP2Session`` and its calls.
final class GRPCClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let authority: String
    private var session: HTTP2Session?
    private var context: ChannelHandlerContext?
    private var calls: [Int32: ClientCall] = [:]
    private var callsByToken: [UInt64: ClientCall] = [:]
    private var closedError: RPCError?
    private let output = HTTP2OutputPump()

    init(authority: String) {
        self.authority = authority
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        do {
            var settings = HTTP2Session.Settings()
            settings.manualFlowControl = true
            session = try HTTP2Session(role: .client, settings: settings, delegate: self)
        } catch {
            closedError = RPCError(code: .internal, message: "could not create HTTP/2 session", cause: error)
            context.close(promise: nil)
            return
        }
        if context.channel.isActive { flushOutput() }
    }

    func channelActive(context: ChannelHandlerContext) {
        flushOutput()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let session else { return }
        let buffer = unwrapInboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { bytes throws(HTTP2SessionError) in try session.receive(bytes) }
        } catch {
            failAll(RPCError(code: .unavailable, message: "HTTP/2 protocol error from server", cause: error))
            context.close(promise: nil)
            return
        }
        flushOutput()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { flushOutput() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RPCError(code: .unavailable, message: "connection closed"))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(RPCError(code: .unavailable, message: "connection closed"))
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(RPCError(code: .unavailable, message: "connection failed", cause: error))
        context.close(promise: nil)
    }

    // MARK: Calls

    func start(
        _ call: ClientCall,
        path: String,
        timeout: Duration?,
        metadata: [(name: String, value: String)]
    ) {
        guard session != nil, let context, closedError == nil else {
            finish(call, error: closedError ?? RPCError(code: .unavailable, message: "connection closed"))
            return
        }
        var headers = [
            HTTP2Header(":method", "POST"),
            HTTP2Header(":scheme", "http"),
            HTTP2Header(":path", path),
            HTTP2Header(":authority", authority),
            HTTP2Header("content-type", "application/grpc"),
            HTTP2Header("te", "trailers"),
            HTTP2Header("user-agent", "arbor-swift"),
        ]
        if let timeout { headers.append(HTTP2Header("grpc-timeout", GRPCTimeout(timeout).headerValue)) }
        for entry in metadata { headers.append(HTTP2Header(entry.name.lowercased(), entry.value)) }
        call.headers = headers
        callsByToken[call.token] = call
        guard submit(call) else { return }
        if let timeout {
            call.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(
                in: .nanoseconds(timeout.nanosecondsClamped)
            ) { [self] in
                self.cancel(token: call.token, error: RPCError(code: .deadlineExceeded, message: "deadline exceeded"))
            }
        }
        flushOutput()
    }

    /// Opens a stream for `call`; on failure the call fails and `false` is returned. The caller flushes (this may
    /// run inside an nghttp2 callback, where sending is not allowed).
    private func submit(_ call: ClientCall) -> Bool {
        guard let session else { return false }
        do {
            let streamID = try session.submitRequest(headers: call.headers)
            call.streamID = streamID
            calls[streamID] = call
            return true
        } catch {
            finish(call, error: RPCError(code: .unavailable, message: "could not start a stream", cause: error))
            return false
        }
    }

    /// Cancels a call: resets its stream and fails it with `error`.
    func cancel(token: UInt64, error: RPCError) {
        guard let call = callsByToken[token], !call.isFinished else { return }
        if let streamID = call.streamID { session?.resetStream(streamID: streamID, errorCode: .cancel) }
        finish(call, error: error)
        flushOutput()
    }

    /// The reader of a streaming call caught up: return the bytes held back to the server's window.
    func releaseWindow(token: UInt64) {
        guard let call = callsByToken[token], let streamID = call.streamID, call.unconsumedBytes > 0 else { return }
        session?.consume(streamID: streamID, count: call.unconsumedBytes)
        call.unconsumedBytes = 0
        flushOutput()
    }

    /// Sends GOAWAY and closes once open calls finish.
    func close() {
        guard let context else { return }
        session?.terminate(errorCode: .noError)
        flushOutput()
        context.close(promise: nil)
    }

    private func finish(_ call: ClientCall, error: RPCError?) {
        guard !call.isFinished else { return }
        call.isFinished = true
        call.deadlineTimer?.cancel()
        call.deadlineTimer = nil
        callsByToken[call.token] = nil
        switch call.sink {
        case .unary(let continuation):
            if let error {
                continuation.resume(throwing: error)
            } else if call.messages.count == 1 {
                continuation.resume(returning: call.messages[0])
            } else {
                continuation.resume(
                    throwing: RPCError(
                        code: .internal,
                        message: "unary response carried \(call.messages.count) messages instead of one"
                    )
                )
            }
        case .stream(let buffer):
            buffer.finish(error)
        }
        if let streamID = call.streamID {
            // Whatever the reader never took still counts against the connection's window.
            session?.consume(streamID: streamID, count: call.unconsumedBytes)
            call.unconsumedBytes = 0
        }
    }

    private func failAll(_ error: RPCError) {
        if closedError == nil { closedError = error }
        let pending = Array(callsByToken.values)
        calls = [:]
        callsByToken = [:]
        for call in pending { finish(call, error: error) }
    }

    private func flushOutput() {
        guard let session, let context else { return }
        if case .failed(let error) = output.pump(session, to: context) {
            failAll(RPCError(code: .unavailable, message: "HTTP/2 send failed", cause: error))
            context.close(promise: nil)
        }
    }
}

extension GRPCClientConnectionHandler: HTTP2SessionDelegate {
    func sessionBeginHeaders(streamID: Int32, kind: HTTP2HeaderBlockKind) {}

    func sessionHeader(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let call = calls[streamID] else { return true }
        call.add(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
        return true
    }

    func sessionHeadersComplete(streamID: Int32, kind: HTTP2HeaderBlockKind, endStream: Bool) {
        guard let call = calls[streamID], kind == .response, call.grpcStatus == nil else { return }
        if call.httpStatus == 200, !(call.contentType.map(GRPCRequestHead.isGRPCContentType) ?? false) {
            session?.resetStream(streamID: streamID, errorCode: .cancel)
            finish(
                call,
                error: RPCError(
                    code: .internal, message: "response content-type '\(call.contentType ?? "")' is not gRPC")
            )
        }
    }

    func sessionData(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let call = calls[streamID], !call.isFinished else {
            session?.consume(streamID: streamID, count: bytes.count)
            return
        }
        do throws(RPCError) {
            let messages = try call.deframer.consume(bytes)
            switch call.sink {
            case .unary:
                call.messages.append(contentsOf: messages)
                session?.consume(streamID: streamID, count: bytes.count)
            case .stream(let buffer):
                for message in messages { buffer.push(message) }
                if buffer.holdWindowIfFull() {
                    call.unconsumedBytes += bytes.count
                } else {
                    session?.consume(streamID: streamID, count: bytes.count)
                }
            }
        } catch {
            session?.resetStream(streamID: streamID, errorCode: .cancel)
            finish(call, error: error)
        }
    }

    func sessionDataEndStream(streamID: Int32) {}

    func sessionSentEndStream(streamID: Int32) {}

    func sessionStreamClosed(streamID: Int32, errorCode: UInt32) {
        guard let call = calls.removeValue(forKey: streamID), !call.isFinished else { return }
        if call.canRetryTransparently(resetCode: errorCode), closedError == nil {
            // A server may refuse streams opened before its SETTINGS (and their concurrency limit) arrived.
            call.transparentRetries += 1
            call.requestIndex = 0
            call.streamID = nil
            _ = submit(call)
            return
        }
        finish(call, error: call.outcome(resetCode: errorCode))
    }

    func sessionReadBody(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer) -> HTTP2BodyRead {
        guard let call = calls[streamID] else { return .end(0, endStream: true) }
        let count = min(buffer.count, call.request.count - call.requestIndex)
        call.request.withUnsafeBytes { source in
            buffer.copyMemory(
                from: UnsafeRawBufferPointer(rebasing: source[call.requestIndex..<(call.requestIndex + count)]))
        }
        call.requestIndex += count
        if call.requestIndex == call.request.count {
            return .end(count, endStream: true)
        }
        return .bytes(count)
    }

    func sessionReceivedGoAway(lastStreamID: Int32, errorCode: UInt32) {
        // nghttp2 closes streams above lastStreamID itself (REFUSED_STREAM → UNAVAILABLE); no new calls from here.
        if closedError == nil {
            closedError = RPCError(code: .unavailable, message: "server is shutting down (GOAWAY)")
        }
    }
}
