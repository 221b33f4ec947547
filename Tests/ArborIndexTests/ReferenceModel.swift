import ArborModel

/// A deliberately naive implementation of the contract, straight from `docs/contract.md`: a BFS per query, a traversal
/// per user for the leaderboard, mutual reachability for cycles. Slow and obviously right; the index must agree.
struct ReferenceModel {
    let roles: Set<String>
    let users: [UserID: UserRow]
    let children: [UserID: Set<UserID>]
    let rollups: [RollupRow]

    init(roles: [RoleRow], users: [UserRow], edges: [EdgeRow], rollups: [RollupRow]) {
        self.roles = Set(roles.map(\.name))
        var byID: [UserID: UserRow] = [:]
        for user in users { byID[user.id] = user }
        self.users = byID
        var children: [UserID: Set<UserID>] = [:]
        for edge in edges where byID[edge.parent] != nil && byID[edge.child] != nil {
            children[edge.parent, default: []].insert(edge.child)
        }
        self.children = children
        self.rollups = rollups.filter { byID[$0.user] != nil }
    }

    /// Shortest distances from `root` to every user it reaches (root itself only through an edge back to it).
    func distances(from root: UserID) -> [UserID: UInt32] {
        var distance: [UserID: UInt32] = [:]
        var frontier = [root]
        var depth: UInt32 = 0
        var seen: Set<UserID> = [root]
        while !frontier.isEmpty {
            depth += 1
            var next: [UserID] = []
            for user in frontier {
                for child in children[user] ?? [] {
                    if child == root, distance[root] == nil { distance[root] = depth }
                    if seen.insert(child).inserted {
                        distance[child] = depth
                        next.append(child)
                    }
                }
            }
            frontier = next
        }
        return distance
    }

    func descendantIDs(of user: UserID) -> Set<UserID> {
        Set(distances(from: user).keys).subtracting([user])
    }

    func descendants(_ query: DescendantsQuery) throws(QueryError) -> DescendantsResult {
        try query.validateRoles(roles)
        guard let root = users[query.root] else { throw .unknownUser(query.root, field: "root") }
        var matches: [DescendantEntry] = []
        if query.includeRoot, query.filter.matches(root) { matches.append(DescendantEntry(id: root.id, depth: 0)) }
        let found = distances(from: root.id)
            .filter { $0.key != root.id && (query.maxDepth == 0 || $0.value <= query.maxDepth) }
            .filter { query.filter.matches(users[$0.key]!) }
            .map { DescendantEntry(id: $0.key, depth: $0.value) }
            .sorted { ($0.depth, $0.id) < ($1.depth, $1.id) }
        matches += found
        let limited = query.limit == 0 ? matches : Array(matches.prefix(Int(query.limit)))
        return DescendantsResult(entries: limited, total: UInt64(matches.count))
    }

    func key(_ dimension: StatsDimension, _ user: UserRow, _ rollup: RollupRow) -> String {
        switch dimension {
        case .day: rollup.day.isoString
        case .user: user.id.uuidString
        case .role: user.role ?? ""
        case .state: user.state ?? ""
        case .district: user.district ?? ""
        case .block: user.block ?? ""
        case .village: user.village ?? ""
        case .registrationType: rollup.registrationType ?? ""
        case .channel: rollup.channel ?? ""
        }
    }

