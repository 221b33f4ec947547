import ArborWire

/// The life of one gRPC call on a server stream, as pure state: the connection handler feeds it what nghttp2 and
/// the handler task report and carries out the decision it returns. No I/O, no clocks, testable without sockets.
///
/// receivingHeaders → receivingRequest → running → responded; any state may jump to responded (an error answer).
struct ServerCallStateMachine {
    enum State {
        /// Collecting the header block.
        case receivingHeaders(GRPCRequestHead)
        /// Headers valid and routed; collecting the one request message.
        case receivingRequest(RPCRouter.Method, GRPCRequestHead.Validated, GRPCMessageDeframer, [[UInt8]])
        /// The handler runs.
        case running
        /// The status is decided; anything further from either side is dropped.
        case responded
    }

    /// What the handler does after the header block is complete.
    enum HeadersDecision {
        /// Plain HTTP response with this status and no body (405, 415); the call has ended.
        case rejectHTTP(Int)
        /// Answer with a Trailers-Only gRPC error response now; the call has ended.
        case fail(RPCStatus, String)
        /// Wait for the request message; arm a deadline when there is a timeout.
        case accept(GRPCTimeout?)
    }

    /// What the handler does when the request side ends.
    enum RequestEndDecision {
        /// Run the handler with the request message.
        case start(RPCRouter.Method, GRPCRequestHead.Validated, [UInt8])
        /// Answer with a Trailers-Only gRPC error response now; the call has ended.
        case fail(RPCStatus, String)
        /// Nothing to do (already answered, or ended before its headers did).
        case none
    }

    /// How a response message or the final status goes out.
    enum ResponseDecision: Equatable {
        /// Submit response HEADERS first, then the body.
        case startResponse
        /// HEADERS already went out; queue behind them.
        case continueResponse
        /// The call has already ended: drop it.
        case drop
    }

    /// How the status goes out.
    enum StatusDecision: Equatable {
        /// After the body, as trailers.
        case trailers
        /// Alone, in one HEADERS frame (no message was sent).
        case trailersOnly
        /// The status was already decided.
        case drop
    }

    private(set) var state: State
    /// Whether response HEADERS were submitted.
    private(set) var responseStarted = false
    /// Whether the client's side of the stream has ended.
    private(set) var requestEnded = false

    init(maximumHeaderListSize: Int) {
        state = .receivingHeaders(GRPCRequestHead(maximumHeaderListSize: maximumHeaderListSize))
    }

    var hasResponded: Bool {
        if case .responded = state { return true }
        return false
    }

    var isReceivingHeaders: Bool {
        if case .receivingHeaders = state { return true }
        return false
    }

    var isReceivingRequest: Bool {
        if case .receivingRequest = state { return true }
        return false
    }

    var isRunning: Bool {
        if case .running = state { return true }
        return false
    }

    mutating func receiveHeader(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        guard case .receivingHeaders(var head) = state else { return }
        state = .responded  // Leaves no second copy of `head` while it is mutated.
        head.add(name: name, value: value)
        state = .receivingHeaders(head)
    }

    /// The header block is complete: validate, then route with `lookup`.
    mutating func headersComplete(
        maximumMessageSize: Int,
        lookup: (String) -> RPCRouter.Method?
    ) -> HeadersDecision {
        guard case .receivingHeaders(let head) = state else { return .accept(nil) }
        switch head.validate() {
        case .failure(.httpStatus(let code)):
            state = .responded
            responseStarted = true
            return .rejectHTTP(code)
        case .failure(.status(let status, let message)):
            return fail(status, message)
        case .success(let request):
            guard let method = lookup(request.path) else {
                return fail(.unimplemented, "unknown method \(Self.abbreviated(request.path))")
            }
            state = .receivingRequest(method, request, GRPCMessageDeframer(maximumMessageSize: maximumMessageSize), [])
            return .accept(request.timeout)
        }
    }

    /// Request body bytes. Returns an error to answer at once with Trailers-Only (over the limit, compressed, a
    /// second message); the call has then ended.
    mutating func receiveData(_ bytes: UnsafeRawBufferPointer) -> (RPCStatus, String)? {
        guard case .receivingRequest(let method, let request, var deframer, var messages) = state else { return nil }
        state = .responded
        do throws(RPCError) {
            messages += try deframer.consume(bytes)
        } catch {
            responseStarted = true
            return (error.code, error.message)
        }
        if messages.count > 1 {
            responseStarted = true
            return (.internal, "unary request carried more than one message")
        }
        state = .receivingRequest(method, request, deframer, messages)
        return nil
    }

    /// The client's side ended (END_STREAM on HEADERS or DATA).
    mutating func requestEnd() -> RequestEndDecision {
        requestEnded = true
        guard case .receivingRequest(let method, let request, let deframer, let messages) = state else { return .none }
        do throws(RPCError) {
            try deframer.finish()
        } catch {
            return decide(fail(error.code, error.message))
        }
        guard messages.count == 1 else {
            return decide(fail(.internal, "request stream ended without a message"))
        }
        state = .running
        return .start(method, request, messages[0])
    }

    /// A response message is about to be queued.
    mutating func sendMessage() -> ResponseDecision {
        if hasResponded { return .drop }
        if responseStarted { return .continueResponse }
        responseStarted = true
        return .startResponse
    }

    /// The call's status is decided (handler result, deadline, error found while receiving).
    mutating func finish() -> StatusDecision {
        if hasResponded { return .drop }
        state = .responded
        if responseStarted { return .trailers }
        responseStarted = true
        return .trailersOnly
    }

    /// A path as quoted back to the caller: at most 120 characters, so a huge path is not echoed whole.
    static func abbreviated(_ path: String) -> String {
        path.count <= 120 ? path : "\(path.prefix(100))… (\(path.utf8.count) bytes)"
    }

    private mutating func fail(_ status: RPCStatus, _ message: String) -> HeadersDecision {
        state = .responded
        responseStarted = true
        return .fail(status, message)
    }

    private func decide(_ decision: HeadersDecision) -> RequestEndDecision {
        if case .fail(let status, let message) = decision { return .fail(status, message) }
        return .none
    }
}
