/// What an ``HTTP2Session`` reports to its owner. All calls happen on the owning event loop, from inside
/// `HTTP2Session.receive` or `HTTP2Session.send`; implementations must not call back into C in ways nghttp2
/// forbids there (submitting frames and resuming data are allowed).
protocol HTTP2SessionDelegate: AnyObject {
    /// A HEADERS frame starts (`isRequest` for a request header block on a server, `isTrailer` for trailers).
    func sessionBeginHeaders(streamID: Int32, kind: HTTP2HeaderBlockKind)
    /// One decoded header field. Return `false` to reset the stream (e.g. the header block is over its cap).
    func sessionHeader(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool
    /// A header block is complete. `endStream` when it also ended the peer's side of the stream.
    func sessionHeadersComplete(streamID: Int32, kind: HTTP2HeaderBlockKind, endStream: Bool)
    /// A piece of a DATA frame's payload.
    func sessionData(streamID: Int32, bytes: UnsafeRawBufferPointer)
    /// A DATA frame with END_STREAM arrived.
    func sessionDataEndStream(streamID: Int32)
    /// A frame carrying END_STREAM was sent on `streamID`.
    func sessionSentEndStream(streamID: Int32)
    /// The stream closed; `errorCode` is the HTTP/2 error code (0 = NO_ERROR).
    func sessionStreamClosed(streamID: Int32, errorCode: UInt32)
    /// nghttp2 asks for up to `buffer.count` bytes of the stream's body.
    func sessionReadBody(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer) -> HTTP2BodyRead
    /// A GOAWAY frame arrived from the peer.
    func sessionReceivedGoAway(lastStreamID: Int32, errorCode: UInt32)
    /// A WINDOW_UPDATE or PRIORITY frame arrived. Return `false` when the peer sends them faster than it may:
    /// the session then ends with GOAWAY ENHANCE_YOUR_CALM.
    func sessionReceivedControlFrame() -> Bool
}

extension HTTP2SessionDelegate {
    func sessionReceivedControlFrame() -> Bool { true }
}

/// Which kind of header block a HEADERS frame carries.
enum HTTP2HeaderBlockKind: Sendable {
    case request
    case response
    case trailers
}

/// The answer to ``HTTP2SessionDelegate/sessionReadBody(streamID:into:)``.
enum HTTP2BodyRead {
    /// `count` bytes were written; more will follow.
    case bytes(Int)
    /// `count` bytes were written and the body is complete. `endStream == false` when trailers follow (the
    /// delegate submits them with ``HTTP2Session/submitTrailers(streamID:headers:)`` before returning).
    case end(Int, endStream: Bool)
    /// Nothing to send yet; call ``HTTP2Session/resumeBody(streamID:)`` when there is.
    case deferred
}
