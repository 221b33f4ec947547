import ArborIndex
import ArborModel
import ArborStore
import ArborTestSupport
import Foundation
import Testing

/// The cache and the live SQL of every v2 call, held to each other: random graphs under randomly generated models
/// (every id type, both hierarchy forms, zero to two event sources one of which is the nodes table, text, boolean
/// and integer attributes with NULLs, dimensions, integer and scaled numeric sums, time zones with DST), each asked
/// random requests — filters, windows, groupings, measures, orderings, limits, offsets, pages — that must get the
/// same answer, or the same error, from both.
@Suite(.serialized) struct ModelDifferentialTests {
    /// 60 random organisations in every run (about 2 s each); `ARBOR_DIFFERENTIAL_SEEDS=N` runs N of them.
    static let seeds: [UInt64] = Array(
        1...max(1, ProcessInfo.processInfo.environment["ARBOR_DIFFERENTIAL_SEEDS"].flatMap { UInt64($0) } ?? 60))

    @Test(arguments: seeds) func cacheAndLiveAgree(seed: UInt64) async throws {
        let data = RandomModelData(seed: seed)
        try await TestDatabase.withClient { client in
            let model = try await data.install(into: client)
            try await client.withConnection { _ = try ModelInstaller.install(model, on: $0) }
            // Each path reads events once from the rollups and once from the sources' own tables, so the rollups
            // the triggers keep are held to the raw events too.
            let (cacheReads, liveReads): (ModelSQL.EventReading, ModelSQL.EventReading) =
                seed.isMultiple(of: 2) ? (.rollups, .sourceTables) : (.sourceTables, .rollups)
            let rows = try await client.withReadOnlySnapshot { try ModelRows.read(model, events: cacheReads, on: $0) }
            let index = try ModelIndex(model: model, rows: rows)
            let live = LiveModelQueries(model: model, events: liveReads)
            var requests = RandomRequests(model: model, data: data, seed: seed)
            let traversals = (0..<12).compactMap { _ in requests.traversal() }
            let stats = (0..<12).compactMap { _ in requests.stats() }
            let rankings = (0..<12).compactMap { _ in requests.ranking() }
            let finds = (0..<8).compactMap { _ in requests.find() }
            // Most generated requests are valid: the comparisons below are not between two refusals.
            #expect(traversals.count >= 8 && rankings.count >= 6 && finds.count >= 4)
            #expect(model.sources.isEmpty || stats.count >= 8)
            try await client.withReadOnlySnapshot { connection in
                func agree<Value: Equatable>(
                    _ what: String, _ cached: () throws(QueryError) -> Value, _ liveAnswer: () throws -> Value
                ) throws {
                    let fromIndex = Result { () throws(QueryError) in try cached() }
                    let fromLive = Result { try liveAnswer() }
                    switch (fromIndex, fromLive) {
                    case (.success(let a), .success(let b)):
                        #expect(a == b, "seed \(seed): \(what)")
                    case (.failure(let a), .failure(let b)):
                        #expect(a == (b as? QueryError), "seed \(seed): \(what): \(a) vs \(b)")
                    case (.success, .failure(let error)):
                        Issue.record("seed \(seed): \(what): only live failed: \(error)")
                    case (.failure(let error), .success):
                        Issue.record("seed \(seed): \(what): only the cache failed: \(error)")
                    }
                }
                #expect(index.facts() == (try live.facts(on: connection)), "seed \(seed): facts")
                for limit: UInt32 in [0, 1, 2] {
                    #expect(
                        index.cycles(limit: limit) == (try live.cycles(limit: limit, on: connection)),
                        "seed \(seed): cycles limit \(limit)")
                }
                for query in traversals {
                    try agree("\(query)", { () throws(QueryError) in try index.traverse(query) }) {
                        try live.traverse(query, on: connection)
                    }
                }
                for query in stats {
                    try agree("\(query)", { () throws(QueryError) in try index.stats(query) }) {
                        try live.stats(query, on: connection)
                    }
                    try checkPages(query, index: index, live: live, connection: connection, seed: seed)
                }
                for query in rankings {
                    try agree("\(query)", { () throws(QueryError) in try index.rank(query) }) {
                        try live.rank(query, on: connection)
                    }
                }
                for query in finds {
                    try agree("\(query)", { () throws(QueryError) in try index.find(query) }) {
                        try live.find(query, on: connection)
                    }
                }
            }
        }
    }

    /// Paging through a stats answer with a small limit gives exactly the rows of the whole answer, in order, and
    /// every page carries the totals of all of them.
    func checkPages(
        _ query: EventStatsQuery, index: ModelIndex, live: LiveModelQueries, connection: PostgresConnection,
        seed: UInt64
    ) throws {
        guard let whole = try? index.stats(query), query.limit == 0 else { return }
        var paged = query
        paged.limit = UInt32(1 + whole.rows.count / 3)
        var rows: [EventStatsRow] = []
        for _ in 0...(whole.rows.count + 1) {
            let page = try index.stats(paged)
            let livePage = try live.stats(paged, on: connection)
            #expect(page == livePage, "seed \(seed): page after \(paged.after ?? [])")
            #expect(page.totals == whole.totals)
            rows += page.rows
            guard page.hasMore, let last = page.rows.last else { break }
            paged.after = last.keys
        }
        #expect(rows == whole.rows, "seed \(seed): pages of \(query)")
    }
}

