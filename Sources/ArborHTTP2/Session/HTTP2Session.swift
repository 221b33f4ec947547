internal import CNghttp2

/// An nghttp2 session: the HTTP/2 protocol state of one connection.
///
/// Not thread-safe and not `Sendable`: it lives on its channel's event loop. nghttp2's callbacks find the session
/// through `user_data` (an unretained pointer: the session destroys the C object in `deinit`, so the pointer never
/// outlives it) and forward to the ``HTTP2SessionDelegate``. Callbacks never throw: they return nghttp2 error codes.
final class HTTP2Session {
    enum Role {
        case server
        case client
    }

    struct Settings {
        var maxConcurrentStreams: UInt32 = 100
        /// The per-stream receive window advertised in SETTINGS_INITIAL_WINDOW_SIZE.
        var initialStreamWindowSize: UInt32 = 1 << 20
        /// The connection-level receive window, raised with a WINDOW_UPDATE at start.
        var connectionWindowSize: Int32 = 16 << 20
        /// Advertised in SETTINGS_MAX_HEADER_LIST_SIZE (the handler enforces it while decoding).
        var maxHeaderListSize: UInt32 = 8 * 1024
        /// When set, received DATA reopens the peer's window only through ``HTTP2Session/consume(streamID:count:)``.
        var manualFlowControl = false
    }

    private var session: OpaquePointer?
    private let role: Role
    /// The highest stream id the peer has opened with HEADERS (server role).
    private var highestPeerStreamID: Int32 = 0
    /// Streams closed with an error code lately: HEADERS for them (trailers sent before our reset arrived) are
    /// no protocol violation, while HEADERS on an older stream id that was never opened is.
    private var recentlyResetStreams = RecentStreamIDs(capacity: 256)
    /// Why the session ended itself (a protocol violation or a flood), for the owner to log and count.
    private(set) var violation: String?
    /// The owner, which holds this session and so outlives it. `unowned` rather than `weak`: a weak reference
    /// would give the owner a side table and put every retain and release of it on the slow path.
    unowned let delegate: any HTTP2SessionDelegate

