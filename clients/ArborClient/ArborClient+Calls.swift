/// The unary calls with friendly types (paged calls and streams are with their query types).
extension ArborClient {
    /// `Describe`: the model's id type, attributes, sources, measures and counts.
    public func describe(
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<ModelDescription> {
        let response = try await describe(ArborV2.DescribeRequest(freshness: freshness.message), timeout: timeout)
        return Answer(value: ModelDescription(response), meta: ResponseMeta(response.meta))
    }

    /// `Leaderboard`: nodes ranked by a metric over their downline.
    public func leaderboard(
        _ query: LeaderboardQuery,
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<Leaderboard> {
        let response = try await leaderboard(query.message(freshness: freshness), timeout: timeout)
        return Answer(value: Leaderboard(response), meta: ResponseMeta(response.meta))
    }

    /// `Cycles`: every group of nodes that reach each other; `limit` 0 returns all groups.
    public func cycles(
        limit: UInt32 = 0,
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<CycleGroups> {
        let response = try await cycles(
            ArborV2.CyclesRequest(limit: limit, freshness: freshness.message), timeout: timeout)
        return Answer(value: try CycleGroups(response), meta: ResponseMeta(response.meta))
    }

    /// `grpc.health.v1.Health/Check`: `.serving` once the server answers from its snapshot.
    ///
    /// - Parameter service: `""` (or `arbor.v2.Hierarchy`) for the whole server; an unknown name is NOT_FOUND.
    public func health(
        service: String = "",
        timeout: Duration? = nil
    ) async throws(RPCError) -> GRPCHealthV1.HealthCheckResponse.ServingStatus {
        try await health(GRPCHealthV1.HealthCheckRequest(service: service), timeout: timeout).status
    }
}
