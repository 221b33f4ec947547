/// How fresh an answer must be: the request's `Freshness` message in friendly form.
///
/// The default lets the server decide (its default staleness bound, any version).
public struct Freshness: Hashable, Sendable {
    /// The oldest snapshot the caller accepts; `nil` means the server's default. Sent in whole milliseconds,
    /// at least 1 ms (0 on the wire means "server default") and at most `UInt32.max` ms.
    public var maxStaleness: Duration?
    /// Skip the in-memory snapshot and answer with live SQL.
    public var requireLive: Bool
    /// Answer from data at least this new: a ``ResponseMeta/version`` from an earlier response; 0 means any.
    public var minVersion: UInt64

    public init(maxStaleness: Duration? = nil, requireLive: Bool = false, minVersion: UInt64 = 0) {
        self.maxStaleness = maxStaleness
        self.requireLive = requireLive
        self.minVersion = minVersion
    }

    /// The server decides.
    public static let serverDefault = Freshness()
    /// Always answered by live SQL.
    public static let live = Freshness(requireLive: true)

    /// The wire message; `nil` when every field is at its default, so that nothing is sent.
    public var message: ArborV2.Freshness? {
        let milliseconds = maxStaleness.map(Self.wireMilliseconds) ?? 0
        guard milliseconds != 0 || requireLive || minVersion != 0 else { return nil }
        return ArborV2.Freshness(maxStalenessMs: milliseconds, requireLive: requireLive, minVersion: minVersion)
    }

    static func wireMilliseconds(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, duration > .zero else { return 1 }
        let milliseconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !milliseconds.overflow else { return UInt32.max }
        let total = milliseconds.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return UInt32(clamping: max(1, total))
    }
}
