import ArborModel

// Short spellings for writing fixtures by hand. They only build values; they never derive an answer.

/// `00000000-0000-0000-0000-00000000000n`-style ids: high word 0, low word `n`.
func uid(_ low: UInt64) -> UserID { UserID(high: 0, low: low) }

/// A date literal; the fixtures only use real dates.
func day(_ iso: String) -> Day { Day(iso: iso)! }

/// Descendant entries from `(id, depth)` pairs.
func entries(_ pairs: [(UserID, UInt32)]) -> [DescendantEntry] {
    pairs.map { DescendantEntry(id: $0.0, depth: $0.1) }
}

/// A stats row from its keys, registrations and registering users.
func stats(_ keys: [String], _ registrations: UInt64, _ users: UInt32) -> StatsRow {
    StatsRow(keys: keys, registrations: registrations, registeringUsers: users)
}

/// A leaderboard row, fields in wire order; `byRole` as `(role, count)` pairs.
func ranked(
    _ rank: UInt32, _ id: UserID, _ name: String, _ role: String, self selfRegistrations: UInt64,
    tree: UInt64, children: UInt32, downline: UInt32, byRole: [(String, UInt32)]
) -> LeaderboardRow {
    LeaderboardRow(
        rank: rank, userID: id, name: name, role: role, selfRegistrations: selfRegistrations,
        treeRegistrations: tree, directChildren: children, downlineSize: downline,
        downlineByRole: byRole.map { RoleCount(role: $0.0, count: $0.1) })
}

/// A registration literal.
func registration(_ user: UserID, _ createdAt: String, _ type: String?, _ channel: String?) -> FixtureRegistration {
    FixtureRegistration(user: user, createdAt: createdAt, type: type, channel: channel)
}

/// An edge literal.
func edge(_ parent: UserID, _ child: UserID) -> EdgeRow { EdgeRow(parent: parent, child: child) }

/// An id no fixture graph contains.
let unknownID = UserID(high: 0, low: 999)
