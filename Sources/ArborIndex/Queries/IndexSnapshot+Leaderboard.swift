import ArborModel

extension IndexSnapshot {
    /// Ranks users by their own and their downline's numbers (see ``LeaderboardQuery``).
    ///
    /// One pass sums each user's registrations in the window; per preorder position the component sums become a
    /// prefix array, and a user's tree registrations are then a few prefix differences over its reach intervals.
    /// Every metric is linear in the number of users; only the requested page is ordered fully.
    /// - Throws: `unknownRole` for `filter.roles` or `order_role` (checked first), then
    ///   `unknownUser(within, field: "within")`.
    public func leaderboard(_ query: LeaderboardQuery) throws(QueryError) -> LeaderboardResult {
        try query.validateRoles(knownRoles)
        var within: Int? = nil
        if let id = query.within { within = try index(of: id, field: "within") }
        let filter = CompiledUserFilter(query.filter, columns)

        var ranked: [Int32] = []
        if let within {
            hierarchy.forEachDescendant(of: within) { user in
                if filter.passesEveryone || filter.matches(user) { ranked.append(Int32(user)) }
            }
        } else {
            ranked.reserveCapacity(userCount)
            for user in 0..<userCount where filter.passesEveryone || filter.matches(user) { ranked.append(Int32(user)) }
        }
        let totalRanked = UInt32(ranked.count)
        let offset = Int(query.offset)
        guard offset < ranked.count, query.limit > 0 else {
            return LeaderboardResult(rows: [], totalRanked: totalRanked)
        }

        let sums = DownlineSums(snapshot: self, selection: rollups.select(query.registrations))
        let metric: (Int) -> UInt64
        switch query.metric {
        case .selfRegistrations: metric = { sums.own[$0] }
        case .treeRegistrations: metric = { sums.tree(of: $0) }
        case .directChildren:
            let offsets = hierarchy.childOffsets
            metric = { UInt64(offsets[$0 + 1] - offsets[$0]) }
        case .downlineSize:
            let sizes = hierarchy.downlineSize
            let componentOf = hierarchy.componentOf
            metric = { UInt64(sizes[Int(componentOf[$0])]) }
        case .downlineRole(let role):
            // Validated above: every role of `roles` has a code, held or not.
            let code = Int(columns.roles.code(of: role)!)
            metric = { UInt64(self.downlineCount(of: $0, role: code)) }
        }

        let page = rankingPage(
            users: ranked, metric: metric, ascending: query.ascending, offset: offset, limit: Int(query.limit))
        let rows = page.enumerated().map { position, user in
            row(rank: UInt32(offset + position + 1), user: Int(user), sums: sums)
        }
        return LeaderboardResult(rows: rows, totalRanked: totalRanked)
    }

    private func row(rank: UInt32, user: Int, sums: DownlineSums) -> LeaderboardRow {
        let component = Int(hierarchy.componentOf[user])
        var byRole: [RoleCount] = []
        for role in 0..<columns.roles.count {
            let count = downlineCount(of: user, role: role)
            guard count > 0 else { continue }
            // A stored "" role and NULL both print as "": one entry, like the SQL's coalesce.
            if columns.roles.groupCode(UInt32(role)) == StringTable.null, byRole.first?.role == "" {
                byRole[0].count += count
            } else {
                byRole.append(RoleCount(role: columns.roles.key(UInt32(role)), count: count))
            }
        }
        return LeaderboardRow(
            rank: rank, userID: userIDs[user], name: names.name(of: user),
            role: columns.roles.key(columns.role[user]), selfRegistrations: sums.own[user],
            treeRegistrations: sums.tree(of: user),
            directChildren: UInt32(hierarchy.childOffsets[user + 1] - hierarchy.childOffsets[user]),
            downlineSize: hierarchy.downlineSize[component], downlineByRole: byRole)
    }

