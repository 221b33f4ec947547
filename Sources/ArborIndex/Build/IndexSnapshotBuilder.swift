import ArborModel

/// Builds an ``IndexSnapshot`` with the rollups fed in one row at a time, so that a loader streaming
/// `arbor.daily_rollups` never holds them all as `RollupRow` values.
///
/// Staging costs 14 bytes a rollup row (the snapshot then keeps 8); rows may come in any order, and rows in
/// (user, day) order skip the per-user sort. Rules are those of
/// ``IndexSnapshot/build(roles:users:edges:rollups:version:asOfUnixMs:)``: rollups of unknown users and rows without
/// registrations are dropped.
public struct IndexSnapshotBuilder {
    private let roles: [RoleRow]
    private let users: IndexedUsers
    private let edges: [EdgeRow]
    private var staging = RollupStaging()
    private var lastID: UserID? = nil
    private var lastIndex: Int32 = -1

    public init(roles: [RoleRow], users: [UserRow], edges: [EdgeRow]) {
        self.roles = roles
        self.users = IndexedUsers(users)
        self.edges = edges
    }

    /// Adds one row of `arbor.daily_rollups`.
    public mutating func addRollup(
        user: UserID, day: Day, registrationType: String?, channel: String?, registrations: Int64
    ) {
        let index: Int32
        if user == lastID {
            index = lastIndex
        } else if let found = users.indexOf[user] {
            index = found
            lastID = user
            lastIndex = found
        } else {
            return
        }
        staging.append(
            user: index, day: day.daysSinceEpoch, type: registrationType, channel: channel,
            registrations: registrations)
    }

    /// Adds one rollup row.
    public mutating func addRollup(_ row: RollupRow) {
        addRollup(
            user: row.user, day: row.day, registrationType: row.registrationType, channel: row.channel,
            registrations: row.registrations)
    }

    /// The snapshot of everything added.
    /// - Throws: ``IndexBuildError`` as ``IndexSnapshot/build(roles:users:edges:rollups:version:asOfUnixMs:)``.
    public func build(version: UInt64, asOfUnixMs: Int64) throws(IndexBuildError) -> IndexSnapshot {
        let rollups = try RollupTable(staging: staging, userCount: users.rows.count)
        return IndexSnapshot.assemble(
            roles: roles, users: users, edges: edges, rollups: rollups, version: version, asOfUnixMs: asOfUnixMs)
    }
}
