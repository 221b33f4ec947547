import Histogram

/// Latencies and outcomes of one call kind (or of all): an HDR histogram in microseconds plus counters.
public struct LatencyStats: Sendable {
    public private(set) var histogram: Histogram<UInt64>
    public private(set) var ok: Int = 0
    public private(set) var errorsByStatus: [String: Int] = [:]
    public private(set) var answersBySource: [String: Int] = [:]
    public private(set) var staleAnswers: Int = 0

    /// Empty stats.
    public init() {
        // 1 µs to 10 min at 3 significant digits; autoResize keeps a longer outlier instead of dropping it.
        var histogram = Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
        self.histogram = histogram
    }

    /// Calls finished, answered or failed.
    public var requests: Int { ok + errors }
    /// Calls that failed, any status.
    public var errors: Int { errorsByStatus.values.reduce(0, +) }

    /// Records one finished call that took `microseconds` (from its intended send time in open loop).
    public mutating func record(microseconds: UInt64, outcome: CallOutcome) {
        _ = histogram.record(max(1, microseconds))
        switch outcome {
        case .answered(let source, let stale):
            ok += 1
            answersBySource[source, default: 0] += 1
            if stale { staleAnswers += 1 }
        case .failed(let status):
            errorsByStatus[status, default: 0] += 1
        }
    }

    public mutating func add(_ other: LatencyStats) {
        histogram.add(other.histogram)
        ok += other.ok
        for (status, count) in other.errorsByStatus { errorsByStatus[status, default: 0] += count }
        for (source, count) in other.answersBySource { answersBySource[source, default: 0] += count }
        staleAnswers += other.staleAnswers
    }

    /// The latency at `percentile` (0–100) in milliseconds; 0 with no samples.
    public func milliseconds(atPercentile percentile: Double) -> Double {
        histogram.totalCount == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    /// The slowest call in milliseconds; 0 with no samples.
    public var maxMilliseconds: Double { histogram.totalCount == 0 ? 0 : Double(histogram.max) / 1000 }
}

/// How one call ended.
public enum CallOutcome: Hashable, Sendable {
    /// An answer, from this source (`cache`, `live`).
    case answered(source: String, stale: Bool)
    /// A gRPC status name such as `UNAVAILABLE`.
    case failed(status: String)
}
