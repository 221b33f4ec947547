/// How a ``GRPCServer`` listens and what it allows.
public struct GRPCServerConfiguration: Sendable {
    /// The address to bind; `127.0.0.1` by default.
    public var host: String
    /// The port to bind; 0 picks a free one (read it from ``GRPCServer/start()``).
    public var port: Int
    /// Event loop threads (1 by default).
    public var eventLoopCount: Int
    /// SETTINGS_MAX_CONCURRENT_STREAMS per connection.
    public var maxConcurrentStreams: Int
    /// The largest request message accepted (bytes, from the 5-byte prefix); larger is RESOURCE_EXHAUSTED.
    public var maxReceiveMessageSize: Int
    /// The cap on one request's decoded header block (name + value + 32 per field); larger is RESOURCE_EXHAUSTED.
    public var maxHeaderListSize: Int
    /// Connections beyond this many are closed as soon as they are accepted.
    public var maxConnections: Int
    /// A connection with no open stream for this long is closed with GOAWAY. `nil` disables it.
    public var idleTimeout: Duration?
    /// A server-streaming handler's `send` suspends while more than this many bytes of its stream wait unsent.
    public var streamHighWaterMark: Int
    /// Per-stream receive window advertised to clients.
    public var initialStreamWindowSize: Int
    /// Connection receive window.
    public var connectionWindowSize: Int

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        eventLoopCount: Int = 1,
        maxConcurrentStreams: Int = 100,
        maxReceiveMessageSize: Int = 4 * 1024 * 1024,
        maxHeaderListSize: Int = 8 * 1024,
        maxConnections: Int = 1024,
        idleTimeout: Duration? = .seconds(300),
        streamHighWaterMark: Int = 256 * 1024,
        initialStreamWindowSize: Int = 1 << 20,
        connectionWindowSize: Int = 16 << 20
    ) {
        self.host = host
        self.port = port
        self.eventLoopCount = eventLoopCount
        self.maxConcurrentStreams = maxConcurrentStreams
        self.maxReceiveMessageSize = maxReceiveMessageSize
        self.maxHeaderListSize = maxHeaderListSize
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.streamHighWaterMark = streamHighWaterMark
        self.initialStreamWindowSize = initialStreamWindowSize
        self.connectionWindowSize = connectionWindowSize
    }
}
