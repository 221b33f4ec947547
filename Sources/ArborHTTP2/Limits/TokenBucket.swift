/// A token bucket: up to `capacity` events at once, refilled at `refillPerSecond`.
///
/// Pure state: the caller passes the clock reading, so the rules are testable without time passing. Used for the
/// per-connection budgets that cut off abusive peers (reset streams whose handlers ran, control-frame floods).
struct TokenBucket {
    let capacity: Double
    let refillPerSecond: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant

    init(capacity: Int, refillPerSecond: Int, now: ContinuousClock.Instant) {
        self.capacity = Double(max(1, capacity))
        self.refillPerSecond = Double(max(0, refillPerSecond))
        self.tokens = self.capacity
        self.last = now
    }

    /// Takes one token; `false` when the bucket is empty (the event is over budget).
    mutating func take(now: ContinuousClock.Instant) -> Bool {
        let elapsed = last.duration(to: now)
        if elapsed > .zero {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            tokens = min(capacity, tokens + seconds * refillPerSecond)
            last = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
