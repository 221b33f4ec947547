/// Which database state an answer reflects: the one type that says how fresh data is, whether it comes from the
/// in-memory snapshot or from live SQL (see `docs/architecture.md`, Freshness).
public struct DataStamp: Hashable, Sendable {
    /// The transaction-id horizon: every transaction below it is reflected, and all of them have finished
    /// (`pg_snapshot_xmin` of the PostgreSQL snapshot the data was read in).
    public var version: UInt64
    /// When that PostgreSQL snapshot was taken, in milliseconds since the Unix epoch.
    public var asOfUnixMs: Int64

    public init(version: UInt64, asOfUnixMs: Int64) {
        self.version = version
        self.asOfUnixMs = asOfUnixMs
    }
}
