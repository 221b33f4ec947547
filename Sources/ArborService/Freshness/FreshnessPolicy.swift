public import ArborModel

/// Decides which source answers a request: the in-memory snapshot or live SQL.
///
/// Pure: the caller passes the clock reading, so every rule is testable without time passing.
public struct FreshnessPolicy: Hashable, Sendable {
    /// Which source a request goes to first.
    public enum Route: Hashable, Sendable {
        /// The snapshot is fresh and new enough.
        case snapshot
        /// Only PostgreSQL can satisfy the request.
        case live
    }

    /// The age bound used when a request gives `max_staleness_ms = 0`, in milliseconds.
    public var defaultMaxStalenessMs: Int64
    /// How old a snapshot may be and still answer (flagged stale) when PostgreSQL cannot be reached, in ms.
    public var staleIfErrorMs: Int64

    public init(defaultMaxStalenessMs: Int64, staleIfErrorMs: Int64) {
        self.defaultMaxStalenessMs = defaultMaxStalenessMs
        self.staleIfErrorMs = staleIfErrorMs
    }

    /// The first source to try for `requirement` given the current snapshot (if any) at `nowUnixMs`.
    public func route(_ requirement: FreshnessRequirement, snapshot: DataStamp?, nowUnixMs: Int64) -> Route {
        guard !requirement.requireLive, let snapshot, snapshot.version >= requirement.minVersion else { return .live }
        let bound = requirement.maxStalenessMs == 0 ? defaultMaxStalenessMs : Int64(requirement.maxStalenessMs)
        return nowUnixMs - snapshot.asOfUnixMs <= bound ? .snapshot : .live
    }

    /// Whether the snapshot may answer, flagged stale, after live SQL failed because PostgreSQL is unreachable.
    ///
    /// Never for `require_live`, and never below `min_version`: either would break a promise made to the caller.
    public func mayServeStale(
        _ requirement: FreshnessRequirement, snapshot: DataStamp?, nowUnixMs: Int64
    ) -> Bool {
        guard !requirement.requireLive, let snapshot, snapshot.version >= requirement.minVersion else { return false }
        return nowUnixMs - snapshot.asOfUnixMs <= staleIfErrorMs
    }
}
