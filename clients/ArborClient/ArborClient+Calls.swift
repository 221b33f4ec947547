extension ArborClient {
    /// `FilteredStats`: registration counts over a root's subtree, optionally grouped.
    public func filteredStats(
        _ query: FilteredStatsQuery,
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<FilteredStatsResult> {
        let response = try await unary(
            path: ArborMethod.filteredStats, request: query.message(freshness: freshness),
            as: ArborV1.FilteredStatsResponse.self, timeout: timeout)
        return ResponseDecoding.stats(response)
    }

    /// `Leaderboard`: users ranked by a metric over their downline.
    public func leaderboard(
        _ query: LeaderboardQuery,
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<LeaderboardResult> {
        let response = try await unary(
            path: ArborMethod.leaderboard, request: query.message(freshness: freshness),
            as: ArborV1.LeaderboardResponse.self, timeout: timeout)
        return try ResponseDecoding.leaderboard(response)
    }

    /// `Cycles`: every group of users that reach each other.
    public func cycles(
        _ query: CyclesQuery = CyclesQuery(),
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<CyclesResult> {
        let response = try await unary(
            path: ArborMethod.cycles, request: query.message(freshness: freshness), as: ArborV1.CyclesResponse.self,
            timeout: timeout)
        return try ResponseDecoding.cycles(response)
    }

    /// `FindUsers`: users by name prefix (ASCII case-insensitive) and/or by id, by name then id.
    public func findUsers(
        _ query: FindUsersQuery,
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<[UserRecord]> {
        let response = try await unary(
            path: ArborMethod.findUsers, request: query.message(freshness: freshness),
            as: ArborV1.FindUsersResponse.self, timeout: timeout)
        return try ResponseDecoding.users(response)
    }

    /// Users whose names start with `namePrefix` (at most `limit`, ≤ 1000).
    public func users(
        namePrefix: String,
        limit: UInt32 = 20,
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<[UserRecord]> {
        try await findUsers(
            FindUsersQuery(namePrefix: namePrefix, limit: limit), freshness: freshness, timeout: timeout)
    }

    /// Looks up any number of users by id, in calls of at most ``maxFindUsersBatch`` ids. Unknown ids are absent
    /// from the result. The meta is the last call's.
    public func users(
        ids: some Sequence<UserID>,
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<[UserID: UserRecord]> {
        let unique = Array(Set(ids)).sorted()
        var found: [UserID: UserRecord] = [:]
        var meta = ResponseMeta(nil)
        var start = 0
        while start < unique.count {
            let batch = Array(unique[start..<min(unique.count, start + Self.maxFindUsersBatch)])
            let answer = try await findUsers(
                FindUsersQuery(ids: batch, limit: UInt32(batch.count)), freshness: freshness, timeout: timeout)
            for user in answer.value { found[user.id] = user }
            meta = answer.meta
            start += batch.count
        }
        return Answer(value: found, meta: meta)
    }

    /// The most ids one `FindUsers` call may look up (its `limit` maximum).
    public static let maxFindUsersBatch = 1000

    /// `grpc.health.v1.Health/Check`: `.serving` once the server answers from its snapshot.
    ///
    /// - Parameter service: `""` for the whole server; an unknown name is NOT_FOUND.
    public func health(
        service: String = "",
        timeout: Duration? = nil
    ) async throws(RPCError) -> GRPCHealthV1.HealthCheckResponse.ServingStatus {
        let response = try await unary(
            path: ArborMethod.healthCheck, request: GRPCHealthV1.HealthCheckRequest(service: service),
            as: GRPCHealthV1.HealthCheckResponse.self, timeout: timeout)
        return response.status
    }
}
