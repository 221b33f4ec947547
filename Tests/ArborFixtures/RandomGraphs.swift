import ArborModel

/// SplitMix64: a small seeded generator, so every random graph can be rebuilt from its seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random graph of one of several shapes, with random attributes (NULLs included) and rollups.
public struct RandomGraph: Sendable {
    public enum Shape: CaseIterable, Sendable {
        case tree, dag, cycles, selfEdges, ladder, mixed
    }

    public static let rolePool = ["ADMIN", "DPR", "DPOC", "LPR", "VOLUNTEER", ""]
    public static let placePool = ["KA", "TN", "Bengaluru", "", "Mysuru"]
    public static let namePool = ["Anil", "anil", "ANIL", "Ánil", "Bala", "bala k", "a_b", "a%b", "Zoe", ""]
    public static let typePool: [String?] = [nil, "NEW", "RENEW", "X"]
    public static let channelPool: [String?] = [nil, "APP", "WEB"]
    public static let firstDay = Day(iso: "2024-05-01")!

    public var roles: [RoleRow]
    public var users: [UserRow]
    public var edges: [EdgeRow]
    public var rollups: [RollupRow]

    public init(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let shape = Shape.allCases.randomElement(using: &random)!
        let count = Int.random(in: 1...36, using: &random)
        // Ids with varied first bytes (the high bit included) so that id order is not insertion order.
        var ids = Set<UserID>()
        while ids.count < count {
            ids.insert(
                UserID(high: random.next() & 0xFF00_0000_0000_00FF, low: UInt64.random(in: 0...3, using: &random)))
        }
        let order = Array(ids).shuffled(using: &random)
        func maybe<T>(_ value: T) -> T? { Int.random(in: 0..<5, using: &random) == 0 ? nil : value }
        func pick(_ pool: [String]) -> String? { maybe(pool.randomElement(using: &random)!) }
        users = order.map { id in
            UserRow(
                id: id, name: pick(Self.namePool), role: pick(Self.rolePool), state: pick(Self.placePool),
                district: pick(Self.placePool), block: pick(Self.placePool), village: pick(Self.placePool),
                status: maybe(Bool.random(using: &random) ? "active" : "inactive"),
                appInstalled: maybe(Bool.random(using: &random)))
        }
        roles = Self.rolePool.map { RoleRow(name: $0, level: nil) } + [RoleRow(name: "UNUSED", level: nil)]

        var edges: [EdgeRow] = []
        func link(_ parent: Int, _ child: Int) { edges.append(EdgeRow(parent: order[parent], child: order[child])) }
        switch shape {
        case .tree:
            for child in order.indices.dropFirst() { link(Int.random(in: 0..<child, using: &random), child) }
        case .dag:
            for child in order.indices.dropFirst() {
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    link(Int.random(in: 0..<child, using: &random), child)
                }
            }
        case .cycles:
            for child in order.indices.dropFirst() { link(Int.random(in: 0..<child, using: &random), child) }
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                link(Int.random(in: 0..<count, using: &random), Int.random(in: 0..<count, using: &random))
            }
        case .selfEdges:
            for child in order.indices.dropFirst() { link(Int.random(in: 0..<child, using: &random), child) }
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let user = Int.random(in: 0..<count, using: &random)
                link(user, user)
            }
        case .ladder:
            var top = 0
            var next = 1
            while next + 2 < count + 1, next + 1 < count {
                link(top, next)
                link(top, next + 1)
                if next + 2 < count {
                    link(next, next + 2)
                    link(next + 1, next + 2)
                }
                top = next + 2
                next += 3
            }
        case .mixed:
            for _ in 0..<Int.random(in: 0...(count * 2), using: &random) {
                link(Int.random(in: 0..<count, using: &random), Int.random(in: 0..<count, using: &random))
            }
        }
        // An edge to a user that does not exist, and a duplicate edge.
        if Bool.random(using: &random) { edges.append(EdgeRow(parent: order[0], child: UserID(high: 7, low: 7))) }
        if let first = edges.first, Bool.random(using: &random) { edges.append(first) }
        self.edges = edges

        var rollups: [RollupRow] = []
        for _ in 0..<Int.random(in: 0...(count * 4), using: &random) {
            rollups.append(
                RollupRow(
                    user: order.randomElement(using: &random)!,
                    day: Self.firstDay.advanced(by: Int32.random(in: 0..<20, using: &random)),
                    registrationType: Self.typePool.randomElement(using: &random)!,
                    channel: Self.channelPool.randomElement(using: &random)!,
                    registrations: Int64.random(in: 1...5, using: &random)))
        }
        rollups.append(
            RollupRow(
                user: UserID(high: 9, low: 9), day: Self.firstDay, registrationType: "NEW", channel: "APP",
                registrations: 3))
        self.rollups = rollups
    }
}

