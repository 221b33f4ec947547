import ArborModel

/// Everything the in-memory index is built from, read in one PostgreSQL snapshot.
public struct SnapshotRows: Sendable {
    public var roles: [RoleRow]
    public var users: [UserRow]
    public var edges: [EdgeRow]
    /// Rows of `arbor.daily_rollups` with a non-zero count.
    public var rollups: [RollupRow]
    /// The PostgreSQL snapshot the rows were read in; its `xmin` is their version.
    public var snapshot: PostgresSnapshot
    /// When that snapshot was taken (no later than it), in milliseconds since the Unix epoch.
    public var asOfUnixMs: Int64

    public init(
        roles: [RoleRow], users: [UserRow], edges: [EdgeRow], rollups: [RollupRow], snapshot: PostgresSnapshot,
        asOfUnixMs: Int64
    ) {
        self.roles = roles
        self.users = users
        self.edges = edges
        self.rollups = rollups
        self.snapshot = snapshot
        self.asOfUnixMs = asOfUnixMs
    }
}
