import ArborModel

/// The hierarchy and the rollup kinds as one PostgreSQL snapshot holds them; the rollups of the same snapshot are
/// streamed separately, as packs (see ``SnapshotLoader/load(deadline:build:)``), because there are millions of them.
public struct SnapshotGraph: Sendable {
    public var roles: [RoleRow]
    public var users: [UserRow]
    public var edges: [EdgeRow]
    /// Every (type, channel) pair the packs' entries name by code.
    public var kinds: [RollupKind]
    /// Rollup rows in all packs of the snapshot (the sum of their `row_count`): a capacity hint for a builder.
    public var rollupRowCount: Int
    /// The PostgreSQL snapshot everything was read in; its `xmin` is the data's version.
    public var snapshot: PostgresSnapshot
    /// When that snapshot was taken (no later than it), in milliseconds since the Unix epoch.
    public var asOfUnixMs: Int64

    public init(
        roles: [RoleRow], users: [UserRow], edges: [EdgeRow], kinds: [RollupKind], rollupRowCount: Int,
        snapshot: PostgresSnapshot, asOfUnixMs: Int64
    ) {
        self.roles = roles
        self.users = users
        self.edges = edges
        self.kinds = kinds
        self.rollupRowCount = rollupRowCount
        self.snapshot = snapshot
        self.asOfUnixMs = asOfUnixMs
    }
}
