import ArborModel
import ArborWire

// Each v2 request becomes the query of ArborModel that checks its shape; nothing is validated here.

extension ArborV2.Match {
    var valueMatch: ValueMatch { ValueMatch(name: name, values: values, negate: negate) }
}

extension FreshnessRequirement {
    /// The requirement a v2 request's `freshness` states; an absent field asks for the server's defaults.
    init(_ freshness: ArborV2.Freshness?) {
        self.init(
            maxStalenessMs: freshness?.maxStalenessMs ?? 0, requireLive: freshness?.requireLive ?? false,
            minVersion: freshness?.minVersion ?? 0)
    }
}

extension ArborV2.TraversalRequest {
    func query(_ model: ResolvedModel, direction: NodeTraversalQuery.Direction) throws(QueryError)
        -> NodeTraversalQuery
    {
        try NodeTraversalQuery(
            model: model, direction: direction, root: root, maxDepth: maxDepth, filter: filter.map(\.valueMatch),
            includeRoot: includeRoot, limit: limit, attributes: attributes, includeParents: includeParents)
    }
}

extension ArborV2.FilteredStatsRequest {
    /// The fingerprint a page token of this request carries: everything but `limit`, `freshness` and the token.
    var pageFingerprint: UInt64 {
        var stable = self
        stable.limit = 0
        stable.freshness = nil
        stable.pageToken = ""
        return PageToken.fingerprint(of: stable)
    }

    func query(_ model: ResolvedModel) throws(QueryError) -> EventStatsQuery {
        let token = try PageToken.parse(pageToken, expecting: pageFingerprint)
        return try EventStatsQuery(
            model: model, root: root, excludeRoot: excludeRoot, maxDepth: maxDepth, filter: filter.map(\.valueMatch),
            source: events?.source ?? "", eventMatches: events?.match.map(\.valueMatch) ?? [],
            fromDate: events?.fromDate ?? "", toDate: events?.toDate ?? "", groupBy: groupBy, measures: measures,
            limit: limit, after: token?.key)
    }
}

extension ArborV2.LeaderboardRequest {
    func query(_ model: ResolvedModel) throws(QueryError) -> RankingQuery {
        let metric: RankingMetric
        switch orderBy {
        case .unspecified, .treeMeasure: metric = .treeMeasure
        case .selfMeasure: metric = .selfMeasure
        case .directChildren: metric = .directChildren
        case .downlineSize: metric = .downlineSize
        case .downlineMatching: metric = .downlineMatching
        case .unrecognized(let value):
            throw QueryError(
                code: .invalidArgument, field: "order_by", message: "order_by: \(value) is not a Metric")
        }
        return try RankingQuery(
            model: model, metric: metric, measure: measure, ascending: ascending, filter: filter.map(\.valueMatch),
            within: within, source: events?.source ?? "", eventMatches: events?.match.map(\.valueMatch) ?? [],
            fromDate: events?.fromDate ?? "", toDate: events?.toDate ?? "",
            downlineFilter: downlineFilter.map(\.valueMatch), breakdownBy: breakdownBy, attributes: attributes,
            limit: limit, offset: offset)
    }
}

extension ArborV2.FindNodesRequest {
    var pageFingerprint: UInt64 {
        var stable = self
        stable.limit = 0
        stable.freshness = nil
        stable.pageToken = ""
        return PageToken.fingerprint(of: stable)
    }

    func query(_ model: ResolvedModel) throws(QueryError) -> FindNodesQuery {
        var after: (label: String, id: NodeID)?
        if let token = try PageToken.parse(pageToken, expecting: pageFingerprint) {
            guard token.key.count == 2, let id = try? model.nodeID(token.key[1], field: "page_token") else {
                throw QueryError(
                    code: .invalidArgument, field: "page_token",
                    message: "page_token: the token was not issued for this request")
            }
            after = (token.key[0], id)
        }
        return try FindNodesQuery(
            model: model, labelPrefix: labelPrefix, ids: ids, filter: filter.map(\.valueMatch),
            attributes: attributes, limit: limit, after: after)
    }
}