    /// Creates a session and queues the initial SETTINGS (and connection WINDOW_UPDATE).
    init(role: Role, settings: Settings, delegate: any HTTP2SessionDelegate) throws(HTTP2SessionError) {
        self.delegate = delegate
        self.role = role
        var callbacks: OpaquePointer?
        try Self.check(nghttp2_session_callbacks_new(&callbacks))
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.installCallbacks(callbacks)

        var option: OpaquePointer?
        try Self.check(nghttp2_option_new(&option))
        defer { nghttp2_option_del(option) }
        // Flood defences: bound queued ACKs (PING/SETTINGS floods), SETTINGS entries, and the rate of RST_STREAM
        // from the peer (rapid reset). max_continuations is raised because 1.52 counts a frame header that arrives
        // in several reads more than once, which would tear down honest connections.
        nghttp2_option_set_max_outbound_ack(option, 1000)
        nghttp2_option_set_max_settings(option, 32)
        nghttp2_option_set_stream_reset_rate_limit(option, 1000, 100)
        nghttp2_option_set_max_continuations(option, 64)
        nghttp2_option_set_max_send_header_block_length(option, 64 * 1024)
        if settings.manualFlowControl { nghttp2_option_set_no_auto_window_update(option, 1) }

        let userData = Unmanaged.passUnretained(self).toOpaque()
        switch role {
        case .server:
            try Self.check(nghttp2_session_server_new2(&session, callbacks, userData, option))
        case .client:
            try Self.check(nghttp2_session_client_new2(&session, callbacks, userData, option))
        }

        var entries: [nghttp2_settings_entry] = [
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                value: settings.maxConcurrentStreams
            ),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                value: settings.initialStreamWindowSize
            ),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
                value: settings.maxHeaderListSize
            ),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
        ]
        if role == .server { entries.removeLast() }
        try Self.check(nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count))
        try Self.check(
            nghttp2_session_set_local_window_size(
                session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, settings.connectionWindowSize)
        )
    }

    deinit {
        nghttp2_session_del(session)
    }

    // MARK: Input and output

    /// Feeds bytes read from the socket. A thrown error is fatal for the connection (including FLOODED).
    func receive(_ bytes: UnsafeRawBufferPointer) throws(HTTP2SessionError) {
        guard let base = bytes.baseAddress else { return }
        let result = nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        if result < 0 { throw HTTP2SessionError(code: Int32(result)) }
    }

    /// Serialises pending frames, handing each chunk to `write`, until nothing is pending or `limit` bytes were
    /// produced. Returns the number of bytes produced.
    func send(limit: Int, _ write: (UnsafeRawBufferPointer) -> Void) throws(HTTP2SessionError) -> Int {
        var produced = 0
        while produced < limit {
            var pointer: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &pointer)
            if count < 0 { throw HTTP2SessionError(code: Int32(count)) }
            guard count > 0, let pointer else { break }
            write(UnsafeRawBufferPointer(start: pointer, count: count))
            produced += count
        }
        return produced
    }

    /// Whether the session still wants to read or write; when neither, the connection can close.
    var isAlive: Bool { nghttp2_session_want_read(session) != 0 || nghttp2_session_want_write(session) != 0 }

    var wantsWrite: Bool { nghttp2_session_want_write(session) != 0 }

    // MARK: Submitting frames

    /// Submits a prebuilt header block as a response; with `hasBody` the body is pulled through the delegate.
    func submitResponse(streamID: Int32, block: HTTP2HeaderBlock, hasBody: Bool) throws(HTTP2SessionError) {
        let result: Int32
        if hasBody {
            var provider = Self.dataProvider()
            result = nghttp2_submit_response(session, streamID, block.nameValues, block.count, &provider)
        } else {
            result = nghttp2_submit_response(session, streamID, block.nameValues, block.count, nil)
        }
        try Self.check(result)
    }

    /// Submits a prebuilt header block as trailers.
    func submitTrailers(streamID: Int32, block: HTTP2HeaderBlock) throws(HTTP2SessionError) {
        try Self.check(nghttp2_submit_trailer(session, streamID, block.nameValues, block.count))
    }

    /// Submits response headers; with `hasBody` the body is pulled through the delegate.
    func submitResponse(streamID: Int32, headers: [HTTP2Header], hasBody: Bool) throws(HTTP2SessionError) {
        let result = Self.withNameValues(headers) { nva, count in
            if hasBody {
                var provider = Self.dataProvider()
                return nghttp2_submit_response(session, streamID, nva, count, &provider)
            }
            return nghttp2_submit_response(session, streamID, nva, count, nil)
        }
        try Self.check(result)
    }

    /// Submits a request whose body is pulled through the delegate. Returns the new stream's id.
    func submitRequest(headers: [HTTP2Header]) throws(HTTP2SessionError) -> Int32 {
        let result = Self.withNameValues(headers) { nva, count in
            var provider = Self.dataProvider()
            return nghttp2_submit_request(session, nil, nva, count, &provider, nil)
        }
        try Self.check(result)
        return result
    }

    /// Submits trailers (a HEADERS frame with END_STREAM) after the body.
    func submitTrailers(streamID: Int32, headers: [HTTP2Header]) throws(HTTP2SessionError) {
        let result = Self.withNameValues(headers) { nva, count in nghttp2_submit_trailer(session, streamID, nva, count)
        }
        try Self.check(result)
    }

    /// Resets a stream with an HTTP/2 error code.
    func resetStream(streamID: Int32, errorCode: HTTP2ErrorCode) {
        _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, errorCode.rawValue)
    }

    /// Returns `count` received bytes of `streamID` to the peer's flow-control windows (stream and connection;
    /// only the connection's when the stream is gone). Used with ``Settings/manualFlowControl``.
    func consume(streamID: Int32, count: Int) {
        guard count > 0 else { return }
        _ = nghttp2_session_consume(session, streamID, count)
    }

    /// Tells nghttp2 that a deferred body has data (or its end) to send.
    func resumeBody(streamID: Int32) {
        _ = nghttp2_session_resume_data(session, streamID)
    }

    /// Sends the first GOAWAY of a graceful shutdown (last stream id 2^31-1).
    func submitShutdownNotice() {
        _ = nghttp2_submit_shutdown_notice(session)
    }

    /// Sends the final GOAWAY naming the last stream this side processed.
    func submitGoAway(errorCode: HTTP2ErrorCode) {
        let last = nghttp2_session_get_last_proc_stream_id(session)
        _ = nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, errorCode.rawValue, nil, 0)
    }

    /// Closes the session politely: final GOAWAY, then the session stops reading.
    func terminate(errorCode: HTTP2ErrorCode) {
        _ = nghttp2_session_terminate_session(session, errorCode.rawValue)
    }

    /// Ends the session with GOAWAY `errorCode` because the peer broke a rule; ``violation`` says which.
    private func terminate(violation: String, errorCode: HTTP2ErrorCode) {
        guard self.violation == nil else { return }
        self.violation = violation
        terminate(errorCode: errorCode)
    }

    /// A frame header arrived. RFC 9113 §5.1.1: a client's new stream id must exceed every earlier one; nghttp2
    /// 1.52 ignores HEADERS on a lower, never-opened id, so that check is made here.
    fileprivate func beginFrame(type: UInt8, streamID: Int32) {
        guard role == .server, type == UInt8(NGHTTP2_HEADERS.rawValue), streamID & 1 == 1 else { return }
        if streamID > highestPeerStreamID {
            highestPeerStreamID = streamID
        } else if streamID < highestPeerStreamID, nghttp2_session_find_stream(session, streamID) == nil,
            !recentlyResetStreams.contains(streamID)
        {
            terminate(
                violation: "HEADERS on stream \(streamID), below stream \(highestPeerStreamID)",
                errorCode: .protocolError)
        }
    }

    fileprivate func receivedControlFrame() {
        if !delegate.sessionReceivedControlFrame() {
            terminate(violation: "WINDOW_UPDATE or PRIORITY flood", errorCode: .enhanceYourCalm)
        }
    }

    fileprivate func streamClosed(streamID: Int32, errorCode: UInt32) {
        if errorCode != 0 { recentlyResetStreams.insert(streamID) }
        delegate.sessionStreamClosed(streamID: streamID, errorCode: errorCode)
    }

    // MARK: C glue

    private static func check(_ code: Int32) throws(HTTP2SessionError) {
        if code < 0 { throw HTTP2SessionError(code: code) }
    }

    private static func from(_ userData: UnsafeMutableRawPointer?) -> HTTP2Session {
        Unmanaged<HTTP2Session>.fromOpaque(userData!).takeUnretainedValue()
    }

    private static func dataProvider() -> nghttp2_data_provider {
        nghttp2_data_provider(
            source: nghttp2_data_source(ptr: nil),
            read_callback: { _, streamID, buffer, length, flags, _, userData in
                let session = HTTP2Session.from(userData)
                let delegate = session.delegate
                guard let buffer else {
                    return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
                }
                switch delegate.sessionReadBody(
                    streamID: streamID,
                    into: UnsafeMutableRawBufferPointer(start: buffer, count: length)
                ) {
                case .bytes(let count):
                    return count
                case .end(let count, let endStream):
                    var value = NGHTTP2_DATA_FLAG_EOF.rawValue
                    if !endStream { value |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue }
                    flags?.pointee = value
                    return count
                case .deferred:
                    return Int(NGHTTP2_ERR_DEFERRED.rawValue)
                }
            }
        )
    }

    /// Lays the headers out as nghttp2 name/value pairs for the duration of `body` (nghttp2 copies them).
    private static func withNameValues<R>(
        _ headers: [HTTP2Header],
        _ body: (UnsafePointer<nghttp2_nv>, Int) -> R
    ) -> R {
        var storage: [UInt8] = []
        var offsets: [(name: Int, nameLength: Int, value: Int, valueLength: Int)] = []
        offsets.reserveCapacity(headers.count)
        for header in headers {
            let nameStart = storage.count
            storage.append(contentsOf: header.name.utf8)
            let valueStart = storage.count
            storage.append(contentsOf: header.value.utf8)
            offsets.append((nameStart, valueStart - nameStart, valueStart, storage.count - valueStart))
        }
        storage.append(0)
        return storage.withUnsafeMutableBufferPointer { bytes in
            let base = bytes.baseAddress!
            let nva = offsets.map { entry in
                nghttp2_nv(
                    name: base + entry.name,
                    value: base + entry.value,
                    namelen: entry.nameLength,
                    valuelen: entry.valueLength,
                    flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)
                )
            }
            return nva.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
        }
    }

    private static func headerKind(_ frame: UnsafePointer<nghttp2_frame>) -> HTTP2HeaderBlockKind {
        switch frame.pointee.headers.cat {
        case NGHTTP2_HCAT_REQUEST: .request
        case NGHTTP2_HCAT_RESPONSE: .response
        default: .trailers
        }
    }

    private static func installCallbacks(_ callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks) { _, header, userData in
            guard let header else { return 0 }
            HTTP2Session.from(userData).beginFrame(type: header.pointee.type, streamID: header.pointee.stream_id)
            return 0
        }
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
            HTTP2Session.from(userData).delegate.sessionBeginHeaders(
                streamID: frame.pointee.hd.stream_id,
                kind: HTTP2Session.headerKind(frame)
            )
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) {
            _, frame, name, nameLength, value, valueLength, _, userData in
            guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
            let accepted =
                HTTP2Session.from(userData).delegate.sessionHeader(
                    streamID: frame.pointee.hd.stream_id,
                    name: UnsafeBufferPointer(start: name, count: nameLength),
                    value: UnsafeBufferPointer(start: value, count: valueLength)
                )
            // TEMPORAL_CALLBACK_FAILURE resets just this stream; the connection survives.
            return accepted ? 0 : NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            guard let frame else { return 0 }
            let session = HTTP2Session.from(userData)
            let endStream = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            let streamID = frame.pointee.hd.stream_id
            switch UInt32(frame.pointee.hd.type) {
            case NGHTTP2_HEADERS.rawValue:
                session.delegate.sessionHeadersComplete(
                    streamID: streamID,
                    kind: HTTP2Session.headerKind(frame),
                    endStream: endStream
                )
            case NGHTTP2_DATA.rawValue where endStream:
                session.delegate.sessionDataEndStream(streamID: streamID)
            case NGHTTP2_WINDOW_UPDATE.rawValue, NGHTTP2_PRIORITY.rawValue:
                session.receivedControlFrame()
            case NGHTTP2_GOAWAY.rawValue:
                session.delegate.sessionReceivedGoAway(
                    lastStreamID: frame.pointee.goaway.last_stream_id,
                    errorCode: frame.pointee.goaway.error_code
                )
            default:
                break
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, userData in
            guard let frame else { return 0 }
            let type = UInt32(frame.pointee.hd.type)
            let endStream = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            if endStream, type == NGHTTP2_HEADERS.rawValue || type == NGHTTP2_DATA.rawValue {
                HTTP2Session.from(userData).delegate.sessionSentEndStream(streamID: frame.pointee.hd.stream_id)
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) {
            _, _, streamID, data, length, userData in
            HTTP2Session.from(userData).delegate.sessionData(
                streamID: streamID,
                bytes: UnsafeRawBufferPointer(start: data, count: length)
            )
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
            HTTP2Session.from(userData).streamClosed(streamID: streamID, errorCode: errorCode)
            return 0
        }
    }
}

