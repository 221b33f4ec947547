import ArborModel
import Testing

@testable import ArborIndex

/// ModelIndex on small hand-built data with answers worked out by hand, for every id type: cycles, self-edges,
/// dangling and repeated edges, NULL against `""`, week and month keys, paging, sums past 64 bits, closed values,
/// unknown roots, build errors.
@Suite struct ModelIndexTests {
    static let idTypes: [NodeIDType] = [.integer(.int64), .integer(.int16), .uuid, .text]

    /// The hand-built data under one id type: node `n` gets an id of that type that orders as `n` does.
    struct Fixture {
        let idType: NodeIDType

        init(_ idType: NodeIDType) { self.idType = idType }

        func node(_ value: Int64) -> NodeID {
            switch idType {
            case .integer: .integer(value)
            case .uuid: .uuid(UserID(high: 0, low: UInt64(value)))
            case .text: .text(String(value))
            }
        }

        /// The canonical text of node `value`'s id, as requests carry it.
        func id(_ value: Int64) -> String { node(value).canonical }

        var model: ResolvedModel { ModelIndexRandomData.model(idType: idType) }

        func rows(events: EventRollupRows? = nil) -> ModelRows { ModelIndexTests.rows(events: events, node: node) }

        func events(_ rows: [(Int64, String, String?, String?, Int64, Int64, Int64)]? = nil) -> EventRollupRows {
            ModelIndexTests.events(rows, node: node)
        }

        func index(_ rows: ModelRows? = nil) throws -> ModelIndex {
            try ModelIndex(model: model, rows: rows ?? self.rows())
        }
    }

    /// 1 → 2, 1 → 3, 2 → 4, 3 → 4, 4 ⇄ 5 (a cycle), 5 → 5 and 6 → 6 (self-edges), 7 alone; an edge from and one to an
    /// id that is no node, and a repeated edge.
    static let edges: [[Int64]] = [
        [1, 2], [1, 3], [2, 4], [3, 4], [4, 5], [5, 4], [5, 5], [6, 6], [99, 1], [1, 98], [1, 2],
    ]

    static func node(_ value: Int64) -> NodeID { .integer(value) }

    static func rows(events: EventRollupRows? = nil, node: (Int64) -> NodeID = node) -> ModelRows {
        let teams: [String?] = ["red", "", nil, "Blue", "red", "Blue", nil]
        let levels: [String?] = ["10", "2", "-3", nil, "2", "10", "0"]
        let labels: [String?] = ["ALPHA", "Alpha", "al", nil, "", "beta", "Ál"]
        var nodes: [ModelRows.Node] = []
        for value in 1...7 {
            let active: String? = value % 2 == 0 ? "true" : "false"
            let attributes: [String?] = [teams[value - 1], levels[value - 1], active]
            nodes.append(ModelRows.Node(id: node(Int64(value)), label: labels[value - 1], attributes: attributes))
        }
        return ModelRows(
            nodes: nodes.reversed(), edges: edges.map { edge in (parent: node(edge[0]), child: node(edge[1])) },
            events: [
                events ?? Self.events(node: node), EventRollupRows(nodes: [], days: [], dimensions: [], measures: [[]]),
            ],
            closedValues: ["team": ["red", "Blue", "", "gold"]])
    }

    static func day(_ text: String) -> Day { Day(iso: text)! }

    /// Visits: (node, day, channel, paid, count, amount, cents).
    static func events(
        _ rows: [(Int64, String, String?, String?, Int64, Int64, Int64)]? = nil, node: (Int64) -> NodeID = node
    ) -> EventRollupRows {
        let rows =
            rows ?? [
                (1, "2024-01-28", "web", "true", 1, 10, 0),  // a Sunday
                (1, "2024-01-29", "web", "true", 2, 5, 0),  // the Monday after
                (2, "2024-01-31", "app", "false", 1, -4, 0),
                (2, "2024-01-31", "app", "false", 1, 6, 0),  // the same key again: they add up
                (4, "2024-02-01", nil, nil, 3, 1, 0),
                (5, "2024-02-01", "", "true", 1, 100, 0),
                (5, "2024-03-01", "web", "false", 1, 1, 0),
                (6, "2024-02-05", "web", "true", 4, 0, 0),
                (42, "2024-02-01", "web", "true", 9, 9, 0),  // no such node
            ]
        return EventRollupRows(
            nodes: rows.map { node($0.0) }, days: rows.map { day($0.1) }, dimensions: [rows.map(\.2), rows.map(\.3)],
            measures: [rows.map(\.4), rows.map(\.5), rows.map(\.6)])
    }

