import ArborModel
import ArborWire

extension EventStatsResult {
    func response(
        query: EventStatsQuery, fingerprint: UInt64, answeredBy answer: AnswerSource
    ) -> ArborV2.FilteredStatsResponse {
        var response = ArborV2.FilteredStatsResponse()
        response.rows = rows.map { ArborV2.StatsRow(keys: $0.keys, values: $0.values, nodes: $0.nodes) }
        response.totals = totals
        response.nodesInScope = nodesInScope
        response.meta = answer.metaV2
        if hasMore, let last = rows.last {
            response.nextPageToken = PageToken(fingerprint: fingerprint, key: last.keys).text
        }
        return response
    }
}

extension RankingResult {
    func response(query: RankingQuery, model: ResolvedModel, answeredBy answer: AnswerSource)
        -> ArborV2.LeaderboardResponse
    {
        var response = ArborV2.LeaderboardResponse()
        let names = query.attributes.map { model.attributes[$0].name }
        response.rows = rows.map { row in
            var wire = ArborV2.LeaderboardRow()
            wire.rank = row.rank
            wire.id = row.id.canonical
            wire.label = row.label
            wire.attributes = Dictionary(uniqueKeysWithValues: zip(names, row.attributes))
            wire.selfMeasures = row.selfValues
            wire.treeMeasures = row.treeValues
            wire.directChildren = row.directChildren
            wire.downlineSize = row.downlineSize
            wire.downlineMatching = row.downlineMatching
            wire.breakdown = row.breakdown.map { ArborV2.KeyCount(key: $0.key, count: $0.count) }
            return wire
        }
        response.totalRanked = totalRanked
        response.meta = answer.metaV2
        return response
    }
}

extension FindNodesResult {
    func response(
        query: FindNodesQuery, model: ResolvedModel, fingerprint: UInt64, answeredBy answer: AnswerSource
    ) -> ArborV2.FindNodesResponse {
        var response = ArborV2.FindNodesResponse()
        let names = query.attributes.map { model.attributes[$0].name }
        response.nodes = nodes.map { node in
            ArborV2.Node(
                id: node.id.canonical, label: node.label,
                attributes: Dictionary(uniqueKeysWithValues: zip(names, node.attributes)))
        }
        response.meta = answer.metaV2
        if hasMore, let last = nodes.last {
            response.nextPageToken = PageToken(fingerprint: fingerprint, key: [last.label, last.id.canonical]).text
        }
        return response
    }
}

extension CycleGroupsResult {
    func response(answeredBy answer: AnswerSource) -> ArborV2.CyclesResponse {
        var response = ArborV2.CyclesResponse()
        response.cycles = groups.map { ArborV2.Cycle(members: ArborV2.NodeIds($0)) }
        response.total = total
        response.meta = answer.metaV2
        return response
    }
}

extension ModelFacts {
    /// Describe: the model's shape (names in model order, `count` first among measures) with these facts.
    func response(model: ResolvedModel, answeredBy answer: AnswerSource) -> ArborV2.DescribeResponse {
        var response = ArborV2.DescribeResponse()
        response.idType = model.idType.name
        response.timeZone = model.model.timeZone
        response.hasLabel = model.hasLabel
        response.attributes = zip(model.attributes, distinctValues).map { attribute, distinct in
            ArborV2.AttributeInfo(
                name: attribute.name, type: attribute.type.name, closed: attribute.closed, distinctValues: distinct)
        }
        response.sources = zip(model.sources, sources).map { source, facts in
            ArborV2.EventSourceInfo(
                name: source.name, dimensions: source.dimensions.map(\.name),
                measures: source.measures.map { ArborV2.MeasureInfo(name: $0.name, scale: UInt32($0.scale)) },
                firstDay: facts.firstDay?.isoString ?? "", lastDay: facts.lastDay?.isoString ?? "",
                events: facts.events)
        }
        response.nodes = nodes
        response.edges = edges
        response.cycleGroups = cycleGroups
        response.meta = answer.metaV2
        return response
    }
}
