import ArborClient
import ArborModel
import ArborWire

// The fixtures' model queries as request messages with an explicit freshness, and responses back, through the
// client library's own conversions.

extension DescendantsQuery {
    func wire(_ freshness: ArborV1.Freshness?) -> ArborV1.DescendantsRequest {
        var request = message()
        request.freshness = freshness
        return request
    }
}

extension FilteredStatsQuery {
    func wire(_ freshness: ArborV1.Freshness?) -> ArborV1.FilteredStatsRequest {
        var request = message()
        request.freshness = freshness
        return request
    }
}

extension LeaderboardQuery {
    func wire(_ freshness: ArborV1.Freshness?) -> ArborV1.LeaderboardRequest {
        var request = message()
        request.freshness = freshness
        return request
    }
}

extension CyclesQuery {
    func wire(_ freshness: ArborV1.Freshness?) -> ArborV1.CyclesRequest {
        var request = message()
        request.freshness = freshness
        return request
    }
}

extension FindUsersQuery {
    func wire(_ freshness: ArborV1.Freshness?) -> ArborV1.FindUsersRequest {
        var request = message()
        request.freshness = freshness
        return request
    }
}

extension DescendantsResult {
    init(_ chunks: [ArborV1.DescendantsChunk]) throws {
        let ids = try chunks.flatMap { try ResponseDecoding.ids($0.ids, field: "ids") }
        let depths = chunks.flatMap(\.depths)
        self.init(
            entries: zip(ids, depths).map { DescendantEntry(id: $0, depth: $1) }, total: chunks.last?.total ?? 0)
    }
}
