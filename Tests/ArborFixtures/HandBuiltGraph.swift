import ArborModel

/// One registration as it would sit in `registrations`: who created it, when (UTC text as PostgreSQL accepts it),
/// its type and channel (`nil` is NULL).
public struct FixtureRegistration: Hashable, Sendable {
    public var user: UserID
    /// `YYYY-MM-DD HH:MM:SS+00`: the fixtures' organisation time zone is UTC, so the day is the date part.
    public var createdAt: String
    public var type: String?
    public var channel: String?

    public init(user: UserID, createdAt: String, type: String?, channel: String?) {
        self.user = user
        self.createdAt = createdAt
        self.type = type
        self.channel = channel
    }

    /// The calendar day of `createdAt` in UTC.
    public var day: Day {
        guard createdAt.hasSuffix("+00"), let day = Day(iso: String(createdAt.prefix(10))) else {
            preconditionFailure("fixture timestamp \(createdAt) is not UTC YYYY-MM-DD HH:MM:SS+00")
        }
        return day
    }
}

/// A small graph written out by hand, with the answers the contract requires for a set of calls, also written by
/// hand from the semantics in `docs/contract.md` (never computed by the code under test).
public struct HandBuiltGraph: Sendable {
    public var name: String
    public var roles: [RoleRow]
    public var users: [UserRow]
    public var edges: [EdgeRow]
    /// The fixtures' time zone is UTC.
    public var registrations: [FixtureRegistration]
    public var cases: [FixtureCase]

    public init(
        name: String, roles: [RoleRow], users: [UserRow], edges: [EdgeRow], registrations: [FixtureRegistration],
        cases: [FixtureCase]
    ) {
        self.name = name
        self.roles = roles
        self.users = users
        self.edges = edges
        self.registrations = registrations
        self.cases = cases
    }

    /// The daily rollups PostgreSQL would derive from `registrations` (UTC days, grouped by user, day, type and
    /// channel), in a stable order. This is a derivation of the input, not an expectation.
    public var rollups: [RollupRow] {
        struct Key: Hashable {
            var user: UserID
            var day: Day
            var type: String?
            var channel: String?
        }
        var counts: [Key: Int64] = [:]
        var order: [Key] = []
        for registration in registrations {
            let key = Key(
                user: registration.user, day: registration.day, type: registration.type,
                channel: registration.channel)
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        return order.map {
            RollupRow(
                user: $0.user, day: $0.day, registrationType: $0.type, channel: $0.channel,
                registrations: counts[$0]!)
        }
    }

}

/// A call on a ``HandBuiltGraph`` and the answer the contract requires.
public enum FixtureCase: Sendable {
    case descendants(String, DescendantsQuery, Result<DescendantsResult, QueryError>)
    case filteredStats(String, FilteredStatsQuery, Result<FilteredStatsResult, QueryError>)
    case leaderboard(String, LeaderboardQuery, Result<LeaderboardResult, QueryError>)
    case cycles(String, CyclesQuery, Result<CyclesResult, QueryError>)
    case findUsers(String, FindUsersQuery, Result<FindUsersResult, QueryError>)

    /// What the case checks, in words.
    public var label: String {
        switch self {
        case .descendants(let label, _, _), .filteredStats(let label, _, _), .leaderboard(let label, _, _),
            .cycles(let label, _, _), .findUsers(let label, _, _):
            label
        }
    }
}

extension FixtureCase: CustomStringConvertible {
    public var description: String { label }
}
