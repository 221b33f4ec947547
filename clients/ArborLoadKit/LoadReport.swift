import Foundation

/// The result of one measured phase, as printed and as `--json`.
public struct LoadReport: Codable, Hashable, Sendable {
    public struct Latency: Codable, Hashable, Sendable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var p99_9: Double
        public var max: Double
        public var mean: Double

        init(_ stats: LatencyStats) {
            p50 = stats.milliseconds(atPercentile: 50)
            p90 = stats.milliseconds(atPercentile: 90)
            p99 = stats.milliseconds(atPercentile: 99)
            p99_9 = stats.milliseconds(atPercentile: 99.9)
            max = stats.maxMilliseconds
            mean = stats.histogram.totalCount == 0 ? 0 : stats.histogram.mean / 1000
        }
    }

    public struct Calls: Codable, Hashable, Sendable {
        public var requests: Int
        public var ok: Int
        public var errors: Int
        public var throughput_per_s: Double
        public var latency_ms: Latency
        public var errors_by_status: [String: Int]
        public var answers_by_source: [String: Int]
        public var stale_answers: Int

        init(_ stats: LatencyStats, seconds: Double) {
            requests = stats.requests
            ok = stats.ok
            errors = stats.errors
            throughput_per_s = seconds > 0 ? Double(stats.requests) / seconds : 0
            latency_ms = Latency(stats)
            errors_by_status = stats.errorsByStatus
            answers_by_source = stats.answersBySource
            stale_answers = stats.staleAnswers
        }
    }

    /// `closed-loop` or `open-loop`.
    public var mode: String
    public var connections: Int
    /// Closed loop: workers; open loop: the in-flight cap.
    public var concurrency: Int
    /// Open loop: the target rate in requests per second.
    public var target_rate_per_s: Double?
    public var require_live: Bool
    public var mix: String
    /// The measured phase's length (excludes warm-up).
    public var elapsed_s: Double
    /// Open loop: requests that were due but never sent because every in-flight slot stayed busy until the end.
    public var unsent: Int
    /// Everything together.
    public var total: Calls
    /// Per call kind that ran.
    public var calls: [String: Calls]

    public init(
        mode: String, connections: Int, concurrency: Int, targetRate: Double?, requireLive: Bool, mix: String,
        elapsedSeconds: Double, unsent: Int = 0, byCall: [CallKind: LatencyStats]
    ) {
        self.unsent = unsent
        self.mode = mode
        self.connections = connections
        self.concurrency = concurrency
        self.target_rate_per_s = targetRate
        self.require_live = requireLive
        self.mix = mix
        self.elapsed_s = elapsedSeconds
        var all = LatencyStats()
        var calls: [String: Calls] = [:]
        for (kind, stats) in byCall where stats.requests > 0 {
            all.add(stats)
            calls[kind.rawValue] = Calls(stats, seconds: elapsedSeconds)
        }
        self.total = Calls(all, seconds: elapsedSeconds)
        self.calls = calls
    }

    /// The human report.
    public var text: String {
        func ms(_ value: Double) -> String { String(format: "%.2f", value) }
        var lines: [String] = []
        let target = target_rate_per_s.map { String(format: ", target %.0f req/s", $0) } ?? ""
        lines.append(
            "\(mode)\(require_live ? " (require_live)" : ""): \(connections) connection(s), concurrency \(concurrency)\(target), mix \(mix)"
        )
        lines.append(
            String(
                format: "%d requests in %.1f s: %.1f req/s, %d ok, %d errors", total.requests, elapsed_s,
                total.throughput_per_s, total.ok, total.errors))
        let header = ["call", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors"]
        var rows: [[String]] = []
        for (name, calls) in calls.sorted(by: { $0.key < $1.key }) + [("all", total)] {
            let l = calls.latency_ms
            rows.append([
                name, String(calls.requests), String(format: "%.1f", calls.throughput_per_s), ms(l.p50), ms(l.p90),
                ms(l.p99), ms(l.p99_9), ms(l.max), String(calls.errors),
            ])
        }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = Swift.max(widths[index], cell.count) }
        }
        for row in [header] + rows {
            lines.append(
                row.enumerated().map { index, cell in
                    let pad = String(repeating: " ", count: widths[index] - cell.count)
                    return index == 0 ? cell + pad : pad + cell
                }.joined(separator: "  "))
        }
        if unsent > 0 {
            lines.append(
                "\(unsent) requests were due but never sent: the in-flight cap was reached (raise --max-in-flight)")
        }
        let sources = total.answers_by_source.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append(
            "answers by source: \(sources.isEmpty ? "none" : sources.joined(separator: ", "))"
                + (total.stale_answers > 0 ? ", \(total.stale_answers) stale" : ""))
        if !total.errors_by_status.isEmpty {
            lines.append(
                "errors by status: "
                    + total.errors_by_status.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

/// Live versus cache, per call: how many times slower (latency) and how many times the throughput.
public struct LiveComparison: Codable, Hashable, Sendable {
    public struct Ratio: Codable, Hashable, Sendable {
        public var p50: Double?
        public var p99: Double?
        public var throughput: Double?
    }

    public var cache: LoadReport
    public var live: LoadReport
    /// `live / cache` per call kind (and `all`); nil where the cache value is zero.
    public var ratios: [String: Ratio]

    public init(cache: LoadReport, live: LoadReport) {
        self.cache = cache
        self.live = live
        func ratio(_ live: Double, _ cache: Double) -> Double? { cache > 0 ? live / cache : nil }
        var ratios: [String: Ratio] = [:]
        let pairs = cache.calls.compactMap { name, calls in live.calls[name].map { (name, calls, $0) } }
        for (name, cached, lived) in pairs + [("all", cache.total, live.total)] {
            ratios[name] = Ratio(
                p50: ratio(lived.latency_ms.p50, cached.latency_ms.p50),
                p99: ratio(lived.latency_ms.p99, cached.latency_ms.p99),
                throughput: ratio(lived.throughput_per_s, cached.throughput_per_s))
        }
        self.ratios = ratios
    }

    public var text: String {
        func show(_ value: Double?) -> String { value.map { String(format: "%.2fx", $0) } ?? "-" }
        let names = ratios.keys.sorted { ($0 == "all" ? "~" : $0) < ($1 == "all" ? "~" : $1) }
        let rows =
            [["call", "p50", "p99", "throughput"]]
            + names.map { [$0, show(ratios[$0]!.p50), show(ratios[$0]!.p99), show(ratios[$0]!.throughput)] }
        var widths = [Int](repeating: 0, count: 4)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = Swift.max(widths[index], cell.count) }
        }
        let lines = rows.map { row in
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return (["live / cache (latency: how many times slower; throughput: how many times as much):"] + lines)
            .joined(separator: "\n")
    }
}
