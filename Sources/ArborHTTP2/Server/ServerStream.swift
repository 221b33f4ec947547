import ArborWire
import NIOCore

/// One gRPC call on a server connection. Confined to the connection's event loop.
final class ServerStream {
    enum Phase {
        /// Collecting the header block.
        case receivingHeaders
        /// Headers valid and routed; collecting the request message.
        case receivingRequest(RPCRouter.Method, GRPCRequestHead.Validated)
        /// The handler task runs.
        case running
        /// The status is decided (trailers queued or sent); anything further from the peer is ignored.
        case responded
    }

    let id: Int32
    var phase: Phase = .receivingHeaders
    var head: GRPCRequestHead
    var deframer: GRPCMessageDeframer
    var requestMessages: [[UInt8]] = []
    var requestEnded = false

    var task: Task<Void, Never>?
    var deadline: ContinuousClock.Instant?
    var deadlineTimer: Scheduled<Void>?

    /// Whether response HEADERS were submitted (then the status goes in trailers, else Trailers-Only).
    var responseStarted = false
    /// Framed response bytes not yet handed to nghttp2.
    var outbound: [UInt8] = []
    var outboundIndex = 0
    /// Trailers to send once `outbound` drains.
    var pendingTrailers: [HTTP2Header]?
    /// A handler waiting in `send` for the queue to drain.
    var waitingWriter: CheckedContinuation<Void, any Error>?

    var queuedBytes: Int { outbound.count - outboundIndex }

    init(id: Int32, maximumHeaderListSize: Int, maximumMessageSize: Int) {
        self.id = id
        self.head = GRPCRequestHead(maximumHeaderListSize: maximumHeaderListSize)
        self.deframer = GRPCMessageDeframer(maximumMessageSize: maximumMessageSize)
    }

    var hasResponded: Bool {
        if case .responded = phase { return true }
        return false
    }
}
