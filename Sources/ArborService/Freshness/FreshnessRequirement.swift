/// How fresh a caller needs its answer, as the request's `Freshness` says on the wire.
public struct FreshnessRequirement: Hashable, Sendable {
    /// Oldest acceptable snapshot age in milliseconds; 0 means the server's default.
    public var maxStalenessMs: UInt32
    /// Skip the snapshot and ask PostgreSQL.
    public var requireLive: Bool
    /// Answer only from data at least this new (a version from an earlier response, or `arbor.current_version()`).
    public var minVersion: UInt64

    public init(maxStalenessMs: UInt32 = 0, requireLive: Bool = false, minVersion: UInt64 = 0) {
        self.maxStalenessMs = maxStalenessMs
        self.requireLive = requireLive
        self.minVersion = minVersion
    }
}