/// Random requests for one model and its data, mostly valid, some naming unknown nodes or unknown closed values.
struct RandomRequests {
    let model: ResolvedModel
    let data: RandomModelData
    var random: RandomModelGraph.Random

    init(model: ResolvedModel, data: RandomModelData, seed: UInt64) {
        self.model = model
        self.data = data
        self.random = RandomModelGraph.Random(seed: seed &* 7919)
    }

    mutating func chance(_ oneIn: Int) -> Bool { random.below(oneIn) == 0 }

    mutating func element<T>(_ values: [T]) -> T { values[random.below(values.count)] }

    mutating func node() -> String {
        if chance(25) { return element(["zz-no-such", "77777", "00000000-0000-4000-8000-00000000abcd"]) }
        return element(data.graph.ids).canonical
    }

    /// Values an attribute holds in the data, plus ones it does not.
    func values(ofAttribute name: String) -> [String] {
        switch name {
        case "dept": RandomModelData.depts
        case "remote": ["true", "false"]
        case "level": ["-1", "0", "2", "9", "10", "32767", "5"]
        default: ["a", "B", "é", "", "10", "9", "zz"]
        }
    }

    mutating func matches(_ names: [String], values: (String) -> [String], count: Int) -> [ValueMatch] {
        guard !names.isEmpty else { return [] }
        return (0..<count).map { _ in
            let name = element(names)
            let pool = values(name)
            let chosen = (0..<(1 + random.below(2))).map { _ in element(pool) }
            return ValueMatch(name: name, values: chosen, negate: chance(3))
        }
    }

    mutating func filter() -> [ValueMatch] {
        let names = model.attributes.map(\.name)
        var result = matches(names, values: values(ofAttribute:), count: random.below(3))
        if chance(30), names.contains("dept") { result.append(ValueMatch(name: "dept", values: ["Ghost"])) }
        return result
    }

    mutating func eventScope() -> (source: String, matches: [ValueMatch], from: String, to: String) {
        guard !model.sources.isEmpty else { return ("", [], "", "") }
        let source = element(model.sources)
        let dimensionValues: (String) -> [String] = { name in
            switch name {
            case "product": ["a", "b", "", "Widget", "é", "zz"]
            case "qty": ["-1", "0", "2", "10"]
            default: ["a", "B", "é", "", "10", "9"]
            }
        }
        let matches = matches(source.dimensions.map(\.name), values: dimensionValues, count: random.below(2))
        let days = ["", "2024-03-24", "2024-03-30", "2024-03-31", "2024-04-01", "2024-04-03", "2024-04-06"]
        var from = element(days)
        var to = element(days)
        if !from.isEmpty, !to.isEmpty, from > to { swap(&from, &to) }
        return (chance(3) ? "" : source.name, matches, from, to)
    }

