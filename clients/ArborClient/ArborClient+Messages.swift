/// Every unary call with the contract's raw messages, for callers that build requests themselves or need a field
/// the friendly types do not carry. (`descendants` and `ancestors` take a raw `ArborV2.TraversalRequest` too.)
extension ArborClient {
    /// `Describe` with raw messages.
    public func describe(
        _ request: ArborV2.DescribeRequest, timeout: Duration? = nil
    ) async throws(RPCError) -> ArborV2.DescribeResponse {
        try await unary(path: ArborMethod.describe, request: request, timeout: timeout)
    }

    /// `FilteredStats` with raw messages.
    public func filteredStats(
        _ request: ArborV2.FilteredStatsRequest, timeout: Duration? = nil
    ) async throws(RPCError) -> ArborV2.FilteredStatsResponse {
        try await unary(path: ArborMethod.filteredStats, request: request, timeout: timeout)
    }

    /// `Leaderboard` with raw messages.
    public func leaderboard(
        _ request: ArborV2.LeaderboardRequest, timeout: Duration? = nil
    ) async throws(RPCError) -> ArborV2.LeaderboardResponse {
        try await unary(path: ArborMethod.leaderboard, request: request, timeout: timeout)
    }

    /// `Cycles` with raw messages.
    public func cycles(
        _ request: ArborV2.CyclesRequest, timeout: Duration? = nil
    ) async throws(RPCError) -> ArborV2.CyclesResponse {
        try await unary(path: ArborMethod.cycles, request: request, timeout: timeout)
    }

    /// `FindNodes` with raw messages.
    public func findNodes(
        _ request: ArborV2.FindNodesRequest, timeout: Duration? = nil
    ) async throws(RPCError) -> ArborV2.FindNodesResponse {
        try await unary(path: ArborMethod.findNodes, request: request, timeout: timeout)
    }

    /// `Health/Check` with raw messages.
    public func health(
        _ request: GRPCHealthV1.HealthCheckRequest, timeout: Duration? = nil
    ) async throws(RPCError) -> GRPCHealthV1.HealthCheckResponse {
        try await unary(path: ArborMethod.healthCheck, request: request, timeout: timeout)
    }
}
