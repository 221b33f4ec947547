// The friendly query types (ArborModel) as the contract's request messages, and responses back.

extension UserFilter {
    /// The wire message; `nil` when the filter selects everyone.
    public var message: ArborV1.UserFilter? {
        guard !isEmpty else { return nil }
        return ArborV1.UserFilter(
            roles: roles, states: states, districts: districts, blocks: blocks, villages: villages, active: active,
            appInstalled: appInstalled)
    }
}

extension StatsDimension {
    /// The contract's `Dimension`.
    public var message: ArborV1.Dimension {
        ArborV1.Dimension(rawValue: Int32(rawValue))
    }
}

extension LeaderboardMetric {
    /// The contract's `Metric` and `order_role`.
    public var message: (metric: ArborV1.Metric, role: String) {
        switch self {
        case .selfRegistrations: (.selfRegistrations, "")
        case .treeRegistrations: (.treeRegistrations, "")
        case .directChildren: (.directChildren, "")
        case .downlineSize: (.downlineSize, "")
        case .downlineRole(let role): (.downlineRole, role)
        }
    }
}

extension DescendantsQuery {
    /// The request message.
    public func message(freshness: Freshness = .serverDefault) -> ArborV1.DescendantsRequest {
        ArborV1.DescendantsRequest(
            root: root.bytes, maxDepth: maxDepth, filter: filter.message, includeRoot: includeRoot, limit: limit,
            freshness: freshness.message)
    }
}

extension FilteredStatsQuery {
    /// The request message.
    public func message(freshness: Freshness = .serverDefault) -> ArborV1.FilteredStatsRequest {
        var request = ArborV1.FilteredStatsRequest()
        request.root = root.bytes
        request.excludeRoot = excludeRoot
        request.maxDepth = maxDepth
        request.userFilter = userFilter.message
        request.registrationTypes = registrations.types
        request.channels = registrations.channels
        request.fromDate = registrations.from?.isoString ?? ""
        request.toDate = registrations.to?.isoString ?? ""
        request.groupBy = groupBy.map(\.message)
        request.freshness = freshness.message
        return request
    }
}

extension LeaderboardQuery {
    /// The request message.
    public func message(freshness: Freshness = .serverDefault) -> ArborV1.LeaderboardRequest {
        var request = ArborV1.LeaderboardRequest()
        (request.orderBy, request.orderRole) = metric.message
        request.ascending = ascending
        request.filter = filter.message
        request.within = within?.bytes ?? []
        request.registrationTypes = registrations.types
        request.channels = registrations.channels
        request.fromDate = registrations.from?.isoString ?? ""
        request.toDate = registrations.to?.isoString ?? ""
        request.limit = limit
        request.offset = offset
        request.freshness = freshness.message
        return request
    }
}

extension CyclesQuery {
    /// The request message.
    public func message(freshness: Freshness = .serverDefault) -> ArborV1.CyclesRequest {
        ArborV1.CyclesRequest(limit: limit, freshness: freshness.message)
    }
}

extension FindUsersQuery {
    /// The request message.
    public func message(freshness: Freshness = .serverDefault) -> ArborV1.FindUsersRequest {
        var request = ArborV1.FindUsersRequest()
        request.namePrefix = namePrefix ?? ""
        if let ids {
            request.ids.reserveCapacity(ids.count * 16)
            for id in ids { id.append(to: &request.ids) }
        }
        request.limit = limit
        request.freshness = freshness.message
        return request
    }
}

/// Response messages as the friendly result types; malformed ids are INTERNAL errors.
public enum ResponseDecoding {
    public static func malformed(_ what: String) -> RPCError {
        RPCError(code: .internal, message: "malformed response from server: \(what)")
    }

    /// Splits concatenated 16-byte ids.
    public static func ids(_ bytes: [UInt8], field: String) throws(RPCError) -> [UserID] {
        guard bytes.count % 16 == 0 else { throw malformed("\(field) is \(bytes.count) bytes, not a multiple of 16") }
        var ids: [UserID] = []
        ids.reserveCapacity(bytes.count / 16)
        var start = 0
        while start < bytes.count {
            ids.append(UserID(bytes: bytes[start..<start + 16])!)
            start += 16
        }
        return ids
    }

    public static func id(_ bytes: [UInt8], field: String) throws(RPCError) -> UserID {
        guard let id = UserID(bytes: bytes) else { throw malformed("\(field) is \(bytes.count) bytes, not 16") }
        return id
    }

    public static func stats(_ response: ArborV1.FilteredStatsResponse) -> Answer<FilteredStatsResult> {
        Answer(
            value: FilteredStatsResult(
                rows: response.rows.map {
                    StatsRow(keys: $0.keys, registrations: $0.registrations, registeringUsers: $0.registeringUsers)
                },
                totalRegistrations: response.totalRegistrations,
                usersInScope: response.usersInScope
            ),
            meta: ResponseMeta(response.meta)
        )
    }

    public static func leaderboard(_ response: ArborV1.LeaderboardResponse) throws(RPCError) -> Answer<
        LeaderboardResult
    > {
        var rows: [LeaderboardRow] = []
        rows.reserveCapacity(response.rows.count)
        for row in response.rows {
            rows.append(
                LeaderboardRow(
                    rank: row.rank, userID: try id(row.userID, field: "LeaderboardRow.user_id"), name: row.name,
                    role: row.role, selfRegistrations: row.selfRegistrations,
                    treeRegistrations: row.treeRegistrations, directChildren: row.directChildren,
                    downlineSize: row.downlineSize,
                    downlineByRole: row.downlineByRole.map { RoleCount(role: $0.role, count: $0.count) }))
        }
        return Answer(
            value: LeaderboardResult(rows: rows, totalRanked: response.totalRanked), meta: ResponseMeta(response.meta))
    }

    public static func cycles(_ response: ArborV1.CyclesResponse) throws(RPCError) -> Answer<CyclesResult> {
        var cycles: [[UserID]] = []
        for cycle in response.cycles { cycles.append(try ids(cycle.members, field: "Cycle.members")) }
        return Answer(value: CyclesResult(cycles: cycles, total: response.total), meta: ResponseMeta(response.meta))
    }

    public static func users(_ response: ArborV1.FindUsersResponse) throws(RPCError) -> Answer<[UserRecord]> {
        var users: [UserRecord] = []
        users.reserveCapacity(response.users.count)
        for user in response.users {
            users.append(
                UserRecord(
                    id: try id(user.id, field: "User.id"), name: user.name, role: user.role, state: user.state,
                    district: user.district, block: user.block, village: user.village, active: user.active,
                    appInstalled: user.appInstalled))
        }
        return Answer(value: users, meta: ResponseMeta(response.meta))
    }
}
