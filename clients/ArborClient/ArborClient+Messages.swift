/// Every call with the contract's raw messages, for callers that build requests themselves or need a field the
/// friendly types do not carry.
extension ArborClient {
    /// `FilteredStats` with raw messages.
    public func filteredStats(
        _ request: ArborV1.FilteredStatsRequest, timeout: Duration? = nil
    ) async throws(RPCError) -> ArborV1.FilteredStatsResponse {
        try await unary(path: ArborMethod.filteredStats, request: request, timeout: timeout)
    }

    /// `Leaderboard` with raw messages.
    public func leaderboard(
        _ request: ArborV1.LeaderboardRequest, timeout: Duration? = nil
    ) async throws(RPCError) -> ArborV1.LeaderboardResponse {
        try await unary(path: ArborMethod.leaderboard, request: request, timeout: timeout)
    }

    /// `Cycles` with raw messages.
    public func cycles(
        _ request: ArborV1.CyclesRequest, timeout: Duration? = nil
    ) async throws(RPCError) -> ArborV1.CyclesResponse {
        try await unary(path: ArborMethod.cycles, request: request, timeout: timeout)
    }

    /// `FindUsers` with raw messages.
    public func findUsers(
        _ request: ArborV1.FindUsersRequest, timeout: Duration? = nil
    ) async throws(RPCError) -> ArborV1.FindUsersResponse {
        try await unary(path: ArborMethod.findUsers, request: request, timeout: timeout)
    }

    /// `Health/Check` with raw messages.
    public func health(
        _ request: GRPCHealthV1.HealthCheckRequest, timeout: Duration? = nil
    ) async throws(RPCError) -> GRPCHealthV1.HealthCheckResponse {
        try await unary(path: ArborMethod.healthCheck, request: request, timeout: timeout)
    }
}
