import ArborModel

extension IndexSnapshot {
    /// Registration counts of a subtree, filtered and grouped (see ``FilteredStatsQuery``).
    ///
    /// The scope comes from the reachability intervals (unbounded depth) or a depth-limited BFS. Each group's key
    /// is a mixed-radix number over the dimensions' codes, first dimension most significant; since every code
    /// follows byte order, sorting the numbers sorts the rows as the contract requires.
    /// - Throws: `unknownRole` for a role in `user_filter.roles` that does not exist (checked first), then
    ///   `unknownUser(root, field: "root")`.
    public func filteredStats(_ query: FilteredStatsQuery) throws(QueryError) -> FilteredStatsResult {
        try filteredStats(query, strategy: .automatic)
    }

    /// `strategy` lets tests drive every accumulation path with small graphs.
    func filteredStats(_ query: FilteredStatsQuery, strategy: StatsGrouping.Strategy) throws(QueryError)
        -> FilteredStatsResult
    {
        try query.validateRoles(knownRoles)
        let root = try index(of: query.root, field: "root")
        let filter = CompiledUserFilter(query.userFilter, columns)
        let selection = rollups.select(query.registrations)

        var scope: [Int32] = []
        if !query.excludeRoot { scope.append(Int32(root)) }
        if query.maxDepth == 0 {
            hierarchy.forEachDescendant(of: root) { scope.append(Int32($0)) }
        } else {
            appendDescendants(of: root, maxDepth: query.maxDepth, to: &scope)
        }

        var grouping = StatsGrouping(query.groupBy, snapshot: self, strategy: strategy)
        filter.keepMatching(&scope)
        grouping.add(users: scope, selection: selection)
        let (rows, total) = grouping.rows()
        return FilteredStatsResult(rows: rows, totalRegistrations: total, usersInScope: UInt32(scope.count))
    }

    /// Appends the descendants of `root` within `maxDepth` edges, `root` excluded, in no particular order.
    func appendDescendants(of root: Int, maxDepth: UInt32, to scope: inout [Int32]) {
        var visited = Bitset(count: userCount)
        visited.insert(root)
        var levelStart = scope.count
        var frontier: [Int32] = [Int32(root)]
        for _ in 0..<maxDepth {
            levelStart = scope.count
            for user in frontier {
                for edge in Int(hierarchy.childOffsets[Int(user)])..<Int(hierarchy.childOffsets[Int(user) + 1]) {
                    let child = hierarchy.children[edge]
                    if visited.testAndInsert(Int(child)) { scope.append(child) }
                }
            }
            if scope.count == levelStart { break }
            frontier = Array(scope[levelStart...])
        }
    }
}

/// Accumulates registrations per group key. Keys are `userPart + dayPart + combinationPart` in mixed radix;
/// small key spaces use dense arrays, large ones a dictionary from key to slot.
struct StatsGrouping {
    /// How group keys are accumulated: chosen by key-space size, or forced (for tests).
    enum Strategy {
        case automatic
        /// A dictionary from 64-bit key to slot, even for small key spaces.
        case sparse
        /// Code tuples, as for key spaces beyond 64 bits.
        case tuples
    }

    private let dimensions: [StatsDimension]
    private let radices: [UInt64]
    private let snapshot: IndexSnapshot
    /// Multiplier of each dimension's code; `nil` when the key space does not fit in 64 bits.
    private let multipliers: [UInt64]?
    private let dayMultiplier: UInt64
    private let combinationPart: [UInt64]
    private let dense: Bool

    private var slotOf: [UInt64: Int] = [:]
    private var keys: [UInt64] = []
    private var tupleSlotOf: [[UInt32]: Int] = [:]
    private var tuples: [[UInt32]] = []
    private var registrations: [UInt64] = []
    private var registeringUsers: [UInt32] = []
    private var lastUser: [Int32] = []

