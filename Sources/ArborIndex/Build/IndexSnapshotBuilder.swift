import ArborModel

/// Builds an ``IndexSnapshot`` with the rollups fed in as they are read, so that a loader never holds them all as
/// `RollupRow` values.
///
/// Rollups come either as packs (``addRollups(of:_:)``: one user's rows with kind codes, as a full load reads
/// `arbor.rollup_packs`) or as single rows (``addRollup(_:)``). Rows that arrive user by user in id order go
/// straight into the snapshot's columns (5 bytes a row); rows in any other order are staged first (11 bytes a row)
/// and give the same snapshot. Rules are those of
/// ``IndexSnapshot/build(roles:users:edges:rollups:)``: rollups of unknown users and rows without
/// registrations are dropped.
public struct IndexSnapshotBuilder {
    private let roles: [RoleRow]
    private let users: IndexedUsers
    private let edges: [EdgeRow]
    private var pairs = PairEncoder()
    private var writer: RollupRunWriter
    private var kinds: KindPairs
    private var lastID: UserID? = nil
    private var lastIndex: Int32 = -1

    /// - Parameters:
    ///   - kinds: the kinds that ``addRollups(of:_:)`` entries name by code.
    ///   - expectedRollupRows: how many rollup rows will come (a capacity hint).
    public init(
        roles: [RoleRow], users: [UserRow], edges: [EdgeRow], kinds: [RollupKind] = [], expectedRollupRows: Int = 0
    ) {
        self.roles = roles
        self.users = IndexedUsers(users)
        self.edges = edges
        self.kinds = KindPairs(kinds)
        writer = RollupRunWriter(userCount: self.users.rows.count, expectedRows: max(0, expectedRollupRows))
    }

    /// Whether the rows so far came user by user in id order and went straight into place (a full load's packs
    /// should; staging is the slower, larger fallback).
    public var rollupsWrittenInPlace: Bool { !writer.isStaging }

    /// Adds one user's rollup rows whose kinds are codes of the `kinds` given at creation.
    public mutating func addRollups(of user: UserID, _ entries: [RollupEntry]) {
        guard let index = index(of: user) else { return }
        for entry in entries {
            guard let pair = kinds.pair(of: entry.kind, encoder: &pairs) else { continue }
            writer.append(user: index, day: entry.day.daysSinceEpoch, pair: pair, registrations: entry.registrations)
        }
    }

    /// Adds one row of `arbor.daily_rollups`.
    public mutating func addRollup(
        user: UserID, day: Day, registrationType: String?, channel: String?, registrations: Int64
    ) {
        guard registrations > 0, let index = index(of: user),
            let pair = pairs.code(type: registrationType, channel: channel)
        else { return }
        writer.append(user: index, day: day.daysSinceEpoch, pair: pair, registrations: registrations)
    }

    /// Adds one rollup row.
    public mutating func addRollup(_ row: RollupRow) {
        addRollup(
            user: row.user, day: row.day, registrationType: row.registrationType, channel: row.channel,
            registrations: row.registrations)
    }

    private mutating func index(of user: UserID) -> Int32? {
        if user == lastID { return lastIndex }
        guard let found = users.indexOf[user] else { return nil }
        lastID = user
        lastIndex = found
        return found
    }

    /// The snapshot of everything added.
    /// - Throws: ``IndexBuildError`` as ``IndexSnapshot/build(roles:users:edges:rollups:)``, and
    ///   when an entry named a kind code that was not given.
    ///
    /// The rollup columns move into the snapshot (the builder holds no rows afterwards), so a builder that a closure
    /// captured cannot leave a second reference that would make the build copy a column.
    public mutating func build() throws(IndexBuildError) -> IndexSnapshot {
        if let unknown = kinds.unknownCode { throw .unknownKind(unknown) }
        let users = self.users
        let rollups = try writer.finish(pairs: pairs) { users.rows[Int($0)].id }
        return IndexSnapshot.assemble(
            roles: roles, users: users, edges: edges, rollups: rollups)
    }
}
