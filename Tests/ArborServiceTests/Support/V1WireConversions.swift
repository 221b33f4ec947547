import ArborClient
import ArborModel
import ArborWire

// The arbor.v1 conversions these tests used from ArborClient before the client moved to arbor.v2: the fixtures'
// v1 query types as v1 request messages, and v1 responses back. Transitional: delete with the v1 service.

extension Freshness {
    /// The v1 wire message; `nil` when every field is at its default.
    var v1Message: ArborV1.Freshness? {
        message.map {
            ArborV1.Freshness(maxStalenessMs: $0.maxStalenessMs, requireLive: $0.requireLive, minVersion: $0.minVersion)
        }
    }
}

extension UserFilter {
    var v1Message: ArborV1.UserFilter? {
        guard !isEmpty else { return nil }
        return ArborV1.UserFilter(
            roles: roles, states: states, districts: districts, blocks: blocks, villages: villages, active: active,
            appInstalled: appInstalled)
    }
}

extension DescendantsQuery {
    func message(freshness: Freshness) -> ArborV1.DescendantsRequest {
        ArborV1.DescendantsRequest(
            root: root.bytes, maxDepth: maxDepth, filter: filter.v1Message, includeRoot: includeRoot, limit: limit,
            freshness: freshness.v1Message)
    }
}

extension FilteredStatsQuery {
    func message(freshness: Freshness) -> ArborV1.FilteredStatsRequest {
        var request = ArborV1.FilteredStatsRequest()
        request.root = root.bytes
        request.excludeRoot = excludeRoot
        request.maxDepth = maxDepth
        request.userFilter = userFilter.v1Message
        request.registrationTypes = registrations.types
        request.channels = registrations.channels
        request.fromDate = registrations.from?.isoString ?? ""
        request.toDate = registrations.to?.isoString ?? ""
        request.groupBy = groupBy.map { ArborV1.Dimension(rawValue: Int32($0.rawValue)) }
        request.freshness = freshness.v1Message
        return request
    }
}

extension ArborModel.LeaderboardQuery {
    func message(freshness: Freshness) -> ArborV1.LeaderboardRequest {
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
        request.filter = filter.v1Message
        request.within = within?.bytes ?? []
        request.registrationTypes = registrations.types
        request.channels = registrations.channels
        request.fromDate = registrations.from?.isoString ?? ""
        request.toDate = registrations.to?.isoString ?? ""
        request.limit = limit
        request.offset = offset
        request.freshness = freshness.v1Message
        return request
    }
}

extension CyclesQuery {
    func message(freshness: Freshness) -> ArborV1.CyclesRequest {
        ArborV1.CyclesRequest(limit: limit, freshness: freshness.v1Message)
    }
}

extension FindUsersQuery {
    func message(freshness: Freshness) -> ArborV1.FindUsersRequest {
        var request = ArborV1.FindUsersRequest()
        request.namePrefix = namePrefix ?? ""
        if let ids { for id in ids { id.append(to: &request.ids) } }
        request.limit = limit
        request.freshness = freshness.v1Message
        return request
    }
}

extension ResponseDecoding {
    /// Splits concatenated 16-byte ids.
    static func ids(_ bytes: [UInt8], field: String) throws(RPCError) -> [UserID] {
        guard bytes.count % 16 == 0 else { throw malformed("\(field) is \(bytes.count) bytes, not a multiple of 16") }
        return stride(from: 0, to: bytes.count, by: 16).map { UserID(bytes: bytes[$0..<$0 + 16])! }
    }

    static func id(_ bytes: [UInt8], field: String) throws(RPCError) -> UserID {
        guard let id = UserID(bytes: bytes) else { throw malformed("\(field) is \(bytes.count) bytes, not 16") }
        return id
    }

    static func stats(_ response: ArborV1.FilteredStatsResponse) -> (value: FilteredStatsResult, meta: Void) {
        (
            FilteredStatsResult(
                rows: response.rows.map {
                    StatsRow(keys: $0.keys, registrations: $0.registrations, registeringUsers: $0.registeringUsers)
                },
                totalRegistrations: response.totalRegistrations, usersInScope: response.usersInScope),
            ()
        )
    }

    static func leaderboard(
        _ response: ArborV1.LeaderboardResponse
    ) throws(RPCError) -> (value: LeaderboardResult, meta: Void) {
        var rows: [ArborModel.LeaderboardRow] = []
        for row in response.rows {
            rows.append(
                ArborModel.LeaderboardRow(
                    rank: row.rank, userID: try id(row.userID, field: "LeaderboardRow.user_id"), name: row.name,
                    role: row.role, selfRegistrations: row.selfRegistrations,
                    treeRegistrations: row.treeRegistrations, directChildren: row.directChildren,
                    downlineSize: row.downlineSize,
                    downlineByRole: row.downlineByRole.map { RoleCount(role: $0.role, count: $0.count) }))
        }
        return (LeaderboardResult(rows: rows, totalRanked: response.totalRanked), ())
    }

    static func cycles(_ response: ArborV1.CyclesResponse) throws(RPCError) -> (value: CyclesResult, meta: Void) {
        var cycles: [[UserID]] = []
        for cycle in response.cycles { cycles.append(try ids(cycle.members, field: "Cycle.members")) }
        return (CyclesResult(cycles: cycles, total: response.total), ())
    }

    static func users(_ response: ArborV1.FindUsersResponse) throws(RPCError) -> (value: [UserRecord], meta: Void) {
        var users: [UserRecord] = []
        for user in response.users {
            users.append(
                UserRecord(
                    id: try id(user.id, field: "User.id"), name: user.name, role: user.role, state: user.state,
                    district: user.district, block: user.block, village: user.village, active: user.active,
                    appInstalled: user.appInstalled))
        }
        return (users, ())
    }
}
