/// What the leaderboard orders by.
public enum LeaderboardMetric: Hashable, Sendable {
    /// The user's own registrations (filters and window applied).
    case selfRegistrations
    /// Registrations created by the user's distinct descendants, not by the user (filters and window applied).
    case treeRegistrations
    /// Distinct children other than the user.
    case directChildren
    /// Distinct descendants, the user excluded even on a cycle.
    case downlineSize
    /// Descendants whose role is the given (known) role.
    case downlineRole(String)
}

/// Ranks users by their own and their downline's numbers.
///
/// `filter` and `within` decide only who is ranked (`within`'s descendants, never `within` itself); a ranked
/// user's metrics cover their whole downline. Order: the metric (descending unless `ascending`), then user id
/// ascending; `rank = offset + index + 1`.
public struct LeaderboardQuery: Hashable, Sendable {
    public var metric: LeaderboardMetric
    public var ascending: Bool
    public var filter: UserFilter
    public var within: UserID?
    public var registrations: RegistrationFilter
    /// Rows returned, 1...1000 (the service turns the wire's 0 into 50).
    public var limit: UInt32
    public var offset: UInt32

    public init(
        metric: LeaderboardMetric = .treeRegistrations, ascending: Bool = false, filter: UserFilter = UserFilter(),
        within: UserID? = nil, registrations: RegistrationFilter = RegistrationFilter(), limit: UInt32 = 50,
        offset: UInt32 = 0
    ) {
        self.metric = metric
        self.ascending = ascending
        self.filter = filter
        self.within = within
        self.registrations = registrations
        self.limit = limit
        self.offset = offset
    }
}

/// How many of a user's descendants hold a role.
public struct RoleCount: Hashable, Sendable {
    public var role: String
    public var count: UInt32

    public init(role: String, count: UInt32) {
        self.role = role
        self.count = count
    }
}

/// One ranked user. NULL name or role is `""`.
public struct LeaderboardRow: Hashable, Sendable {
    public var rank: UInt32
    public var userID: UserID
    public var name: String
    public var role: String
    public var selfRegistrations: UInt64
    public var treeRegistrations: UInt64
    public var directChildren: UInt32
    public var downlineSize: UInt32
    /// Descendants by role: counts above zero, by role name in byte order (a NULL role as `""`).
    public var downlineByRole: [RoleCount]

    public init(
        rank: UInt32, userID: UserID, name: String, role: String, selfRegistrations: UInt64,
        treeRegistrations: UInt64, directChildren: UInt32, downlineSize: UInt32, downlineByRole: [RoleCount]
    ) {
        self.rank = rank
        self.userID = userID
        self.name = name
        self.role = role
        self.selfRegistrations = selfRegistrations
        self.treeRegistrations = treeRegistrations
        self.directChildren = directChildren
        self.downlineSize = downlineSize
        self.downlineByRole = downlineByRole
    }
}

/// The requested page of the ranking and how many users were ranked in all.
public struct LeaderboardResult: Hashable, Sendable {
    public var rows: [LeaderboardRow]
    public var totalRanked: UInt32

    public init(rows: [LeaderboardRow], totalRanked: UInt32) {
        self.rows = rows
        self.totalRanked = totalRanked
    }
}
