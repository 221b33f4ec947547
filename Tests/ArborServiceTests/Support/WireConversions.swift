import ArborClient
import ArborModel
import ArborWire

// The fixtures' model queries as request messages with an explicit freshness, and responses back, through the
// client library's own conversions.

/// A request message that carries a `freshness` field.
protocol FreshnessCarrying {
    var freshness: ArborV1.Freshness? { get set }
}

extension ArborV1.DescendantsRequest: FreshnessCarrying {}
extension ArborV1.FilteredStatsRequest: FreshnessCarrying {}
extension ArborV1.LeaderboardRequest: FreshnessCarrying {}
extension ArborV1.CyclesRequest: FreshnessCarrying {}
extension ArborV1.FindUsersRequest: FreshnessCarrying {}

/// A model query the client library turns into its request message.
protocol WireQuery {
    associatedtype Request: FreshnessCarrying
    func message(freshness: Freshness) -> Request
}

extension DescendantsQuery: WireQuery {}
extension FilteredStatsQuery: WireQuery {}
extension ArborModel.LeaderboardQuery: WireQuery {}
extension CyclesQuery: WireQuery {}
extension FindUsersQuery: WireQuery {}

extension WireQuery {
    /// The request message with exactly `freshness` on the wire (`nil`: the field left out).
    func wire(_ freshness: ArborV1.Freshness?) -> Request {
        var request = message(freshness: .serverDefault)
        request.freshness = freshness
        return request
    }
}

extension DescendantsResult {
    init(_ chunks: some BidirectionalCollection<ArborV1.DescendantsChunk>) throws {
        let ids = try chunks.flatMap { try ResponseDecoding.ids($0.ids, field: "ids") }
        let depths = chunks.flatMap(\.depths)
        self.init(
            entries: zip(ids, depths).map { DescendantEntry(id: $0, depth: $1) }, total: chunks.last?.total ?? 0)
    }
}