    mutating func attributeNames(allowLabel: Bool) -> [String] {
        var names = model.attributes.map(\.name)
        if allowLabel, model.hasLabel { names.append("label") }
        return names.filter { _ in chance(2) }.shuffled(using: &random)
    }

    mutating func traversal() -> NodeTraversalQuery? {
        try? NodeTraversalQuery(
            model: model, direction: chance(2) ? .descendants : .ancestors, root: node(),
            maxDepth: element([0, 0, 1, 2, 3]), filter: filter(), includeRoot: chance(2),
            limit: element([0, 0, 1, 5]), attributes: attributeNames(allowLabel: true), includeParents: chance(2))
    }

    mutating func stats() -> EventStatsQuery? {
        guard !model.sources.isEmpty else { return nil }
        let scope = eventScope()
        let source = scope.source.isEmpty ? model.sources[0] : model.sources.first { $0.name == scope.source }!
        let keys = ["day", "week", "month", "node"] + model.attributes.map(\.name) + source.dimensions.map(\.name)
        let groupBy = keys.filter { _ in chance(4) }.shuffled(using: &random)
        let measures = source.measures.map(\.name).filter { _ in chance(2) }.shuffled(using: &random)
        return try? EventStatsQuery(
            model: model, root: node(), excludeRoot: chance(3), maxDepth: element([0, 0, 1, 2]), filter: filter(),
            source: scope.source, eventMatches: scope.matches, fromDate: scope.from, toDate: scope.to,
            groupBy: Array(groupBy.prefix(3)), measures: measures, limit: element([0, 0, 0, 2]))
    }

    mutating func ranking() -> RankingQuery? {
        let scope = eventScope()
        var metrics: [RankingMetric] = [.directChildren, .downlineSize, .downlineMatching]
        if !model.sources.isEmpty { metrics += [.selfMeasure, .treeMeasure, .treeMeasure] }
        let metric = element(metrics)
        var measure = ""
        if !model.sources.isEmpty {
            let source = scope.source.isEmpty ? model.sources[0] : model.sources.first { $0.name == scope.source }!
            if chance(2) { measure = element(source.measures).name }
        }
        var downline = filter()
        if metric == .downlineMatching, downline.isEmpty, !model.attributes.isEmpty {
            downline = [
                ValueMatch(name: model.attributes[0].name, values: values(ofAttribute: model.attributes[0].name))
            ]
        }
        return try? RankingQuery(
            model: model, metric: metric, measure: measure, ascending: chance(2), filter: filter(),
            within: chance(2) ? "" : node(), source: scope.source, eventMatches: scope.matches,
            fromDate: scope.from, toDate: scope.to, downlineFilter: downline,
            breakdownBy: chance(2) || model.attributes.isEmpty ? "" : element(model.attributes).name,
            attributes: attributeNames(allowLabel: false), limit: element([0, 1, 3, 1000]),
            offset: element([0, 0, 2, 100]))
    }

    mutating func find() -> FindNodesQuery? {
        let prefix = model.hasLabel && chance(2) ? element(["r", "RA", "ann", "ñ", "Ñu", "z", "Rajesh!"]) : ""
        let filter = filter()
        // At least one condition, or the request is refused before either path sees it.
        let ids = chance(3) || (prefix.isEmpty && filter.isEmpty) ? (0..<(1 + random.below(4))).map { _ in node() } : []
        return try? FindNodesQuery(
            model: model, labelPrefix: prefix, ids: ids, filter: filter, attributes: attributeNames(allowLabel: false),
            limit: element([0, 1, 3]))
    }
}
