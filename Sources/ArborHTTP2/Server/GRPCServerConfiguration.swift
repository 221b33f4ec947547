/// How a ``GRPCServer`` listens and what it allows.
///
/// Every limit here bounds what one peer can make the server hold or do; `docs/protocol.md` lists each with what
/// a client sees when it is hit.
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
    /// Connections from one remote address beyond this many are closed as soon as they are accepted.
    public var maxConnectionsPerPeer: Int
    /// A connection with no open stream for this long is closed with GOAWAY. `nil` disables it.
    public var idleTimeout: Duration?
    /// A server-streaming handler's `send` suspends while more than this many bytes of its stream wait unsent.
    public var streamHighWaterMark: Int
    /// Per-stream receive window advertised to clients.
    public var initialStreamWindowSize: Int
    /// Connection receive window.
    public var connectionWindowSize: Int
    /// Handlers running for one connection, counting those whose stream the client already reset; a new call
    /// beyond it is refused with RST_STREAM REFUSED_STREAM (never started, so safe to retry).
    public var maxCallsPerConnection: Int
    /// Handlers running in the whole server; a call beyond it gets RESOURCE_EXHAUSTED.
    public var maxCalls: Int
    /// Streams the client may reset while their handler runs, per connection, before the connection is closed
    /// with GOAWAY ENHANCE_YOUR_CALM; refilled at ``resetRefillPerSecond``.
    public var resetBudget: Int
    /// How fast the reset budget refills.
    public var resetRefillPerSecond: Int
    /// WINDOW_UPDATE and PRIORITY frames per second one connection may send (bursts up to twice that) before it
    /// is closed with GOAWAY ENHANCE_YOUR_CALM.
    public var maxControlFramesPerSecond: Int
    /// Request body bytes buffered at once, server-wide; a stream whose body would exceed it gets
    /// RESOURCE_EXHAUSTED.
    public var requestBodyBudget: Int
    /// Response bytes queued and not yet sent, server-wide; a unary answer that would exceed it gets
    /// RESOURCE_EXHAUSTED, and streaming handlers wait in `send` while it is exceeded.
    public var responseQueueBudget: Int
    /// How long a request's headers and body may take to arrive; a slower one is answered DEADLINE_EXCEEDED (or,
    /// with its header block unfinished, its connection is closed).
    public var requestTimeout: Duration
    /// How long a stream with response bytes waiting may go without sending any (the peer's window stays shut)
    /// before it is reset; a connection whose socket stays unwritable this long is closed.
    public var sendTimeout: Duration
    /// How long a closing connection may take to write its last frames before the socket is closed regardless.
    public var closeTimeout: Duration

    /// The first bytes of every request body that do not count against ``requestBodyBudget``, and the responses
    /// (and per-stream queues) small enough to pass ``responseQueueBudget``: ordinary calls (a health check, a
    /// lookup) must keep working while an attacker holds a shared budget with large bodies or stalled readers. What
    /// the allowances can hold in all is bounded by the streams: connections × concurrent streams × allowance.
    public static let smallRequestAllowance = 4 * 1024
    public static let smallResponseAllowance = 16 * 1024

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        eventLoopCount: Int = 1,
        maxConcurrentStreams: Int = 100,
        maxReceiveMessageSize: Int = 4 * 1024 * 1024,
        maxHeaderListSize: Int = 8 * 1024,
        maxConnections: Int = 1024,
        maxConnectionsPerPeer: Int = 64,
        idleTimeout: Duration? = .seconds(300),
        streamHighWaterMark: Int = 256 * 1024,
        initialStreamWindowSize: Int = 1 << 20,
        connectionWindowSize: Int = 16 << 20,
        maxCallsPerConnection: Int = 100,
        maxCalls: Int = 1000,
        resetBudget: Int = 200,
        resetRefillPerSecond: Int = 100,
        maxControlFramesPerSecond: Int = 1000,
        requestBodyBudget: Int = 64 << 20,
        responseQueueBudget: Int = 256 << 20,
        requestTimeout: Duration = .seconds(10),
        sendTimeout: Duration = .seconds(30),
        closeTimeout: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.eventLoopCount = eventLoopCount
        self.maxConcurrentStreams = maxConcurrentStreams
        self.maxReceiveMessageSize = maxReceiveMessageSize
        self.maxHeaderListSize = maxHeaderListSize
        self.maxConnections = maxConnections
        self.maxConnectionsPerPeer = maxConnectionsPerPeer
        self.idleTimeout = idleTimeout
        self.streamHighWaterMark = streamHighWaterMark
        self.initialStreamWindowSize = initialStreamWindowSize
        self.connectionWindowSize = connectionWindowSize
        self.maxCallsPerConnection = maxCallsPerConnection
        self.maxCalls = maxCalls
        self.resetBudget = resetBudget
        self.resetRefillPerSecond = resetRefillPerSecond
        self.maxControlFramesPerSecond = maxControlFramesPerSecond
        self.requestBodyBudget = requestBodyBudget
        self.responseQueueBudget = responseQueueBudget
        self.requestTimeout = requestTimeout
        self.sendTimeout = sendTimeout
        self.closeTimeout = closeTimeout
    }
}