/// The last few stream ids of some kind, in a fixed ring (no growth however many streams a connection opens).
struct RecentStreamIDs {
    private var ids: [Int32]
    private var next = 0

    init(capacity: Int) {
        ids = Array(repeating: 0, count: capacity)
    }

    mutating func insert(_ id: Int32) {
        ids[next] = id
        next = (next + 1) % ids.count
    }

    func contains(_ id: Int32) -> Bool { id != 0 && ids.contains(id) }
}

/// An HTTP/2 error code carried by RST_STREAM and GOAWAY.
struct HTTP2ErrorCode: RawRepresentable, Hashable, Sendable {
    var rawValue: UInt32

    static let noError = HTTP2ErrorCode(rawValue: 0x0)
    static let protocolError = HTTP2ErrorCode(rawValue: 0x1)
    static let internalError = HTTP2ErrorCode(rawValue: 0x2)
    static let refusedStream = HTTP2ErrorCode(rawValue: 0x7)
    static let cancel = HTTP2ErrorCode(rawValue: 0x8)
    static let enhanceYourCalm = HTTP2ErrorCode(rawValue: 0xB)
}

/// An error returned by nghttp2, with its library message.
struct HTTP2SessionError: Error, CustomStringConvertible {
    var code: Int32

    var isFlooded: Bool { code == NGHTTP2_ERR_FLOODED.rawValue }

    var description: String { "nghttp2 error \(code): \(String(cString: nghttp2_strerror(code)))" }
}
