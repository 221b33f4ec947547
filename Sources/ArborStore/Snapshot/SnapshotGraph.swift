import ArborModel

/// The hierarchy as one PostgreSQL snapshot holds it; the rollups of the same snapshot are streamed separately
/// (see ``SnapshotLoader/load(deadline:build:)``) because there are millions of them.
public struct SnapshotGraph: Sendable {
    public var roles: [RoleRow]
    public var users: [UserRow]
    public var edges: [EdgeRow]
    /// The PostgreSQL snapshot everything was read in; its `xmin` is the data's version.
    public var snapshot: PostgresSnapshot
    /// When that snapshot was taken (no later than it), in milliseconds since the Unix epoch.
    public var asOfUnixMs: Int64

    public init(roles: [RoleRow], users: [UserRow], edges: [EdgeRow], snapshot: PostgresSnapshot, asOfUnixMs: Int64) {
        self.roles = roles
        self.users = users
        self.edges = edges
        self.snapshot = snapshot
        self.asOfUnixMs = asOfUnixMs
    }
}