/// Random requests over a random graph.
public struct RandomQueries: Sendable {
    public var random: SeededGenerator
    public let users: [UserID]

    public init(random: SeededGenerator, users: [UserID]) {
        self.random = random
        self.users = users
    }

    public mutating func id() -> UserID {
        Int.random(in: 0..<20, using: &random) == 0 ? UserID(high: 5, low: 5) : users.randomElement(using: &random)!
    }

    mutating func values(_ pool: [String]) -> [String] {
        guard Int.random(in: 0..<3, using: &random) == 0 else { return [] }
        return (0..<Int.random(in: 1...2, using: &random)).map { _ in pool.randomElement(using: &random)! }
    }

    public mutating func filter() -> UserFilter {
        var roles = values(RandomGraph.rolePool + ["UNUSED"])
        if Int.random(in: 0..<40, using: &random) == 0 { roles.append("KING") }
        return UserFilter(
            roles: roles, states: values(RandomGraph.placePool + ["NOWHERE"]), districts: values(RandomGraph.placePool),
            blocks: values(RandomGraph.placePool), villages: values(RandomGraph.placePool),
            active: Int.random(in: 0..<3, using: &random) == 0 ? Bool.random(using: &random) : nil,
            appInstalled: Int.random(in: 0..<4, using: &random) == 0 ? Bool.random(using: &random) : nil)
    }

    public mutating func registrations() -> RegistrationFilter {
        func day() -> Day? {
            Bool.random(using: &random)
                ? RandomGraph.firstDay.advanced(by: Int32.random(in: -2..<22, using: &random)) : nil
        }
        var from = day()
        var to = day()
        if let low = from, let high = to, low > high { (from, to) = (high, low) }
        return RegistrationFilter(
            types: values(["NEW", "RENEW", "X", "NOPE"]), channels: values(["APP", "WEB", "NOPE"]), from: from, to: to)
    }

    public mutating func descendants() -> DescendantsQuery {
        DescendantsQuery(
            root: id(), maxDepth: UInt32.random(in: 0...4, using: &random), filter: filter(),
            includeRoot: Bool.random(using: &random), limit: UInt32.random(in: 0...6, using: &random))
    }

    public mutating func filteredStats() -> FilteredStatsQuery {
        let groupBy = Array(
            StatsDimension.allCases.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random)))
        return FilteredStatsQuery(
            root: id(), excludeRoot: Bool.random(using: &random), maxDepth: UInt32.random(in: 0...3, using: &random),
            userFilter: filter(), registrations: registrations(), groupBy: groupBy)
    }

    public mutating func leaderboard() -> LeaderboardQuery {
        let metrics: [LeaderboardMetric] = [
            .selfRegistrations, .treeRegistrations, .directChildren, .downlineSize,
            .downlineRole((RandomGraph.rolePool + ["UNUSED"]).randomElement(using: &random)!),
        ]
        return LeaderboardQuery(
            metric: metrics.randomElement(using: &random)!, ascending: Bool.random(using: &random), filter: filter(),
            within: Bool.random(using: &random) ? id() : nil, registrations: registrations(),
            limit: UInt32.random(in: 1...8, using: &random), offset: UInt32.random(in: 0...12, using: &random))
    }

    public mutating func findUsers() -> FindUsersQuery {
        let prefixes = ["a", "A", "an", "ANI", "á", "Á", "a_", "a%", "b", "Z", "", "x"]
        let prefix = Bool.random(using: &random) ? prefixes.randomElement(using: &random)! : nil
        let ids = prefix == nil || Bool.random(using: &random) ? (0..<3).map { _ in id() } : nil
        return FindUsersQuery(namePrefix: prefix, ids: ids, limit: UInt32.random(in: 1...6, using: &random))
    }
}