    static let model = ModelIndexRandomData.model(idType: .integer(.int64))

    static func index(_ rows: ModelRows = rows()) throws -> ModelIndex {
        try ModelIndex(model: model, rows: rows)
    }

    func result<T>(_ body: () throws(QueryError) -> T) -> Result<T, QueryError> { Result(catching: body) }

    @Test(arguments: idTypes)
    func descendantsPassThroughCyclesAndExcludeTheRoot(idType: NodeIDType) throws {
        let f = Fixture(idType)
        let index = try f.index()
        let query = try NodeTraversalQuery(
            model: f.model, direction: .descendants, root: f.id(1), attributes: ["label", "team"])
        let result = try index.traverse(query)
        #expect(result.entries.map(\.id) == [2, 3, 4, 5].map(f.node))
        #expect(result.entries.map(\.depth) == [1, 1, 2, 3])
        #expect(result.entries.map(\.parent) == [1, 1, 2, 4].map(f.node))
        #expect(result.columns == [["Alpha", "al", "", ""], ["", "", "Blue", "red"]])
        #expect(result.total == 4)

        let cycle = try index.traverse(
            NodeTraversalQuery(model: f.model, direction: .descendants, root: f.id(4), includeRoot: true))
        #expect(
            cycle.entries == [
                TraversalEntry(id: f.node(4), depth: 0, parent: f.node(4)),
                TraversalEntry(id: f.node(5), depth: 1, parent: f.node(4)),
            ])
        let selfEdge = try index.traverse(NodeTraversalQuery(model: f.model, direction: .descendants, root: f.id(6)))
        #expect(selfEdge.entries.isEmpty && selfEdge.total == 0)
    }

    @Test(arguments: idTypes)
    func ancestorsTakeTheSmallestChildAsParent(idType: NodeIDType) throws {
        let f = Fixture(idType)
        let index = try f.index()
        let result = try index.traverse(NodeTraversalQuery(model: f.model, direction: .ancestors, root: f.id(5)))
        #expect(result.entries.map(\.id) == [4, 2, 3, 1].map(f.node))
        #expect(result.entries.map(\.parent) == [5, 4, 4, 2].map(f.node))
        let shallow = try index.traverse(
            NodeTraversalQuery(model: f.model, direction: .ancestors, root: f.id(5), maxDepth: 2, limit: 2))
        #expect(shallow.entries.map(\.id) == [4, 2].map(f.node))
        #expect(shallow.total == 3)
    }

    @Test(arguments: idTypes)
    func filtersKeepTraversingAndTellNullFromEmpty(idType: NodeIDType) throws {
        let f = Fixture(idType)
        let index = try f.index()
        // Only "" matches ""; NULL matches neither "" nor its negation.
        let empty = try index.traverse(
            NodeTraversalQuery(
                model: f.model, direction: .descendants, root: f.id(1), filter: [ValueMatch(name: "team", values: [""])]
            )
        )
        #expect(empty.entries.map(\.id) == [f.node(2)])
        let notEmpty = try index.traverse(
            NodeTraversalQuery(
                model: f.model, direction: .descendants, root: f.id(1),
                filter: [ValueMatch(name: "team", values: [""], negate: true)], includeRoot: true, limit: 2))
        #expect(notEmpty.entries.map(\.id) == [1, 4].map(f.node))
        #expect(notEmpty.entries.map(\.parent) == [1, 2].map(f.node))  // 4's parent 2 is filtered out
        #expect(notEmpty.total == 3)
        // Integer values compare as the data holds them.
        let level = try index.traverse(
            NodeTraversalQuery(
                model: f.model, direction: .descendants, root: f.id(1),
                filter: [ValueMatch(name: "level", values: ["2"])]))
        #expect(level.entries.map(\.id) == [2, 5].map(f.node))
    }

    @Test(arguments: idTypes)
    func closedValuesAreCheckedBeforeTheRoot(idType: NodeIDType) throws {
        let f = Fixture(idType)
        let index = try f.index()
        let query = try NodeTraversalQuery(
            model: f.model, direction: .descendants, root: f.id(1000),
            filter: [ValueMatch(name: "team", values: ["purple"])])
        #expect(result { () throws(QueryError) in try index.traverse(query) }.failure?.code == .invalidArgument)
        let known = try NodeTraversalQuery(
            model: f.model, direction: .descendants, root: f.id(1000),
            filter: [ValueMatch(name: "team", values: ["gold"])])
        #expect(
            result { () throws(QueryError) in try index.traverse(known) }.failure
                == .unknownNode(f.node(1000), field: "root"))
        let stats = try EventStatsQuery(model: f.model, root: f.id(1000))
        #expect(
            result { () throws(QueryError) in try index.stats(stats) }.failure
                == .unknownNode(f.node(1000), field: "root"))
        let ranking = try RankingQuery(
            model: f.model, within: f.id(1000), downlineFilter: [ValueMatch(name: "team", values: ["x"])])
        #expect(
            result { () throws(QueryError) in try index.rank(ranking) }.failure?.field == "downline_filter[0].values")
        let within = try RankingQuery(model: f.model, within: f.id(1000))
        #expect(
            result { () throws(QueryError) in try index.rank(within) }.failure
                == .unknownNode(f.node(1000), field: "within"))
        let find = try FindNodesQuery(model: f.model, filter: [ValueMatch(name: "team", values: ["red", "x"])])
        #expect(result { () throws(QueryError) in try index.find(find) }.failure?.code == .invalidArgument)
    }

    @Test(arguments: idTypes)
    func statsByDayWeekAndMonth(idType: NodeIDType) throws {
        let f = Fixture(idType)
        let index = try f.index()
        let byDay = try index.stats(
            EventStatsQuery(model: f.model, root: f.id(1), groupBy: ["day"], measures: ["count", "amount"]))
        #expect(
            byDay.rows == [
                EventStatsRow(keys: ["2024-01-28"], values: [1, 10], nodes: 1),
                EventStatsRow(keys: ["2024-01-29"], values: [2, 5], nodes: 1),
                EventStatsRow(keys: ["2024-01-31"], values: [2, 2], nodes: 1),
                EventStatsRow(keys: ["2024-02-01"], values: [4, 101], nodes: 2),
                EventStatsRow(keys: ["2024-03-01"], values: [1, 1], nodes: 1),
            ])
        #expect(byDay.totals == [10, 119])
        #expect(byDay.nodesInScope == 5)

        // A week is keyed by its Monday, even one before from_date; only days in the window count.
        let byWeek = try index.stats(
            EventStatsQuery(model: f.model, root: f.id(1), fromDate: "2024-01-31", groupBy: ["week"]))
        #expect(
            byWeek.rows == [
                EventStatsRow(keys: ["2024-01-29"], values: [6], nodes: 3),
                EventStatsRow(keys: ["2024-02-26"], values: [1], nodes: 1),
            ])
        let byMonth = try index.stats(
            EventStatsQuery(model: f.model, root: f.id(1), excludeRoot: true, groupBy: ["month", "channel"]))
        #expect(
            byMonth.rows == [
                EventStatsRow(keys: ["2024-01", "app"], values: [2], nodes: 1),
                EventStatsRow(keys: ["2024-02", ""], values: [4], nodes: 2),  // NULL and "" share a key
                EventStatsRow(keys: ["2024-03", "web"], values: [1], nodes: 1),
            ])
        #expect(byMonth.nodesInScope == 4)
    }

    @Test(arguments: idTypes)
    func statsScopeFilterAndEventMatches(idType: NodeIDType) throws {
        let f = Fixture(idType)
        let index = try f.index()
        // Root 4 on a cycle: with exclude_root only 5 is in scope.
        let cycle = try index.stats(
            EventStatsQuery(model: f.model, root: f.id(4), excludeRoot: true, groupBy: ["node"]))
        #expect(cycle.rows == [EventStatsRow(keys: [f.id(5)], values: [2], nodes: 1)])
        #expect(cycle.nodesInScope == 1)
        let depth = try index.stats(
            EventStatsQuery(
                model: f.model, root: f.id(1), maxDepth: 1, filter: [ValueMatch(name: "level", values: ["2", "10"])],
                groupBy: ["level"]))
        #expect(
            depth.rows == [
                EventStatsRow(keys: ["2"], values: [2], nodes: 1), EventStatsRow(keys: ["10"], values: [3], nodes: 1),
            ])
        #expect(depth.nodesInScope == 2)
        let paid = try index.stats(
            EventStatsQuery(
                model: f.model, root: f.id(1), eventMatches: [ValueMatch(name: "paid", values: ["true"])],
                toDate: "2024-02-28", measures: ["amount", "count"]))
        #expect(paid.rows == [EventStatsRow(keys: [], values: [115, 4], nodes: 2)])
        let nothing = try index.stats(EventStatsQuery(model: f.model, root: f.id(7), groupBy: ["day"]))
        #expect(nothing == EventStatsResult(rows: [], totals: [0], nodesInScope: 1, hasMore: false))
    }

    @Test(arguments: idTypes)
    func statsPageByKeys(idType: NodeIDType) throws {
        let f = Fixture(idType)
        let index = try f.index()
        var query = try EventStatsQuery(model: f.model, root: f.id(1), groupBy: ["node", "day"], limit: 2)
        let first = try index.stats(query)
        #expect(first.rows.map(\.keys) == [[f.id(1), "2024-01-28"], [f.id(1), "2024-01-29"]])
        #expect(first.hasMore && first.totals == [10])
        query.after = [f.id(1), "2024-01-29"]
        let second = try index.stats(query)
        #expect(second.rows.map(\.keys) == [[f.id(2), "2024-01-31"], [f.id(4), "2024-02-01"]])
        // A key between rows (node 3 has none) continues after it.
        query.after = [f.id(3), "2024-01-01"]
        #expect(try index.stats(query).rows.map(\.keys) == [[f.id(4), "2024-02-01"], [f.id(5), "2024-02-01"]])
        query.after = [f.id(5), "2024-03-01"]
        let last = try index.stats(query)
        #expect(last.rows.isEmpty && !last.hasMore && last.totals == [10])
    }

    @Test(arguments: idTypes)
    func sumsPastSixtyFourBitsAreOutOfRange(idType: NodeIDType) throws {
        let f = Fixture(idType)
        let big = Int64.max / 2 + 1
        let events = f.events([
            (2, "2024-01-01", "web", "true", 1, big, 0),
            (3, "2024-01-01", "web", "true", 1, big, 0),
            (4, "2024-01-02", "web", "true", 1, -big, 0),
        ])
        let index = try f.index(f.rows(events: events))
        // Each node's row fits; their total does not.
        let byNode = try EventStatsQuery(
            model: f.model, root: f.id(1), excludeRoot: true, maxDepth: 1, groupBy: ["node"],
            measures: ["count", "amount"])
        #expect(result { () throws(QueryError) in try index.stats(byNode) }.failure == .sumOutOfRange("amount"))
        // Over 1's whole downline the day's row does not fit, while the exact total does.
        let byDay = try EventStatsQuery(model: f.model, root: f.id(1), groupBy: ["day"], measures: ["amount"])
        #expect(result { () throws(QueryError) in try index.stats(byDay) }.failure == .sumOutOfRange("amount"))
        let whole = try EventStatsQuery(model: f.model, root: f.id(1), measures: ["count", "amount"])
        #expect(try index.stats(whole).rows == [EventStatsRow(keys: [], values: [3, big], nodes: 3)])
        // Rows of one key that pass 64 bits stay apart in the index and add up exactly.
        let same = try f.index(
            f.rows(
                events: f.events([
                    (2, "2024-01-01", "web", "true", 1, Int64.max, 0),
                    (2, "2024-01-01", "web", "true", 1, Int64.max, 0),
                    (2, "2024-01-01", "web", "true", 1, Int64.min, 0),
                    (2, "2024-01-01", "web", "true", 1, Int64.min, 0),
                ])))
        #expect(try same.stats(EventStatsQuery(model: f.model, root: f.id(2), measures: ["amount"])).totals == [-2])

        // Leaderboard: 1's tree passes 64 bits; ordering by it is OUT_OF_RANGE, ordering by the count is not,
        // unless 1 is on the page.
        let tree = try RankingQuery(model: f.model, measure: "amount", fromDate: "2024-01-01", toDate: "2024-01-01")
        #expect(result { () throws(QueryError) in try index.rank(tree) }.failure == .sumOutOfRange("amount"))
        let count = try RankingQuery(model: f.model, metric: .downlineSize, limit: 1, offset: 1)
        #expect(try index.rank(count).rows.map(\.id) == [f.node(2)])
        let top = try RankingQuery(
            model: f.model, metric: .downlineSize, fromDate: "2024-01-01", toDate: "2024-01-01", limit: 1)
        #expect(result { () throws(QueryError) in try index.rank(top) }.failure == .sumOutOfRange("amount"))
    }

    @Test(arguments: idTypes)
    func leaderboardMetricsOverTheWholeDownline(idType: NodeIDType) throws {
        let f = Fixture(idType)
        let index = try f.index()
        let query = try RankingQuery(
            model: f.model, metric: .treeMeasure, measure: "amount",
            downlineFilter: [ValueMatch(name: "team", values: ["red", "Blue"])], breakdownBy: "team",
            attributes: ["level", "team"], limit: 3)
        let result = try index.rank(query)
        #expect(result.totalRanked == 7)
        #expect(result.rows.map(\.id) == [1, 2, 3].map(f.node))
        let one = result.rows[0]
        #expect(one.rank == 1 && one.label == "ALPHA" && one.attributes == ["10", "red"])
        #expect(one.selfValues == [3, 15, 0] && one.treeValues == [7, 104, 0])
        #expect(one.directChildren == 2 && one.downlineSize == 4 && one.downlineMatching == 2)
        #expect(
            one.breakdown == [
                KeyCount(key: "", count: 2), KeyCount(key: "Blue", count: 1), KeyCount(key: "red", count: 1),
            ])
        // 2 and 3 tie on 102: id breaks the tie.
        #expect(result.rows[1].treeValues == [5, 102, 0] && result.rows[2].treeValues == [5, 102, 0])
        #expect(result.rows[2].downlineSize == 2 && result.rows[2].directChildren == 1)
        // 4's tree is 5's events, never its own, though 4 is on a cycle; 5's is 4's.
        let cycle = try index.rank(RankingQuery(model: f.model, measure: "amount", within: f.id(4)))
        #expect(cycle.rows.map(\.id) == [f.node(5)] && cycle.rows[0].treeValues == [3, 1, 0])
        let four = try index.rank(RankingQuery(model: f.model, measure: "amount", within: f.id(2)))
        #expect(four.rows.map(\.id) == [4, 5].map(f.node) && four.rows[0].treeValues == [2, 101, 0])

        let within = try index.rank(
            RankingQuery(model: f.model, metric: .downlineSize, ascending: true, within: f.id(2), attributes: []))
        #expect(within.rows.map(\.id) == [4, 5].map(f.node))
        #expect(within.rows.map(\.rank) == [1, 2] && within.totalRanked == 2)
        let past = try index.rank(RankingQuery(model: f.model, metric: .directChildren, within: f.id(2), offset: 5))
        #expect(past.rows.isEmpty && past.totalRanked == 2)
        let selfCount = try index.rank(RankingQuery(model: f.model, metric: .selfMeasure, limit: 2, offset: 1))
        #expect(selfCount.rows.map(\.id) == [f.node(1), f.node(4)] && selfCount.rows.map(\.rank) == [2, 3])
    }

    @Test(arguments: idTypes)
    func findNodesByPrefixIdsAndFilter(idType: NodeIDType) throws {
        let f = Fixture(idType)
        let index = try f.index()
        let prefix = try index.find(FindNodesQuery(model: f.model, labelPrefix: "al", attributes: ["team"]))
        #expect(prefix.nodes.map(\.label) == ["ALPHA", "Alpha", "al"])  // not "Ál": only ASCII letters fold
        #expect(prefix.nodes.map(\.attributes) == [["red"], [""], [""]])
        let ids = try index.find(FindNodesQuery(model: f.model, ids: [f.id(4), f.id(5), f.id(6), f.id(1000), f.id(4)]))
        #expect(ids.nodes.map(\.id) == [4, 5, 6].map(f.node))  // "" (NULL and empty) first, then "beta"
        var filtered = try FindNodesQuery(
            model: f.model, filter: [ValueMatch(name: "active", values: ["false"])], limit: 2)
        let first = try index.find(filtered)
        #expect(first.nodes.map(\.id) == [5, 1].map(f.node) && first.hasMore)  // "", then "ALPHA"
        filtered.after = (first.nodes[1].label, first.nodes[1].id)
        let second = try index.find(filtered)
        #expect(second.nodes.map(\.id) == [3, 7].map(f.node) && !second.hasMore)  // "al", then "Ál"
    }

    @Test(arguments: idTypes)
    func cyclesAndFacts(idType: NodeIDType) throws {
        let f = Fixture(idType)
        let index = try f.index()
        #expect(
            index.cycles(limit: 0) == CycleGroupsResult(groups: [[4, 5].map(f.node), [f.node(6)]], total: 2))
        #expect(index.cycles(limit: 1).groups.count == 1)
        let facts = index.facts()
        #expect(facts.nodes == 7 && facts.edges == 8 && facts.cycleGroups == 2)
        #expect(facts.distinctValues == [3, 4, 2])
        #expect(
            facts.sources[0]
                == ModelFacts.SourceFacts(events: 14, firstDay: Self.day("2024-01-28"), lastDay: Self.day("2024-03-01"))
        )
        #expect(facts.sources[1] == ModelFacts.SourceFacts(events: 0, firstDay: nil, lastDay: nil))
        #expect(
            index.contains(f.node(7)) && !index.contains(f.node(98))
                && !index.contains(f.idType == .text ? .integer(7) : .text("7")))
        #expect(index.approximateByteCount > 0)
    }

    @Test func textAndUUIDIdsOrderByBytes() throws {
        let model = ModelIndexRandomData.model(idType: .text, secondSource: false)
        let names = ["é", "a", "B", "ab"]
        let rows = ModelRows(
            nodes: names.map { ModelRows.Node(id: .text($0), label: nil, attributes: [nil, nil, nil]) },
            edges: [(.text("é"), .text("a")), (.text("é"), .text("B")), (.text("é"), .text("ab"))])
        let index = try ModelIndex(model: model, rows: rows)
        let result = try index.traverse(NodeTraversalQuery(model: model, direction: .descendants, root: "é"))
        #expect(result.entries.map(\.id) == ["B", "a", "ab"].map { NodeID.text($0) })

        let uuidModel = ModelIndexRandomData.model(idType: .uuid, secondSource: false)
        let low = NodeID.uuid(UserID(high: 1, low: 0))
        let high = NodeID.uuid(UserID(high: UInt64.max, low: 0))
        let uuids = try ModelIndex(
            model: uuidModel,
            rows: ModelRows(
                nodes: [high, low].map { ModelRows.Node(id: $0, label: "x", attributes: [nil, nil, nil]) },
                edges: [(high, low), (low, high)]))
        #expect(uuids.cycles(limit: 0).groups == [[low, high]])
    }

    @Test func impossibleDataIsAnErrorNotACrash() throws {
        func error(_ rows: ModelRows, model: ResolvedModel = Self.model) -> ModelIndexError.Code? {
            do {
                _ = try ModelIndex(model: model, rows: rows)
                return nil
            } catch { return error.code }
        }
        let wide = Self.events([(1, "1900-01-01", nil, nil, 1, 0, 0), (1, "2200-01-01", nil, nil, 1, 0, 0)])
        #expect(error(Self.rows(events: wide)) == .tooLarge)
        let negative = Self.events([(1, "2024-01-01", nil, nil, 1, 0, 0), (1, "2024-01-01", nil, nil, -2, 0, 0)])
        #expect(error(Self.rows(events: negative)) == .impossibleValue)
        var mixed = Self.rows()
        mixed.nodes.append(ModelRows.Node(id: .text("8"), label: nil, attributes: [nil, nil, nil]))
        #expect(error(mixed) == .shapeMismatch)
        var short = Self.rows()
        short.nodes[0].attributes = ["red"]
        #expect(error(short) == .shapeMismatch)
        var columns = Self.rows()
        columns.events[0].measures.removeLast()
        #expect(error(columns) == .shapeMismatch)
        // No nodes at all is fine.
        let empty = try ModelIndex(model: Self.model, rows: ModelRows(nodes: [], edges: [(Self.node(1), Self.node(2))]))
        #expect(empty.nodeCount == 0 && empty.cycles(limit: 0).total == 0)
        #expect(try empty.find(FindNodesQuery(model: Self.model, labelPrefix: "a")).nodes.isEmpty)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
