import ArborClient

/// A call with all of its parameters chosen.
public enum PlannedCall: Hashable, Sendable {
    case descendants(DescendantsQuery)
    case stats(FilteredStatsQuery)
    case leaderboard(LeaderboardQuery)
    case users(FindUsersQuery)
    case cycles(CyclesQuery)

    public var kind: CallKind {
        switch self {
        case .descendants: .descendants
        case .stats: .stats
        case .leaderboard: .leaderboard
        case .users: .users
        case .cycles: .cycles
        }
    }
}

/// Draws call parameters from a ``WorkloadSample``: roots of every subtree size, windows of 7/30/90 days or
/// unbounded, groupings, and sometimes a role or district filter. Pure: the same generator state gives the same call.
public struct RequestFactory: Sendable {
    public let sample: WorkloadSample

    public init(sample: WorkloadSample) throws(LoadError) {
        guard !sample.rootsBySize.isEmpty else {
            throw LoadError("the server's data has no user with descendants; load some data first")
        }
        self.sample = sample
    }

    static let groupings: [[StatsDimension]] = [[], [.day], [.role], [.day, .role], [.district], [.channel]]

    public func make(_ kind: CallKind, using generator: inout some RandomNumberGenerator) -> PlannedCall {
        switch kind {
        case .descendants:
            return .descendants(
                DescendantsQuery(root: root(using: &generator), maxDepth: Bool.random(using: &generator) ? 0 : 2))
        case .stats:
            return .stats(
                FilteredStatsQuery(
                    root: root(using: &generator), userFilter: filter(using: &generator),
                    registrations: window(using: &generator),
                    groupBy: Self.groupings.randomElement(using: &generator)!))
        case .leaderboard:
            var metrics: [LeaderboardMetric] = [.treeRegistrations, .selfRegistrations, .directChildren, .downlineSize]
            if let role = sample.roles.randomElement(using: &generator) { metrics.append(.downlineRole(role)) }
            let within = Int.random(in: 0..<3, using: &generator) == 0 ? nil : root(using: &generator)
            return .leaderboard(
                LeaderboardQuery(
                    metric: metrics.randomElement(using: &generator)!, within: within,
                    registrations: window(using: &generator), limit: [10, 50, 100].randomElement(using: &generator)!))
        case .users:
            let prefix = sample.namePrefixes.randomElement(using: &generator) ?? "a"
            return .users(FindUsersQuery(namePrefix: prefix, limit: 20))
        case .cycles:
            return .cycles(CyclesQuery(limit: 10))
        }
    }

    func root(using generator: inout some RandomNumberGenerator) -> UserID {
        sample.rootsBySize.randomElement(using: &generator)!.randomElement(using: &generator)!.id
    }

    func window(using generator: inout some RandomNumberGenerator) -> RegistrationFilter {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: RegistrationFilter()
        case 1: RegistrationFilter(from: sample.today.advanced(by: -6), to: sample.today)
        case 2: RegistrationFilter(from: sample.today.advanced(by: -29), to: sample.today)
        default: RegistrationFilter(from: sample.today.advanced(by: -89), to: sample.today)
        }
    }

    func filter(using generator: inout some RandomNumberGenerator) -> UserFilter {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: sample.roles.randomElement(using: &generator).map { UserFilter(roles: [$0]) } ?? UserFilter()
        case 1: sample.districts.randomElement(using: &generator).map { UserFilter(districts: [$0]) } ?? UserFilter()
        default: UserFilter()
        }
    }
}
