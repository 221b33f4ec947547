import ArborModel

/// The shape of a synthetic organisation: the demo's proportions, scaled.
public struct DemoShape: Sendable {
    public var users: Int
    public var levels: Int
    public var days: Int
    /// Average rollup rows per user per day (each row is one day, type and channel).
    public var rowsPerUserDay: Double
    /// Share of users (below the second level) with a second supervisor.
    public var secondSupervisorShare: Double
    /// Edges from a user back to its supervisor, each closing a 2-cycle.
    public var cycles: Int
    /// Share of users below level 3 placed under the one large subtree ("Raj").
    public var largeSubtreeShare: Double
    public var seed: UInt64

    public init(
        users: Int, levels: Int = 15, days: Int = 90, rowsPerUserDay: Double, secondSupervisorShare: Double = 0.03,
        cycles: Int = 5, largeSubtreeShare: Double = 0.2, seed: UInt64 = 42
    ) {
        self.users = users
        self.levels = levels
        self.days = days
        self.rowsPerUserDay = rowsPerUserDay
        self.secondSupervisorShare = secondSupervisorShare
        self.cycles = cycles
        self.largeSubtreeShare = largeSubtreeShare
        self.seed = seed
    }

    /// 50k users, 15 levels, ~10k under Raj, 90 days, ~10M rollup rows (~20M registrations).
    public static let demo = DemoShape(users: 50_000, rowsPerUserDay: 2.2)
    /// 1M users with the same registration volume (~10M rollup rows).
    public static let million = DemoShape(users: 1_000_000, rowsPerUserDay: 0.11)
}

/// Rows of a synthetic organisation, generated from a seed.
public struct DemoData: Sendable {
    public var roles: [RoleRow]
    public var users: [UserRow]
    public var edges: [EdgeRow]
    public var rollups: [RollupRow]
    /// The user with the large subtree.
    public var raj: UserID
    public var firstDay: Day
    public var lastDay: Day
    /// Registrations in all rollups.
    public var registrations: Int64

    public static let roleNames = [
        "ADMIN", "STATE_HEAD", "RM", "CPOC", "DPR", "DPOC", "BPR", "BPOC", "LPR", "LPOC", "CLUSTER", "SUPERVISOR",
        "MOBILISER", "LEAD", "VOLUNTEER",
    ]
    public static let types = ["NEW", "RENEW", "TRANSFER", "CORRECTION"]
    public static let channels = ["APP", "WEB", "CAMP"]

