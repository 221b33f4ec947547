import ArborModel
import ArborWire

// Model ⇄ wire for tests: requests built from the fixtures' model queries, responses read back into model
// results, so a test can compare what went over the service with a fixture's expected value.

extension ArborV1.UserFilter {
    init(_ filter: UserFilter) {
        self.init()
        roles = filter.roles
        states = filter.states
        districts = filter.districts
        blocks = filter.blocks
        villages = filter.villages
        active = filter.active
        appInstalled = filter.appInstalled
    }
}

extension DescendantsQuery {
    func wire(_ freshness: ArborV1.Freshness?) -> ArborV1.DescendantsRequest {
        var request = ArborV1.DescendantsRequest()
        request.root = root.bytes
        request.maxDepth = maxDepth
        request.filter = ArborV1.UserFilter(filter)
        request.includeRoot = includeRoot
        request.limit = limit
        request.freshness = freshness
        return request
    }
}

extension FilteredStatsQuery {
    func wire(_ freshness: ArborV1.Freshness?) -> ArborV1.FilteredStatsRequest {
        var request = ArborV1.FilteredStatsRequest()
        request.root = root.bytes
        request.excludeRoot = excludeRoot
        request.maxDepth = maxDepth
        request.userFilter = ArborV1.UserFilter(userFilter)
        request.registrationTypes = registrations.types
        request.channels = registrations.channels
        request.fromDate = registrations.from?.isoString ?? ""
        request.toDate = registrations.to?.isoString ?? ""
        request.groupBy = groupBy.map { ArborV1.Dimension(rawValue: Int32($0.rawValue)) }
        request.freshness = freshness
        return request
    }
}

extension LeaderboardQuery {
    func wire(_ freshness: ArborV1.Freshness?) -> ArborV1.LeaderboardRequest {
        var request = ArborV1.LeaderboardRequest()
        switch metric {
        case .selfRegistrations: request.orderBy = .selfRegistrations
        case .treeRegistrations: request.orderBy = .treeRegistrations
        case .directChildren: request.orderBy = .directChildren
        case .downlineSize: request.orderBy = .downlineSize
        case .downlineRole(let role):
            request.orderBy = .downlineRole
            request.orderRole = role
        }
        request.ascending = ascending
        request.filter = ArborV1.UserFilter(filter)
        request.within = within?.bytes ?? []
        request.registrationTypes = registrations.types
        request.channels = registrations.channels
        request.fromDate = registrations.from?.isoString ?? ""
        request.toDate = registrations.to?.isoString ?? ""
        request.limit = limit
        request.offset = offset
        request.freshness = freshness
        return request
    }
}

extension CyclesQuery {
    func wire(_ freshness: ArborV1.Freshness?) -> ArborV1.CyclesRequest {
        var request = ArborV1.CyclesRequest()
        request.limit = limit
        request.freshness = freshness
        return request
    }
}

extension FindUsersQuery {
    func wire(_ freshness: ArborV1.Freshness?) -> ArborV1.FindUsersRequest {
        var request = ArborV1.FindUsersRequest()
        request.namePrefix = namePrefix ?? ""
        request.ids = ids?.flatMap(\.bytes) ?? []
        request.limit = limit
        request.freshness = freshness
        return request
    }
}

private func userIDs(_ bytes: [UInt8]) -> [UserID] {
    stride(from: 0, to: bytes.count, by: 16).map { UserID(bytes: bytes[$0..<$0 + 16])! }
}

extension DescendantsResult {
    init(_ chunks: [ArborV1.DescendantsChunk]) {
        let ids = chunks.flatMap { userIDs($0.ids) }
        let depths = chunks.flatMap(\.depths)
        self.init(
            entries: zip(ids, depths).map { DescendantEntry(id: $0, depth: $1) }, total: chunks.last?.total ?? 0)
    }
}

extension FilteredStatsResult {
    init(_ response: ArborV1.FilteredStatsResponse) {
        self.init(
            rows: response.rows.map {
                StatsRow(keys: $0.keys, registrations: $0.registrations, registeringUsers: $0.registeringUsers)
            }, totalRegistrations: response.totalRegistrations, usersInScope: response.usersInScope)
    }
}

extension LeaderboardResult {
    init(_ response: ArborV1.LeaderboardResponse) {
        self.init(
            rows: response.rows.map { row in
                LeaderboardRow(
                    rank: row.rank, userID: UserID(bytes: row.userID)!, name: row.name, role: row.role,
                    selfRegistrations: row.selfRegistrations, treeRegistrations: row.treeRegistrations,
                    directChildren: row.directChildren, downlineSize: row.downlineSize,
                    downlineByRole: row.downlineByRole.map { RoleCount(role: $0.role, count: $0.count) })
            }, totalRanked: response.totalRanked)
    }
}

extension CyclesResult {
    init(_ response: ArborV1.CyclesResponse) {
        self.init(cycles: response.cycles.map { userIDs($0.members) }, total: response.total)
    }
}

extension FindUsersResult {
    init(_ response: ArborV1.FindUsersResponse) {
        self.init(
            users: response.users.map { user in
                UserRecord(
                    id: UserID(bytes: user.id)!, name: user.name, role: user.role, state: user.state,
                    district: user.district, block: user.block, village: user.village, active: user.active,
                    appInstalled: user.appInstalled)
            })
    }
}
