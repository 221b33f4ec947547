/// What the router needs to know of the in-memory snapshot: which database state it mirrors and since when.
public struct SnapshotStamp: Hashable, Sendable {
    /// `pg_snapshot_xmin` of the PostgreSQL snapshot the index mirrors.
    public var version: UInt64
    /// When that PostgreSQL snapshot was taken, in milliseconds since the Unix epoch.
    public var asOfUnixMs: Int64

    public init(version: UInt64, asOfUnixMs: Int64) {
        self.version = version
        self.asOfUnixMs = asOfUnixMs
    }
}