    public init(shape: DemoShape) {
        var random = SplitMix64(seed: shape.seed)
        let firstDay = Day(iso: "2024-01-01")!
        self.firstDay = firstDay
        self.lastDay = firstDay.advanced(by: Int32(shape.days - 1))
        roles = Self.roleNames.enumerated().map { RoleRow(name: $0.element, level: Int32($0.offset + 1)) }

        // Level sizes grow geometrically: one admin at the top, most users at the bottom.
        var sizes = [1]
        let weights = (1..<shape.levels).map { pow17($0) }
        let weightSum = weights.reduce(0, +)
        for weight in weights { sizes.append(max(1, Int(Double(shape.users - 1) * weight / weightSum))) }
        sizes[sizes.count - 1] += shape.users - sizes.reduce(0, +)

        var ids: [UserID] = []
        ids.reserveCapacity(shape.users)
        var levelOf: [Int] = []
        var levelMembers: [[Int]] = []
        var parentOf: [Int] = []
        var inLarge: [Bool] = []
        var edges: [EdgeRow] = []
        edges.reserveCapacity(Int(Double(shape.users) * (1 + shape.secondSupervisorShare)) + shape.cycles)
        let rajLevel = min(3, shape.levels - 1)
        for (level, size) in sizes.enumerated() {
            var members: [Int] = []
            let previous = level > 0 ? levelMembers[level - 1] : []
            let previousLarge = previous.filter { inLarge[$0] }
            let previousOther = previous.filter { !inLarge[$0] }
            for slot in 0..<size {
                let user = ids.count
                ids.append(UserID(high: random.next(), low: random.next()))
                levelOf.append(level)
                members.append(user)
                var large = level == rajLevel && slot == 0
                var parent = -1
                if level > 0 {
                    // Skewed fan-out: squaring a uniform draw favours the first supervisors of a level.
                    func skewed(_ pool: [Int]) -> Int { pool[Int(Double(pool.count) * random.unit() * random.unit())] }
                    if !previousLarge.isEmpty, level > rajLevel, random.unit() < shape.largeSubtreeShare {
                        parent = skewed(previousLarge)
                        large = true
                    } else {
                        parent = skewed(previousOther.isEmpty ? previous : previousOther)
                        large = large || inLarge[parent]
                    }
                    edges.append(EdgeRow(parent: ids[parent], child: ids[user]))
                }
                parentOf.append(parent)
                inLarge.append(large)
            }
            levelMembers.append(members)
        }
        raj = ids[levelMembers[rajLevel][0]]

        for user in ids.indices where levelOf[user] >= 2 && random.unit() < shape.secondSupervisorShare {
            let pool = levelMembers[levelOf[user] - 1]
            let second = pool[Int(random.unit() * Double(pool.count))]
            if second != parentOf[user] { edges.append(EdgeRow(parent: ids[second], child: ids[user])) }
        }
        let deep = levelMembers[max(1, shape.levels - 3)]
        for _ in 0..<shape.cycles {
            let user = deep[Int(random.unit() * Double(deep.count))]
            edges.append(EdgeRow(parent: ids[user], child: ids[parentOf[user]]))
        }
        self.edges = edges

        let firstNames = ["Raj", "Asha", "Bala", "Chitra", "Deepa", "Esha", "Farid", "Gita", "Hari", "Indu", "Jai"]
        let lastNames = ["Kumar", "Sharma", "Patel", "Rao", "Singh", "Das", "Nair", "Iyer", "Khan", "Reddy"]
        users = ids.indices.map { user in
            UserRow(
                id: ids[user],
                name: "\(firstNames[user % firstNames.count]) \(lastNames[(user / 11) % lastNames.count]) \(user)",
                role: Self.roleNames[min(levelOf[user], Self.roleNames.count - 1)],
                state: "S\(user % 30)", district: "D\(user % 700)", block: "B\(user % 6000)",
                village: "V\(user % 30000)", status: user % 10 == 0 ? "inactive" : "active",
                appInstalled: user % 10 == 1 ? nil : user % 3 != 0)
        }

        // Rollups: each user has an activity level; each day a few (type, channel) rows with small counts.
        var rollups: [RollupRow] = []
        rollups.reserveCapacity(Int(Double(shape.users * shape.days) * shape.rowsPerUserDay * 1.05))
        var registrations: Int64 = 0
        let combinations = Self.types.count * Self.channels.count
        for user in ids.indices {
            let activity = 2 * random.unit()
            for day in 0..<shape.days {
                let rows = min(combinations, Int(activity * shape.rowsPerUserDay + random.unit()))
                guard rows > 0 else { continue }
                let start = Int(random.unit() * Double(combinations))
                for row in 0..<rows {
                    let combination = (start + row * 5) % combinations
                    let count = Int64(1 + Int(random.unit() * random.unit() * 3))
                    registrations += count
                    rollups.append(
                        RollupRow(
                            user: ids[user], day: firstDay.advanced(by: Int32(day)),
                            registrationType: Self.types[combination % Self.types.count],
                            channel: Self.channels[combination / Self.types.count], registrations: count))
                }
            }
        }
        self.rollups = rollups
        self.registrations = registrations
    }
}

private func pow17(_ exponent: Int) -> Double {
    var value = 1.0
    for _ in 0..<exponent { value *= 1.7 }
    return value
}

/// A seeded generator, so every run builds the same organisation.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