    /// Descendants of `user` holding the role with code `role`.
    func downlineCount(of user: Int, role: Int) -> UInt32 {
        let component = Int(hierarchy.componentOf[user])
        let base = role * (hierarchy.componentCount + 1)
        var count: UInt32 = 0
        for interval in Int(hierarchy.reachOffsets[component])..<Int(hierarchy.reachOffsets[component + 1]) {
            count +=
                rolePrefix[base + Int(hierarchy.reachHigh[interval])]
                - rolePrefix[base + Int(hierarchy.reachLow[interval])]
        }
        for member in hierarchy.members(of: component)
        where Int(member) != user && Int(columns.role[Int(member)]) == role {
            count += 1
        }
        return count
    }
}

/// Each user's counted registrations and, by preorder position, the prefix sums that turn a reach-interval list
/// into a downline total.
struct DownlineSums {
    let own: [UInt64]
    private let prefix: [UInt64]
    private let componentTotal: [UInt64]
    private let hierarchy: Hierarchy

    init(snapshot: IndexSnapshot, selection: RollupTable.Selection) {
        let hierarchy = snapshot.hierarchy
        self.hierarchy = hierarchy
        let own = snapshot.rollups.sums(selection)
        var componentTotal = [UInt64](repeating: 0, count: hierarchy.componentCount)
        for user in 0..<snapshot.userCount { componentTotal[Int(hierarchy.componentOf[user])] += own[user] }
        var prefix = [UInt64](repeating: 0, count: hierarchy.componentCount + 1)
        for position in 0..<hierarchy.componentCount {
            prefix[position + 1] = prefix[position] + componentTotal[Int(hierarchy.componentAt[position])]
        }
        self.own = own
        self.prefix = prefix
        self.componentTotal = componentTotal
    }

    /// Registrations of `user`'s distinct descendants (never `user`'s own, also on a cycle).
    func tree(of user: Int) -> UInt64 {
        let component = Int(hierarchy.componentOf[user])
        var total: UInt64 = 0
        for interval in Int(hierarchy.reachOffsets[component])..<Int(hierarchy.reachOffsets[component + 1]) {
            total += prefix[Int(hierarchy.reachHigh[interval])] - prefix[Int(hierarchy.reachLow[interval])]
        }
        return total + componentTotal[component] - own[user]
    }
}

/// The users at positions `offset ..< offset + limit` of the ranking by (metric, then user ascending), found
/// with a bounded heap when the page is a small part of the ranking.
func rankingPage(
    users: [Int32], metric: (Int) -> UInt64, ascending: Bool, offset: Int, limit: Int
) -> [Int32] {
    struct Entry {
        var metric: UInt64
        var user: Int32
    }
    // `before(a, b)`: a ranks above b.
    func before(_ a: Entry, _ b: Entry) -> Bool {
        if a.metric != b.metric { return ascending ? a.metric < b.metric : a.metric > b.metric }
        return a.user < b.user
    }
    let wanted = min(users.count, offset + limit)
    var entries = users.map { Entry(metric: metric(Int($0)), user: $0) }
    if wanted * 8 < entries.count {
        // Keep the `wanted` best in a heap whose root is the worst of them.
        var heap: [Entry] = []
        heap.reserveCapacity(wanted)
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { return }
                var worst = left
                if left + 1 < heap.count, before(heap[worst], heap[left + 1]) { worst = left + 1 }
                guard before(heap[parent], heap[worst]) else { return }
                heap.swapAt(parent, worst)
                parent = worst
            }
        }
        for entry in entries {
            if heap.count < wanted {
                heap.append(entry)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard before(heap[parent], heap[child]) else { break }
                    heap.swapAt(parent, child)
                    child = parent
                }
            } else if before(entry, heap[0]) {
                heap[0] = entry
                siftDown(0)
            }
        }
        entries = heap
    }
    entries.sort(by: before)
    return entries[min(offset, entries.count)..<min(wanted, entries.count)].map(\.user)
}
