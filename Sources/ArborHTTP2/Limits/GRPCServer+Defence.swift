extension GRPCServer {
    /// A limit that acted against a peer; counted in ``GRPCServer/defenceCounts`` and logged, rate-limited.
    public enum Defence: String, Hashable, Sendable, CaseIterable {
        /// A stream refused because its connection already runs ``GRPCServerConfiguration/maxCallsPerConnection``.
        case callsPerConnection = "calls_per_connection"
        /// A call refused because the server already runs ``GRPCServerConfiguration/maxCalls``.
        case calls
        /// A connection closed after resetting too many running calls.
        case resetBudget = "reset_budget"
        /// A connection closed after too many WINDOW_UPDATE or PRIORITY frames.
        case controlFrames = "control_frames"
        /// A request refused because buffered request bodies reached their budget.
        case requestBodyBudget = "request_body_budget"
        /// A response refused because queued response bytes reached their budget.
        case responseQueueBudget = "response_queue_budget"
        /// A request that did not finish arriving in time.
        case requestTimeout = "request_timeout"
        /// A stream or connection that could not send for too long.
        case sendTimeout = "send_timeout"
        /// A close whose last writes did not complete in time, forced.
        case forcedClose = "forced_close"
        /// A connection refused: the server or its peer address is at its connection limit.
        case connectionLimit = "connection_limit"
        /// A connection closed by nghttp2's own flood defences or a protocol error.
        case protocolError = "protocol_error"
    }
}
