import ArborModel
import Testing

@testable import ArborIndex

/// ModelIndex against the naive reference on random models and rows of every id type, with random queries of
/// every call; stats on every grouping path and with per-day downline totals precomputed for every component.
@Suite struct ModelIndexDifferentialTests {
    static let idTypes: [NodeIDType] = [.uuid, .integer(.int64), .integer(.int16), .text]

    @Test(arguments: idTypes, 0..<60)
    func indexAgreesWithReference(idType: NodeIDType, seed: Int) throws {
        let data = ModelIndexRandomData(idType: idType, seed: UInt64(seed) &* 31 &+ UInt64(idType.name.count))
        let index = try ModelIndex(model: data.model, rows: data.rows)
        let everyDay = try ModelIndex(model: data.model, rows: data.rows, subtreeMinimumDownline: 1)
        let reference = ModelIndexReference(model: data.model, rows: data.rows)
        var queries = RandomModelQueries(data: data, seed: UInt64(seed))

        #expect(index.nodeCount == reference.nodes.count)
        #expect(index.facts() == reference.facts())
        for limit: UInt32 in [0, 1, 2] { #expect(index.cycles(limit: limit) == reference.cycles(limit: limit)) }
        for id in data.ids + data.ghosts { #expect(index.contains(id) == (reference.nodes[id] != nil)) }

        for _ in 0..<10 {
            guard let query = queries.traversal() else { continue }
            #expect(
                Result { () throws(QueryError) in try index.traverse(query) }
                    == Result { () throws(QueryError) in try reference.traverse(query) }, "\(query)")
        }
        for _ in 0..<10 {
            guard let query = queries.stats() else { continue }
            let expected = Result { () throws(QueryError) in try reference.stats(query) }
            #expect(Result { () throws(QueryError) in try index.stats(query) } == expected, "\(query)")
            #expect(Result { () throws(QueryError) in try everyDay.stats(query) } == expected, "every day: \(query)")
            for strategy in [.automatic, .keyed, .tuples] as [EventGrouping.Strategy] {
                #expect(
                    Result { () throws(QueryError) in try index.stats(query, strategy: strategy) } == expected,
                    "\(strategy): \(query)")
                #expect(
                    Result { () throws(QueryError) in try everyDay.stats(query, strategy: strategy, parallelScope: 1) }
                        == expected, "\(strategy) in parallel: \(query)")
            }
        }
        for _ in 0..<10 {
            guard let query = queries.ranking() else { continue }
            #expect(
                Result { () throws(QueryError) in try index.rank(query) }
                    == Result { () throws(QueryError) in try reference.rank(query) }, "\(query)")
        }
        for _ in 0..<10 {
            guard let query = queries.find() else { continue }
            #expect(
                Result { () throws(QueryError) in try index.find(query) }
                    == Result { () throws(QueryError) in try reference.find(query) }, "\(query)")
        }
    }

    /// Pages of stats and of FindNodes, followed by their last keys, neither repeat nor skip a row.
    @Test(arguments: idTypes, 0..<20)
    func pagesNeitherRepeatNorSkip(idType: NodeIDType, seed: Int) throws {
        let data = ModelIndexRandomData(idType: idType, seed: UInt64(seed) &+ 1000)
        let index = try ModelIndex(model: data.model, rows: data.rows)
        var queries = RandomModelQueries(data: data, seed: UInt64(seed) &+ 77)
        for _ in 0..<5 {
            guard var query = queries.stats(), (try? index.stats(query)) != nil else { continue }
            query.limit = 0
            query.after = nil
            let all = try index.stats(query)
            query.limit = UInt32(1 + seed % 3)
            var pages: [EventStatsRow] = []
            while true {
                let page = try index.stats(query)
                #expect(page.totals == all.totals)
                #expect(page.nodesInScope == all.nodesInScope)
                pages += page.rows
                guard page.hasMore, let last = page.rows.last else { break }
                query.after = last.keys
            }
            #expect(pages == all.rows, "\(query)")
        }
        for _ in 0..<5 {
            guard var query = queries.find() else { continue }
            query.limit = 1000
            query.after = nil
            let all = try index.find(query)
            query.limit = UInt32(1 + seed % 3)
            var pages: [FoundNode] = []
            while true {
                let page = try index.find(query)
                pages += page.nodes
                guard page.hasMore, let last = page.nodes.last else { break }
                query.after = (last.label, last.id)
            }
            #expect(pages == all.nodes, "\(query)")
        }
    }
}

/// Random valid queries over a ``ModelIndexRandomData``: names, values and dates the model accepts, some values
/// that no node holds, unknown roots and closed values outside the set.
struct RandomModelQueries {
    let data: ModelIndexRandomData
    var random: ModelIndexRandomData.Random

    init(data: ModelIndexRandomData, seed: UInt64) {
        self.data = data
        self.random = ModelIndexRandomData.Random(seed: seed &+ 0xABCDEF)
    }

    var model: ResolvedModel { data.model }

    mutating func node() -> String {
        random.chance(5) ? data.ghosts[0].canonical : random.pick(data.ids).canonical
    }