    func filteredStats(_ query: FilteredStatsQuery) throws(QueryError) -> FilteredStatsResult {
        try query.validateRoles(roles)
        guard users[query.root] != nil else { throw .unknownUser(query.root, field: "root") }
        var scope = Set(
            distances(from: query.root).filter { query.maxDepth == 0 || $0.value <= query.maxDepth }.keys)
        if query.excludeRoot { scope.remove(query.root) } else { scope.insert(query.root) }
        let counted = scope.filter { query.userFilter.matches(users[$0]!) }
        var groups: [[String]: (registrations: UInt64, users: Set<UserID>)] = [:]
        for rollup in rollups where counted.contains(rollup.user) && query.registrations.matches(rollup) {
            let user = users[rollup.user]!
            let keys = query.groupBy.map { key($0, user, rollup) }
            groups[keys, default: (0, [])].registrations += UInt64(rollup.registrations)
            groups[keys, default: (0, [])].users.insert(rollup.user)
        }
        let rows = groups.map {
            StatsRow(
                keys: $0.key, registrations: $0.value.registrations, registeringUsers: UInt32($0.value.users.count))
        }.sorted { lhs, rhs in
            lhs.keys.lexicographicallyPrecedes(rhs.keys) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        return FilteredStatsResult(
            rows: rows, totalRegistrations: rows.reduce(0) { $0 + $1.registrations },
            usersInScope: UInt32(counted.count))
    }

    func leaderboard(_ query: LeaderboardQuery) throws(QueryError) -> LeaderboardResult {
        try query.validateRoles(roles)
        var candidates = Array(users.keys)
        if let within = query.within {
            guard users[within] != nil else { throw .unknownUser(within, field: "within") }
            candidates = Array(descendantIDs(of: within))
        }
        let rankedIDs = candidates.filter { query.filter.matches(users[$0]!) }
        var own: [UserID: UInt64] = [:]
        for rollup in rollups where query.registrations.matches(rollup) {
            own[rollup.user, default: 0] += UInt64(rollup.registrations)
        }
        let rows = rankedIDs.map { id -> LeaderboardRow in
            let downline = descendantIDs(of: id)
            var byRole: [String: UInt32] = [:]
            for member in downline { byRole[users[member]!.role ?? "", default: 0] += 1 }
            return LeaderboardRow(
                rank: 0, userID: id, name: users[id]!.name ?? "", role: users[id]!.role ?? "",
                selfRegistrations: own[id] ?? 0, treeRegistrations: downline.reduce(0) { $0 + (own[$1] ?? 0) },
                directChildren: UInt32((children[id] ?? []).subtracting([id]).count),
                downlineSize: UInt32(downline.count),
                downlineByRole: byRole.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map {
                    RoleCount(role: $0.key, count: $0.value)
                })
        }
        func value(_ row: LeaderboardRow) -> UInt64 {
            switch query.metric {
            case .selfRegistrations: row.selfRegistrations
            case .treeRegistrations: row.treeRegistrations
            case .directChildren: UInt64(row.directChildren)
            case .downlineSize: UInt64(row.downlineSize)
            case .downlineRole(let role):
                // The SQL's `role = $1`: exactly that stored role, never NULL.
                UInt64(
                    descendantIDs(of: row.userID).filter {
                        users[$0]!.role.map { $0.utf8.elementsEqual(role.utf8) } ?? false
                    }.count)
            }
        }
        let sorted = rows.sorted { lhs, rhs in
            let (a, b) = (value(lhs), value(rhs))
            if a != b { return query.ascending ? a < b : a > b }
            return lhs.userID < rhs.userID
        }
        let page = sorted.dropFirst(Int(query.offset)).prefix(Int(query.limit))
        return LeaderboardResult(
            rows: page.enumerated().map { index, row in
                var row = row
                row.rank = query.offset + UInt32(index) + 1
                return row
            }, totalRanked: UInt32(rows.count))
    }

    func cycles(_ query: CyclesQuery) -> CyclesResult {
        var reach: [UserID: Set<UserID>] = [:]
        for id in users.keys { reach[id] = Set(distances(from: id).keys) }
        var groups: Set<[UserID]> = []
        for id in users.keys {
            let group = ([id] + reach[id]!.filter { reach[$0]!.contains(id) }).sorted()
            let unique = Array(Set(group)).sorted()
            if unique.count > 1 || (children[id] ?? []).contains(id) { groups.insert(unique) }
        }
        let ordered = groups.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
        return CyclesResult(
            cycles: query.limit == 0 ? ordered : Array(ordered.prefix(Int(query.limit))), total: UInt32(ordered.count))
    }

    func findUsers(_ query: FindUsersQuery) -> FindUsersResult {
        let matching = users.values.filter { user in
            (query.ids.map { $0.contains(user.id) } ?? true) && query.nameMatches(user.name)
        }
        let sorted = matching.sorted { lhs, rhs in
            let (a, b) = (lhs.name ?? "", rhs.name ?? "")
            if !a.utf8.elementsEqual(b.utf8) { return a.utf8.lexicographicallyPrecedes(b.utf8) }
            return lhs.id < rhs.id
        }
        return FindUsersResult(users: sorted.prefix(Int(query.limit)).map(UserRecord.init))
    }
}