    init(_ dimensions: [StatsDimension], snapshot: IndexSnapshot, strategy: Strategy) {
        self.dimensions = dimensions
        self.snapshot = snapshot
        let rollups = snapshot.rollups
        radices = dimensions.map { dimension in
            switch dimension {
            case .day: UInt64(max(rollups.dayCount, 1))
            case .user: UInt64(max(snapshot.userCount, 1))
            case .registrationType: UInt64(rollups.types.count)
            case .channel: UInt64(rollups.channels.count)
            case .role, .state, .district, .block, .village: UInt64(snapshot.columns.table(dimension).count)
            }
        }
        var multipliers = [UInt64](repeating: 1, count: dimensions.count)
        var space: UInt64? = 1
        for index in dimensions.indices.reversed() {
            guard let current = space else { break }
            multipliers[index] = current
            let (product, overflow) = current.multipliedReportingOverflow(by: radices[index])
            space = overflow ? nil : product
        }
        if let space, strategy != .tuples {
            self.multipliers = multipliers
            var dayMultiplier: UInt64 = 0
            var typeMultiplier: UInt64 = 0
            var channelMultiplier: UInt64 = 0
            for (index, dimension) in dimensions.enumerated() {
                switch dimension {
                case .day: dayMultiplier += multipliers[index]
                case .registrationType: typeMultiplier += multipliers[index]
                case .channel: channelMultiplier += multipliers[index]
                default: break
                }
            }
            self.dayMultiplier = dayMultiplier
            self.combinationPart = rollups.combinationType.indices.map {
                UInt64(rollups.types.groupCode(rollups.combinationType[$0])) * typeMultiplier
                    + UInt64(rollups.channels.groupCode(rollups.combinationChannel[$0])) * channelMultiplier
            }
            dense = strategy == .automatic && space <= 1 << 14
            if dense {
                registrations = [UInt64](repeating: 0, count: Int(space))
                registeringUsers = [UInt32](repeating: 0, count: Int(space))
                lastUser = [Int32](repeating: -1, count: Int(space))
            }
        } else {
            self.multipliers = nil
            dayMultiplier = 0
            combinationPart = []
            dense = false
        }
    }

