/// When each request of an open-loop run is due: request `i` at `i / rate` after the start, whatever happened to
/// the requests before it. Latency is measured from this intended time, so a stalled server is charged for the
/// requests that queued behind the stall (no coordinated omission).
public struct OpenLoopSchedule: Hashable, Sendable {
    /// Requests per second.
    public let rate: Double

    public init(rate: Double) {
        precondition(rate > 0 && rate.isFinite, "rate must be positive")
        self.rate = rate
    }

    /// Nanoseconds from the start at which request `index` (0-based) is due.
    public func offsetNanoseconds(ofRequest index: Int) -> Int64 {
        Int64((Double(index) * 1e9 / rate).rounded())
    }

    /// How many requests are due by `elapsedNanoseconds` (those with offset ≤ elapsed).
    public func requestsDue(byNanoseconds elapsed: Int64) -> Int {
        guard elapsed >= 0 else { return 0 }
        return Int((Double(elapsed) * rate / 1e9).rounded(.down)) + 1
    }
}
