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

    init(id: Int32, maximumHeaderListSize: Int) {
        self.id = id
        self.call = ServerCallStateMachine(maximumHeaderListSize: maximumHeaderListSize)
    }
}
