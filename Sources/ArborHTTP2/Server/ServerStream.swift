import ArborWire
import NIOCore

/// One gRPC call on a server connection: its ``ServerCallStateMachine`` and the I/O state the connection handler
/// keeps for it (response queue, waiting writer, deadline timer, handler task). Confined to the event loop.
final class ServerStream {
    let id: Int32
    /// The call's lifecycle and the request as received so far.
    var call: ServerCallStateMachine

    var cancellation: ServerCallCancellation?
    var deadline: ContinuousClock.Instant?
    var deadlineTimer: Scheduled<Void>?
    /// When the stream's HEADERS began: the request must have arrived whole within the request timeout.
    let openedAt: ContinuousClock.Instant
    /// Request body bytes this stream holds against the server's request-body budget.
    var requestBytesHeld = 0
    /// When response bytes last left this stream's queue (or, while none have, when they were first queued).
    var lastSendProgress: ContinuousClock.Instant
    /// Whether the server will reset the stream once its response is sent, because the client must stop
    /// sending (its body is over a limit or too slow); otherwise a client still uploading may finish.
    var resetAfterResponse = false
    /// Whether the server reset the stream itself (so its close is not the client's doing).
    var resetByServer = false

    /// Framed response bytes not yet handed to nghttp2.
    var outbound: [UInt8] = []
    var outboundIndex = 0
    /// Trailers to send once `outbound` drains.
    var pendingTrailers: Trailers?

    enum Trailers {
        /// `grpc-status: 0` alone (prebuilt).
        case ok
        case custom([HTTP2Header])
    }
    /// A handler waiting in `send` for the queue to drain.
    var waitingWriter: CheckedContinuation<Void, any Error>?

    var queuedBytes: Int { outbound.count - outboundIndex }

    init(id: Int32, maximumHeaderListSize: Int, now: ContinuousClock.Instant) {
        self.id = id
        self.openedAt = now
        self.lastSendProgress = now
        self.call = ServerCallStateMachine(maximumHeaderListSize: maximumHeaderListSize)
    }
}
