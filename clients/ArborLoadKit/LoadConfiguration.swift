/// What a load run does.
public struct LoadConfiguration: Sendable {
    /// How requests are paced.
    public enum Mode: Hashable, Sendable {
        /// `concurrency` workers, each sending its next request when the last one finished.
        case closedLoop(concurrency: Int)
        /// Requests sent at a fixed `rate` per second whatever the answers do; at most `maxInFlight` at once (later
        /// requests wait for a slot, and the wait counts in their latency).
        case openLoop(rate: Double, maxInFlight: Int)
    }

    public var mode: Mode
    /// HTTP/2 connections the client opens.
    public var connections: Int
    /// Which calls, how often.
    public var mix: WorkloadMix
    /// The measured phase stops after this long…
    public var duration: Duration
    /// …or after this many requests, whichever comes first.
    public var maxRequests: Int
    /// Traffic sent first and not measured (connections, caches, JIT-free but page-cache warm).
    public var warmup: Duration
    /// Each call's deadline.
    public var timeout: Duration
    /// The freshness bound sent with each call; `nil` leaves it to the server.
    public var maxStaleness: Duration?
    /// Seed of the parameter draws.
    public var seed: UInt64

    public init(
        mode: Mode, connections: Int, mix: WorkloadMix, duration: Duration, maxRequests: Int, warmup: Duration,
        timeout: Duration, maxStaleness: Duration?, seed: UInt64
    ) {
        self.mode = mode
        self.connections = connections
        self.mix = mix
        self.duration = duration
        self.maxRequests = maxRequests
        self.warmup = warmup
        self.timeout = timeout
        self.maxStaleness = maxStaleness
        self.seed = seed
    }

    var modeName: String {
        switch mode {
        case .closedLoop: "closed-loop"
        case .openLoop: "open-loop"
        }
    }

    var concurrency: Int {
        switch mode {
        case .closedLoop(let concurrency): concurrency
        case .openLoop(_, let maxInFlight): maxInFlight
        }
    }

    var rate: Double? {
        if case .openLoop(let rate, _) = mode { return rate }
        return nil
    }
}
