/// A key a stats row is grouped by. Raw values equal the wire enum `arbor.v1.Dimension`.
public enum StatsDimension: Int, Hashable, Sendable, CaseIterable {
    case day = 1
    case role = 2
    case user = 3
    case state = 4
    case district = 5
    case block = 6
    case village = 7
    case registrationType = 8
    case channel = 9
}

/// Registration counts of a subtree, filtered and grouped.
///
/// Scope: `root` (unless `excludeRoot`, which removes it even when it sits on a cycle) plus its descendants
/// within `maxDepth` (0 = unbounded); of those, the users that pass `userFilter` are counted.
public struct FilteredStatsQuery: Hashable, Sendable {
    public var root: UserID
    public var excludeRoot: Bool
    public var maxDepth: UInt32
    public var userFilter: UserFilter
    public var registrations: RegistrationFilter
    /// Distinct dimensions, in the order keys appear in each row.
    public var groupBy: [StatsDimension]

    public init(
        root: UserID, excludeRoot: Bool = false, maxDepth: UInt32 = 0, userFilter: UserFilter = UserFilter(),
        registrations: RegistrationFilter = RegistrationFilter(), groupBy: [StatsDimension] = []
    ) {
        self.root = root
        self.excludeRoot = excludeRoot
        self.maxDepth = maxDepth
        self.userFilter = userFilter
        self.registrations = registrations
        self.groupBy = groupBy
    }
}

/// One group: its keys (one per dimension, in `groupBy` order), the registrations counted in it and how many
/// distinct users made them.
///
/// Keys: DAY as `YYYY-MM-DD`, USER as the lowercase canonical UUID, every other attribute as stored, NULL as `""`.
public struct StatsRow: Hashable, Sendable {
    public var keys: [String]
    public var registrations: UInt64
    public var registeringUsers: UInt32

    public init(keys: [String], registrations: UInt64, registeringUsers: UInt32) {
        self.keys = keys
        self.registrations = registrations
        self.registeringUsers = registeringUsers
    }
}

/// Rows exist only for key tuples with at least one counted registration, sorted by keys in byte order
/// (tuple order, first key first). With no `groupBy`, one row with no keys when the total is above zero.
public struct FilteredStatsResult: Hashable, Sendable {
    public var rows: [StatsRow]
    public var totalRegistrations: UInt64
    /// Users in scope that pass the user filter; registration filters and the window do not change it.
    public var usersInScope: UInt32

    public init(rows: [StatsRow], totalRegistrations: UInt64, usersInScope: UInt32) {
        self.rows = rows
        self.totalRegistrations = totalRegistrations
        self.usersInScope = usersInScope
    }
}
