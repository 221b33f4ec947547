import ArborWire
import NIOCore

/// One call on a client connection, from submission to status. Confined to the connection's event loop.
final class ClientCall {
    enum Sink {
        case unary(CheckedContinuation<[UInt8], any Error>)
        case stream(ClientResponseBuffer)
    }

    let token: UInt64
    let sink: Sink
    var streamID: Int32?
    /// The framed request and how much of it nghttp2 has taken.
    var request: [UInt8]
    var requestIndex = 0
    var deframer: GRPCMessageDeframer
    var messages: [[UInt8]] = []
    var httpStatus: Int?
    var contentType: String?
    var grpcStatus: RPCStatus?
    var grpcMessage: String?
    var deadlineTimer: Scheduled<Void>?
    var isFinished = false
    /// Received bytes not yet returned to the server's window because the reader is behind.
    var unconsumedBytes = 0
    /// The request's header block, kept for a transparent retry.
    var headers: [HTTP2Header] = []
    /// How often the call was resubmitted after REFUSED_STREAM (the server processed none of it).
    var transparentRetries = 0

    /// Whether the server refused the stream before answering anything, so that the call can be sent again.
    func canRetryTransparently(resetCode: UInt32) -> Bool {
        HTTP2ErrorCode(rawValue: resetCode) == .refusedStream && httpStatus == nil && messages.isEmpty
            && transparentRetries < 5
    }

    init(token: UInt64, sink: Sink, request: [UInt8], maximumMessageSize: Int) {
        self.token = token
        self.sink = sink
        self.request = request
        self.deframer = GRPCMessageDeframer(maximumMessageSize: maximumMessageSize)
    }

    /// Records a response header or trailer field.
    func add(name: String, value: String) {
        switch name {
        case ":status": httpStatus = Int(value)
        case "content-type": contentType = value
        case "grpc-status": grpcStatus = RPCStatus(headerValue: value)
        case "grpc-message": grpcMessage = GRPCMessageEncoding.decode(value)
        default: break
        }
    }

    /// The call's outcome once its stream has closed with `resetCode` (0 when it ended normally).
    func outcome(resetCode: UInt32) -> RPCError? {
        if let grpcStatus {
            if grpcStatus != .ok { return RPCError(code: grpcStatus, message: grpcMessage ?? "") }
            do throws(RPCError) {
                try deframer.finish()
            } catch {
                return error
            }
            return nil
        }
        if let httpStatus, httpStatus != 200 {
            return RPCError(code: Self.status(forHTTPStatus: httpStatus), message: "HTTP status \(httpStatus)")
        }
        switch HTTP2ErrorCode(rawValue: resetCode) {
        case .refusedStream: return RPCError(code: .unavailable, message: "stream refused by server")
        case .cancel: return RPCError(code: .cancelled, message: "stream cancelled")
        case .noError where httpStatus == nil:
            return RPCError(code: .unavailable, message: "stream closed without a response")
        case .noError: return RPCError(code: .internal, message: "response ended without grpc-status")
        default: return RPCError(code: .internal, message: "stream reset with HTTP/2 error code \(resetCode)")
        }
    }

    /// The gRPC specification's mapping of HTTP statuses for responses without `grpc-status`.
    static func status(forHTTPStatus status: Int) -> RPCStatus {
        switch status {
        case 400: .internal
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .unimplemented
        case 429, 502, 503, 504: .unavailable
        default: .unknown
        }
    }
}