    mutating func filter() -> [ValueMatch] {
        var matches: [ValueMatch] = []
        if random.chance(30) {
            var values = random.subset(["red", "Blue", "", "grün", "gold"], atMost: 3)
            if values.isEmpty { values = ["red"] }
            if random.chance(3) { values.append("purple") }  // not in the closed set
            matches.append(ValueMatch(name: "team", values: values, negate: random.chance(30)))
        }
        if random.chance(25) {
            var values = random.subset(["-3", "2", "10", "0", "7"], atMost: 3)
            if values.isEmpty { values = ["2"] }
            matches.append(ValueMatch(name: "level", values: values, negate: random.chance(30)))
        }
        if random.chance(20) {
            matches.append(
                ValueMatch(name: "active", values: [random.pick(["true", "false"])], negate: random.chance(30)))
        }
        return matches
    }

    mutating func eventScope(source: String) -> (matches: [ValueMatch], from: String, to: String) {
        var matches: [ValueMatch] = []
        if source == "visits" {
            if random.chance(30) {
                var values = random.subset(["web", "app", "", "fax"], atMost: 2)
                if values.isEmpty { values = ["web"] }
                matches.append(ValueMatch(name: "channel", values: values, negate: random.chance(30)))
            }
            if random.chance(20) {
                matches.append(
                    ValueMatch(name: "paid", values: [random.pick(["true", "false"])], negate: random.chance(30)))
            }
        }
        let first = ModelIndexRandomData.firstDay
        var from = random.chance(50) ? "" : first.advanced(by: Int32(random.below(90)) - 10).isoString
        var to = random.chance(50) ? "" : first.advanced(by: Int32(random.below(90)) - 10).isoString
        if !from.isEmpty, !to.isEmpty, to < from { swap(&from, &to) }
        return (matches, from, to)
    }

    mutating func source() -> String {
        model.sources.count > 1 && random.chance(30) ? "calls" : random.pick(["", "visits"])
    }

    mutating func traversal() -> NodeTraversalQuery? {
        let columns = random.subset(["label", "team", "level", "active"], atMost: 3)
        return try? NodeTraversalQuery(
            model: model, direction: random.chance(50) ? .descendants : .ancestors, root: node(),
            maxDepth: random.chance(60) ? 0 : UInt32(1 + random.below(3)), filter: filter(),
            includeRoot: random.chance(50), limit: random.chance(60) ? 0 : UInt32(random.below(6)),
            attributes: columns.shuffled(using: &random), includeParents: random.chance(50))
    }

    mutating func stats() -> EventStatsQuery? {
        let source = source()
        let scope = eventScope(source: source)
        var keys = ["day", "week", "month", "node", "team", "level", "active"]
        if source != "calls" { keys += ["channel", "paid"] }
        let groupBy = random.chance(20) ? [] : random.subset(keys.shuffled(using: &random), atMost: 3)
        let measureNames = source == "calls" ? ["count"] : ["count", "amount", "cents"]
        let measures = random.chance(40) ? [] : random.subset(measureNames.shuffled(using: &random), atMost: 3)
        return try? EventStatsQuery(
            model: model, root: node(), excludeRoot: random.chance(30),
            maxDepth: random.chance(70) ? 0 : UInt32(1 + random.below(3)), filter: filter(), source: source,
            eventMatches: scope.matches, fromDate: scope.from, toDate: scope.to, groupBy: groupBy,
            measures: measures, limit: random.chance(70) ? 0 : UInt32(1 + random.below(4)))
    }

    mutating func ranking() -> RankingQuery? {
        let source = source()
        let scope = eventScope(source: source)
        let metric = random.pick([
            RankingMetric.selfMeasure, .treeMeasure, .directChildren, .downlineSize, .downlineMatching,
        ])
        let measure = source == "calls" ? "" : random.pick(["", "count", "amount", "cents"])
        var downline = metric == .downlineMatching || random.chance(30) ? filter() : []
        if metric == .downlineMatching, downline.isEmpty { downline = [ValueMatch(name: "level", values: ["2"])] }
        return try? RankingQuery(
            model: model, metric: metric, measure: measure, ascending: random.chance(40), filter: filter(),
            within: random.chance(40) ? node() : "", source: source, eventMatches: scope.matches,
            fromDate: scope.from, toDate: scope.to, downlineFilter: downline,
            breakdownBy: random.chance(40) ? random.pick(["team", "level", "active"]) : "",
            attributes: random.subset(["team", "level", "active"], atMost: 2),
            limit: UInt32(random.below(6)), offset: random.chance(70) ? 0 : UInt32(random.below(12)))
    }

    mutating func find() -> FindNodesQuery? {
        let prefix = random.chance(50) ? random.pick(["a", "AL", "alpha", "b", "B", "Bé", "x", "al-"]) : ""
        let ids = random.chance(30) ? (0..<random.below(5)).map { _ in node() } : []
        var filter = filter()
        if prefix.isEmpty, ids.isEmpty, filter.isEmpty { filter = [ValueMatch(name: "level", values: ["2", "10"])] }
        return try? FindNodesQuery(
            model: model, labelPrefix: prefix, ids: ids, filter: filter,
            attributes: random.subset(["team", "level", "active"], atMost: 3), limit: UInt32(random.below(5)))
    }
}