    /// Adds every user of `users`. The common case (dense accumulators, grouped) runs as one loop over the users
    /// with every column and accumulator in hand: per user it is only the window search and the rows, where a call
    /// per user spent half its time retaining and releasing the same arrays.
    mutating func add(users: [Int32], selection: RollupTable.Selection) {
        guard let multipliers, dense, !dimensions.isEmpty else {
            for user in users { add(user: Int(user), selection: selection) }
            return
        }
        let rollups = snapshot.rollups
        let dayMultiplier = dayMultiplier
        let byUser = dimensions.contains { ![.day, .registrationType, .channel].contains($0) }
        // The accumulators leave `self` while the loop runs, so that they stay uniquely referenced.
        var registrations: [UInt64] = []
        var registeringUsers: [UInt32] = []
        var lastUser: [Int32] = []
        swap(&registrations, &self.registrations)
        swap(&registeringUsers, &self.registeringUsers)
        swap(&lastUser, &self.lastUser)
        defer {
            swap(&registrations, &self.registrations)
            swap(&registeringUsers, &self.registeringUsers)
            swap(&lastUser, &self.lastUser)
        }
        let userParts = byUser ? users.map { userPart(of: Int($0), multipliers) } : []
        combinationPart.withUnsafeBufferPointer { combinationPart in
            rollups.offsets.withUnsafeBufferPointer { offsets in
                rollups.withBuffers(selection) { days, combinations, counts, mask in
                    registrations.withUnsafeMutableBufferPointer { registrations in
                        registeringUsers.withUnsafeMutableBufferPointer { registeringUsers in
                            lastUser.withUnsafeMutableBufferPointer { lastUser in
                                for (position, user) in users.enumerated() {
                                    let index = Int(user)
                                    let rows = RollupTable.window(
                                        days: days, offsets[index], offsets[index + 1], selection)
                                    let userPart = byUser ? userParts[position] : 0
                                    for row in rows {
                                        let combination = Int(combinations[row])
                                        if let mask, !mask[combination] { continue }
                                        let slot = Int(
                                            userPart &+ UInt64(days[row]) &* dayMultiplier
                                                &+ combinationPart[combination])
                                        registrations[slot] &+= UInt64(counts[row])
                                        if lastUser[slot] != user {
                                            lastUser[slot] = user
                                            registeringUsers[slot] &+= 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The part of a group key that the user's own dimensions (user, role, state, ...) contribute.
    private func userPart(of user: Int, _ multipliers: [UInt64]) -> UInt64 {
        var userPart: UInt64 = 0
        for (index, dimension) in dimensions.enumerated() {
            switch dimension {
            case .user: userPart += UInt64(user) * multipliers[index]
            case .role, .state, .district, .block, .village:
                userPart += UInt64(snapshot.columns.groupKey(dimension, of: user)) * multipliers[index]
            case .day, .registrationType, .channel: break
            }
        }
        return userPart
    }

    /// One user, for the paths ``add(users:selection:)`` does not batch: no grouping, a sparse key space, or
    /// code tuples.
    private mutating func add(user: Int, selection: RollupTable.Selection) {
        let rollups = snapshot.rollups
        guard let multipliers else {
            addTuples(user: user, rows: rollups.window(of: user, selection), selection: selection)
            return
        }
        if dimensions.isEmpty, dense {
            let sum = rollups.sum(of: user, selection)
            if sum > 0 {
                registrations[0] += sum
                registeringUsers[0] += 1
            }
            return
        }
        let userPart = userPart(of: user, multipliers)
        let rows = rollups.window(of: user, selection)
        guard !rows.isEmpty else { return }
        let dayMultiplier = dayMultiplier
        let marker = Int32(user)
        combinationPart.withUnsafeBufferPointer { combinationPart in
            rollups.withBuffers(selection) { days, combinations, counts, mask in
                for row in rows {
                    let combination = Int(combinations[row])
                    if let mask, !mask[combination] { continue }
                    let key = userPart &+ UInt64(days[row]) &* dayMultiplier &+ combinationPart[combination]
                    let slot: Int
                    if let known = slotOf[key] {
                        slot = known
                    } else {
                        slot = appendSlot()
                        slotOf[key] = slot
                        keys.append(key)
                    }
                    count(UInt64(counts[row]), inSlot: slot, user: marker)
                }
            }
        }
    }

    /// A new, empty group for the sparse and tuple paths; returns its slot.
    private mutating func appendSlot() -> Int {
        registrations.append(0)
        registeringUsers.append(0)
        lastUser.append(-1)
        return registrations.count - 1
    }

    /// Adds `count` registrations of `user` to the group in `slot` (a user counts once per group).
    private mutating func count(_ count: UInt64, inSlot slot: Int, user: Int32) {
        registrations[slot] &+= count
        if lastUser[slot] != user {
            lastUser[slot] = user
            registeringUsers[slot] &+= 1
        }
    }

    /// The slow path for key spaces beyond 64 bits: keys as code tuples.
    private mutating func addTuples(user: Int, rows: Range<Int>, selection: RollupTable.Selection) {
        let rollups = snapshot.rollups
        for row in rows {
            let combination = Int(rollups.combinations[row])
            if let mask = selection.combinationMask, !mask[combination] { continue }
            let tuple = dimensions.map { dimension -> UInt32 in
                switch dimension {
                case .day: UInt32(rollups.days[row])
                case .user: UInt32(user)
                case .registrationType: rollups.types.groupCode(rollups.combinationType[combination])
                case .channel: rollups.channels.groupCode(rollups.combinationChannel[combination])
                case .role, .state, .district, .block, .village: snapshot.columns.groupKey(dimension, of: user)
                }
            }
            let slot: Int
            if let known = tupleSlotOf[tuple] {
                slot = known
            } else {
                slot = appendSlot()
                tupleSlotOf[tuple] = slot
                tuples.append(tuple)
            }
            count(UInt64(rollups.counts[row]), inSlot: slot, user: Int32(user))
        }
    }

    /// The rows in key order and the total.
    func rows() -> (rows: [StatsRow], total: UInt64) {
        var total: UInt64 = 0
        var ordered: [(codes: [UInt32], slot: Int)] = []
        if multipliers == nil {
            ordered = tuples.enumerated().map { ($0.element, $0.offset) }
            ordered.sort { $0.codes.lexicographicallyPrecedes($1.codes) }
        } else if dense {
            for slot in registrations.indices where registrations[slot] > 0 {
                ordered.append((decode(UInt64(slot)), slot))
            }
        } else {
            let order = keys.indices.sorted { keys[$0] < keys[$1] }
            ordered = order.map { (decode(keys[$0]), $0) }
        }
        var rows: [StatsRow] = []
        rows.reserveCapacity(ordered.count)
        for (codes, slot) in ordered where registrations[slot] > 0 {
            total += registrations[slot]
            rows.append(
                StatsRow(
                    keys: zip(dimensions, codes).map { text(of: $0.1, in: $0.0) },
                    registrations: registrations[slot], registeringUsers: registeringUsers[slot]))
        }
        return (rows, total)
    }

    private func decode(_ key: UInt64) -> [UInt32] {
        var rest = key
        var codes = [UInt32](repeating: 0, count: dimensions.count)
        for index in dimensions.indices.reversed() {
            codes[index] = UInt32(rest % radices[index])
            rest /= radices[index]
        }
        return codes
    }

    private func text(of code: UInt32, in dimension: StatsDimension) -> String {
        switch dimension {
        case .day: Day(daysSinceEpoch: snapshot.rollups.firstDay + Int32(code)).isoString
        case .user: snapshot.userIDs[Int(code)].uuidString
        case .registrationType: snapshot.rollups.types.key(code)
        case .channel: snapshot.rollups.channels.key(code)
        case .role, .state, .district, .block, .village: snapshot.columns.table(dimension).key(code)
        }
    }
}
