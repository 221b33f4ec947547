import ArborModel
import ArborWire

extension ResponseLimit {
    /// ``spend(_:from:)`` failing with the RESOURCE_EXHAUSTED status the caller gets.
    func charge(_ size: Int, to used: inout Int) throws(RPCError) {
        do {
            try spend(size, from: &used)
        } catch {
            throw RPCError(code: .resourceExhausted, message: error.message)
        }
    }
}

// Each conversion counts the rows it makes against the response size limit (a lower bound of their encoded
// size) and stops at the limit: a live answer too large to send is refused before its message is built.

extension EventStatsResult {
    func response(
        query: EventStatsQuery, fingerprint: UInt64, answeredBy answer: AnswerSource, limit: ResponseLimit
    ) throws(RPCError) -> ArborV2.FilteredStatsResponse {
        var response = ArborV2.FilteredStatsResponse()
        var used = 0
        response.rows.reserveCapacity(rows.count)
        for row in rows {
            try limit.charge(row.keys.reduce(row.values.count + 2) { $0 + $1.utf8.count + 1 }, to: &used)
            response.rows.append(ArborV2.StatsRow(keys: row.keys, values: row.values, nodes: row.nodes))
        }
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
    func response(query: RankingQuery, model: ResolvedModel, answeredBy answer: AnswerSource, limit: ResponseLimit)
        throws(RPCError) -> ArborV2.LeaderboardResponse
    {
        var response = ArborV2.LeaderboardResponse()
        let names = query.attributes.map { model.attributes[$0].name }
        var used = 0
        response.rows.reserveCapacity(rows.count)
        for row in rows {
            var size = row.id.canonical.utf8.count + row.label.utf8.count + row.selfValues.count * 2 + 4
            for (name, value) in zip(names, row.attributes) { size += name.utf8.count + value.utf8.count + 2 }
            for entry in row.breakdown { size += entry.key.utf8.count + 2 }
            try limit.charge(size, to: &used)
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
            response.rows.append(wire)
        }
        response.totalRanked = totalRanked
        response.meta = answer.metaV2
        return response
    }
}

extension FindNodesResult {
    func response(
        query: FindNodesQuery, model: ResolvedModel, fingerprint: UInt64, answeredBy answer: AnswerSource,
        limit: ResponseLimit
    ) throws(RPCError) -> ArborV2.FindNodesResponse {
        var response = ArborV2.FindNodesResponse()
        let names = query.attributes.map { model.attributes[$0].name }
        var used = 0
        response.nodes.reserveCapacity(nodes.count)
        for node in nodes {
            let id = node.id.canonical
            var size = id.utf8.count + node.label.utf8.count + 2
            for (name, value) in zip(names, node.attributes) { size += name.utf8.count + value.utf8.count + 2 }
            try limit.charge(size, to: &used)
            response.nodes.append(
                ArborV2.Node(
                    id: id, label: node.label, attributes: Dictionary(uniqueKeysWithValues: zip(names, node.attributes))
                ))
        }
        response.meta = answer.metaV2
        if hasMore, let last = nodes.last {
            response.nextPageToken = PageToken(fingerprint: fingerprint, key: [last.label, last.id.canonical]).text
        }
        return response
    }
}

extension CycleGroupsResult {
    func response(answeredBy answer: AnswerSource, limit: ResponseLimit) throws(RPCError) -> ArborV2.CyclesResponse {
        var response = ArborV2.CyclesResponse()
        var used = 0
        response.cycles.reserveCapacity(groups.count)
        for group in groups {
            let size = group.reduce(2) { size, id in
                switch id {
                case .uuid: size + 16
                case .integer: size + 1
                case .text(let text): size + text.utf8.count + 1
                }
            }
            try limit.charge(size, to: &used)
            response.cycles.append(ArborV2.Cycle(members: ArborV2.NodeIds(group)))
        }
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
