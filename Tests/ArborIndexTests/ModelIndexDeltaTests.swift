import ArborModel
import Testing

@testable import ArborIndex

/// `ModelIndex.applying(_:)` against a fresh build of the changed rows: random models and rows of every id type,
/// random changes of every kind (event deltas on old and new keys down to zero, node rows updated, inserted in the
/// middle of the order or above it, ids that had edges and events while they were no node, removed nodes, edges
/// added, duplicated, removed and self-edges, closed sets), applied in several rounds, and every call's answers
/// compared; also with per-day downline totals precomputed for every component.
@Suite struct ModelIndexDeltaTests {
    static let idTypes: [NodeIDType] = [.uuid, .integer(.int64), .integer(.int16), .text]

    @Test(arguments: idTypes, 0..<40)
    func appliedChangesAnswerLikeAFreshBuild(idType: NodeIDType, seed: Int) throws {
        try check(idType: idType, seed: UInt64(seed), mix: .everything)
    }

    @Test(arguments: idTypes, 0..<25)
    func eventDeltasAnswerLikeAFreshBuild(idType: NodeIDType, seed: Int) throws {
        try check(idType: idType, seed: UInt64(seed) &+ 500, mix: .eventsOnly)
    }

    @Test(arguments: idTypes, 0..<25)
    func appendedLeavesAnswerLikeAFreshBuild(idType: NodeIDType, seed: Int) throws {
        try check(idType: idType, seed: UInt64(seed) &+ 900, mix: .appendedLeaves)
    }

    /// Leaves whose labels no node held are appended in place (their values after the sorted ones), and FindNodes
    /// still answers in label order, page by page from any position, like a build.
    @Test(arguments: idTypes, 0..<25)
    func leavesWithNewLabelsAnswerLikeAFreshBuild(idType: NodeIDType, seed: Int) throws {
        try check(idType: idType, seed: UInt64(seed) &+ 1700, mix: .appendedLeavesWithNewLabels)
    }

    /// Two deltas applied to the same index (the second one cannot append in place) answer like their builds, and
    /// the index they were applied to still answers as before.
    @Test(arguments: idTypes, 0..<10)
    func deltasFromOneIndexDoNotDisturbEachOther(idType: NodeIDType, seed: Int) throws {
        let data = ModelIndexRandomData(idType: idType, seed: UInt64(seed) &+ 3000)
        let base = try ModelIndex(model: data.model, rows: data.rows)
        var random = ModelIndexRandomData.Random(seed: UInt64(seed) &+ 77)
        var results: [(ModelIndex, ModelIndexDelta, ModelRows, [NodeID])] = []
        for mix in [ChangeMix.appendedLeaves, .eventsOnly, .appendedLeaves] {
            var state = RowsState(data: data)
            let (delta, newIDs) = state.change(mix: mix, random: &random)
            results.append((try base.applying(delta), delta, state.rows, newIDs))
        }
        for (index, _, rows, newIDs) in results {
            try compare(index, with: try ModelIndex(model: data.model, rows: rows), data: data, newIDs: newIDs, seed: 1)
        }
        try compare(base, with: try ModelIndex(model: data.model, rows: data.rows), data: data, newIDs: [], seed: 2)
    }

    /// One new log line under an old node, its label new: appended in place, the value after the sorted ones, found
    /// by its prefix and in label order; a full build puts it among the sorted values.
    @Test(arguments: [NodeIDType.uuid, .integer(.int64)], 0..<10)
    func aLeafWithANewLabelIsAppendedInPlace(idType: NodeIDType, seed: Int) throws {
        let data = ModelIndexRandomData(idType: idType, seed: UInt64(seed) &+ 2600)
        guard let last = data.ids.max(), let parent = data.ids.first else { return }
        var random = ModelIndexRandomData.Random(seed: UInt64(seed))
        let id = RowsState.idsAbove(last, type: idType, count: 1, random: &random)[0]
        let row = ModelRows.Node(id: id, label: "alpha new line \(seed)", attributes: data.rows.nodes[0].attributes)
        var delta = ModelIndexDelta()
        delta.nodes = [row]
        delta.edges = [ModelIndexDelta.Edge(parent: parent, child: id, present: true)]
        let index = try ModelIndex(model: data.model, rows: data.rows)
        let appended = try index.applying(delta)
        #expect(appended.label?.dictionary.appended.values == [row.label!])
        #expect((0..<index.nodeCount).allSatisfy { index.hierarchy.rankOf[$0] == appended.hierarchy.rankOf[$0] })
        var rows = data.rows
        rows.nodes.append(row)
        rows.edges.append((parent, id))
        let built = try ModelIndex(model: data.model, rows: rows)
        #expect(built.label?.dictionary.appended.count == 0)
        for prefix in ["alpha", "ALPHA N", "b", ""] {
            let query = try FindNodesQuery(
                model: data.model, labelPrefix: prefix, ids: prefix.isEmpty ? [id.canonical, parent.canonical] : [],
                limit: 0)
            let found = try appended.find(query)
            #expect(found == (try built.find(query)), "\(prefix)")
            #expect(found.nodes.contains { $0.id == id } == (prefix != "b"), "\(prefix)")
        }
    }

    private func check(idType: NodeIDType, seed: UInt64, mix: ChangeMix) throws {
        let data = ModelIndexRandomData(idType: idType, seed: seed &* 31 &+ 7)
        var state = RowsState(data: data)
        var index = try ModelIndex(model: data.model, rows: data.rows)
        // Every precomputed structure: per-day totals of every component, running day totals of every source.
        var everyDay = try ModelIndex(
            model: data.model, rows: data.rows, subtreeMinimumDownline: 1, runningTotalsOfEverySource: true)
        everyDay.prepareRunningTotals()
        var random = ModelIndexRandomData.Random(seed: seed &+ 0x5EED)
        var newIDs: [NodeID] = []
        var carried = 0
        for round in 0..<3 {
            let (delta, added) = state.change(mix: mix, random: &random)
            newIDs += added
            let previous = index
            index = try index.applying(delta)
            if mix == .appendedLeaves, idType != .text, !added.isEmpty {
                // Appended in place: the old nodes keep their indexes and ranks.
                #expect(
                    (0..<previous.nodeCount).allSatisfy { previous.hierarchy.rankOf[$0] == index.hierarchy.rankOf[$0] },
                    "round \(round)")
            }
            everyDay = try everyDay.applying(delta)
            // Leaderboards below use the carried running totals; a source that could not carry them reads rows
            // this round and gets them built for the next.
            carried += everyDay.sources.indices.filter { everyDay.cumulativeDayTotals.settled($0) != nil }.count
            everyDay.prepareRunningTotals()
            let rows = state.rows
            try compare(
                index, with: try ModelIndex(model: data.model, rows: rows), data: data, newIDs: newIDs,
                seed: seed &+ UInt64(round))
            try compare(
                everyDay, with: try ModelIndex(model: data.model, rows: rows, subtreeMinimumDownline: 1), data: data,
                newIDs: newIDs, seed: seed &+ UInt64(round) &+ 100)
            try comparePages(index, with: try ModelIndex(model: data.model, rows: rows), data: data, newIDs: newIDs)
        }
        // The second source (counts only, never negative) carries its totals in every round; the first has a sum
        // with negative values (a wide column), built again each round.
        if data.model.sources.count > 1 {
            #expect(carried >= 3, "running day totals carried \(carried) times in 3 rounds")
        }
    }

    /// Every FindNodes page, walked from the start and from positions at, between and beyond the labels, equal.
    private func comparePages(
        _ index: ModelIndex, with expected: ModelIndex, data: ModelIndexRandomData, newIDs: [NodeID]
    ) throws {
        let ids = data.ids + newIDs
        var positions: [(label: String, id: NodeID)?] = [nil]
        for (number, label) in ["", "A", "Al", "alpha", "Alpha 2 ", "b", "Béta", "z", "~~"].enumerated()
        where !ids.isEmpty {
            positions.append((label, ids[number * 7 % ids.count]))
        }
        for prefix in ["", "a", "AL", "b", "Z"] {
            for limit: UInt32 in [1, 3] {
                for start in positions {
                    var after = start
                    for _ in 0..<(ids.count / Int(limit) + 2) {
                        let query = try FindNodesQuery(
                            model: data.model, labelPrefix: prefix, ids: [],
                            filter: prefix.isEmpty ? [ValueMatch(name: "level", values: ["2", "10", "3"])] : [],
                            limit: limit, after: after)
                        let page = Result { () throws(QueryError) in try index.find(query) }
                        #expect(page == Result { () throws(QueryError) in try expected.find(query) }, "\(query)")
                        guard case .success(let found) = page, found.hasMore, let last = found.nodes.last else {
                            break
                        }
                        after = (last.label, last.id)
                    }
                }
            }
        }
    }

    /// Every call's answers of `index` and `expected` on random queries, roots among old and new ids.
    private func compare(
        _ index: ModelIndex, with expected: ModelIndex, data: ModelIndexRandomData, newIDs: [NodeID], seed: UInt64
    ) throws {
        #expect(index.nodeCount == expected.nodeCount)
        #expect(index.facts() == expected.facts())
        for limit: UInt32 in [0, 1, 2] { #expect(index.cycles(limit: limit) == expected.cycles(limit: limit)) }
        for id in data.ids + data.ghosts + newIDs { #expect(index.contains(id) == expected.contains(id)) }
        let extended = ModelIndexRandomData(
            model: data.model, rows: data.rows, ids: data.ids + newIDs, ghosts: data.ghosts)
        var queries = RandomModelQueries(data: extended, seed: seed)
        for _ in 0..<12 {
            guard let query = queries.traversal() else { continue }
            #expect(
                Result { () throws(QueryError) in try index.traverse(query) }
                    == Result { () throws(QueryError) in try expected.traverse(query) }, "\(query)")
        }
        for _ in 0..<12 {
            guard let query = queries.stats() else { continue }
            let answer = Result { () throws(QueryError) in try expected.stats(query) }
            #expect(Result { () throws(QueryError) in try index.stats(query) } == answer, "\(query)")
            for strategy in [.keyed, .tuples] as [EventGrouping.Strategy] {
                #expect(
                    Result { () throws(QueryError) in try index.stats(query, strategy: strategy, parallelScope: 1) }
                        == answer, "\(strategy): \(query)")
            }
        }
        // By day over whole downlines: the precomputed per-day totals, where there are any.
        for root in data.ids + newIDs {
            for source in data.model.sources.map(\.name) {
                for (from, to) in [("", ""), ("2024-01-05", "2024-02-10")] {
                    let query = try EventStatsQuery(
                        model: data.model, root: root.canonical, excludeRoot: false, maxDepth: 0, filter: [],
                        source: source, eventMatches: [], fromDate: from, toDate: to, groupBy: ["day"], measures: [],
                        limit: 0)
                    #expect(
                        Result { () throws(QueryError) in try index.stats(query) }
                            == Result { () throws(QueryError) in try expected.stats(query) }, "\(query)")
                }
            }
        }
        for _ in 0..<12 {
            guard let query = queries.ranking() else { continue }
            #expect(
                Result { () throws(QueryError) in try index.rank(query) }
                    == Result { () throws(QueryError) in try expected.rank(query) }, "\(query)")
        }
        for _ in 0..<8 {
            guard let query = queries.find() else { continue }
            #expect(
                Result { () throws(QueryError) in try index.find(query) }
                    == Result { () throws(QueryError) in try expected.find(query) }, "\(query)")
        }
    }
}

/// Which changes a round makes.
enum ChangeMix {
    case everything
    case eventsOnly
    /// New ids above every old one, under old nodes or other new ones, with events; some node updates.
    case appendedLeaves
    /// The same, the new nodes' labels mostly ones no node held (each line of a log tree has its own).
    case appendedLeavesWithNewLabels
}

/// The rows of a model as a database would hold them, changed at random, and the delta a refresher would hand
/// the index for each change: final node rows, the presence of changed pairs (every pair of a node new to the
/// index), event deltas (a new node's whole rows instead).
struct RowsState {
    struct EventKey: Hashable {
        var node: NodeID
        var day: Day
        var dimensions: [String?]
    }

    let model: ResolvedModel
    var nodes: [NodeID: ModelRows.Node] = [:]
    var edges: [ModelIndex.PairKey: Int] = [:]
    /// Per source: rollup rows by key (rows of ids that are no node included, as the rollups keep them).
    var events: [[EventKey: [Int64]]]
    var closedValues: [String: Set<String>]
    let ghosts: [NodeID]

    init(data: ModelIndexRandomData) {
        model = data.model
        for node in data.rows.nodes where nodes[node.id] == nil { nodes[node.id] = node }
        for edge in data.rows.edges {
            edges[ModelIndex.PairKey(parent: edge.parent, child: edge.child), default: 0] += 1
        }
        events = model.sources.map { _ in [:] }
        for (index, rows) in data.rows.events.enumerated() {
            for row in 0..<rows.count {
                let key = EventKey(
                    node: rows.nodes[row], day: rows.days[row], dimensions: rows.dimensions.map { $0[row] })
                let values = rows.measures.map { $0[row] }
                events[index][key] = zip(events[index][key] ?? values.map { _ in 0 }, values).map { $0 + $1 }
            }
        }
        closedValues = data.rows.closedValues
        ghosts = data.ghosts
    }

    var rows: ModelRows {
        ModelRows(
            nodes: nodes.values.sorted { $0.id < $1.id },
            edges: edges.flatMap { pair, count in
                (0..<count).map { _ in (parent: pair.parent, child: pair.child) }
            },
            events: model.sources.indices.map { index in
                var rows = EventRollupRows(
                    dimensions: model.sources[index].dimensions.map { _ in [] },
                    measures: model.sources[index].measures.map { _ in [] })
                for (key, values) in events[index] where values[0] != 0 {
                    rows.nodes.append(key.node)
                    rows.days.append(key.day)
                    for dimension in key.dimensions.indices {
                        rows.dimensions[dimension].append(key.dimensions[dimension])
                    }
                    for measure in values.indices { rows.measures[measure].append(values[measure]) }
                }
                return rows
            },
            closedValues: closedValues)
    }

    /// Changes the rows at random; returns the delta that leads an index of the rows before to the rows after, and
    /// the ids that became nodes.
    mutating func change(mix: ChangeMix, random: inout ModelIndexRandomData.Random) -> (ModelIndexDelta, [NodeID]) {
        let before = Set(nodes.keys)
        let closedBefore = closedValues
        var changedNodes = Set<NodeID>()
        var changedPairs = Set<ModelIndex.PairKey>()
        var logged: [[(EventKey, [Int64])]] = model.sources.map { _ in [] }
        var inserted: [NodeID] = []

        // Values no node held before only in the mix of everything (appended leaves keep the dictionaries).
        let novel = mix == .everything
        func newRow(_ id: NodeID) -> ModelRows.Node {
            let existing = Array(nodes.values)
            if mix == .appendedLeavesWithNewLabels, !before.contains(id), !existing.isEmpty {
                // Between, above and below the old labels, repeated among new nodes, case variants, and old ones.
                let label: String? =
                    random.chance(15)
                    ? random.pick(existing).label
                    : random.pick(["A", "alpha", "Alpha 2", "al", "Al-1", "b", "be", "Zed", "~", "Béta2"])
                        + (random.chance(50) ? "" : " \(random.below(4))")
                return ModelRows.Node(id: id, label: label, attributes: random.pick(existing).attributes)
            }
            if !novel, !existing.isEmpty {
                // Values some node holds: what a growing log tree mostly brings.
                let model = random.pick(existing)
                return ModelRows.Node(id: id, label: model.label, attributes: model.attributes)
            }
            return ModelRows.Node(
                id: id,
                label: novel && random.chance(10)
                    ? "Fresh label \(random.below(3))" : random.pick(ModelIndexRandomData.labels),
                attributes: [
                    novel && random.chance(8) ? "purple" : random.pick(ModelIndexRandomData.teams),
                    novel && random.chance(8) ? "77" : random.pick(ModelIndexRandomData.levels),
                    random.pick(ModelIndexRandomData.flags),
                ])
        }
        func addEdge(_ parent: NodeID, _ child: NodeID, _ change: Int) {
            let key = ModelIndex.PairKey(parent: parent, child: child)
            let count = max(0, (edges[key] ?? 0) + change)
            edges[key] = count == 0 ? nil : count
            changedPairs.insert(key)
        }
        func addEvent(_ source: Int, _ key: EventKey, _ delta: [Int64]) {
            let old = events[source][key] ?? delta.map { _ in 0 }
            let new = zip(old, delta).map { $0 + $1 }
            events[source][key] = new[0] == 0 ? nil : new
            logged[source].append((key, delta))
        }
        func randomKey(_ source: Int, node: NodeID) -> EventKey {
            let day = ModelIndexRandomData.firstDay.advanced(by: Int32(random.below(source == 0 ? 80 : 400)) - 3)
            let dimensions: [String?] =
                source == 0
                ? [
                    random.chance(5) ? "kiosk" : random.pick(ModelIndexRandomData.channels),
                    random.pick(ModelIndexRandomData.flags),
                ] : []
            return EventKey(node: node, day: day, dimensions: dimensions)
        }
        func eventChanges(on candidates: [NodeID], count: Int) {
            for _ in 0..<count {
                let source = model.sources.count > 1 && random.chance(30) ? 1 : 0
                let existing = Array(events[source].keys)
                if !existing.isEmpty, random.chance(55) {
                    let key = random.pick(existing)
                    let values = events[source][key]!
                    let countDelta = random.chance(40) ? -values[0] : Int64(random.below(4)) - min(values[0], 1)
                    var delta = [countDelta]
                    for _ in 1..<values.count { delta.append(Int64(random.below(200)) - 100) }
                    addEvent(source, key, delta)
                } else if !candidates.isEmpty {
                    let key = randomKey(source, node: random.pick(candidates))
                    var delta = [Int64(1 + random.below(3))]
                    for _ in 1..<model.sources[source].measures.count { delta.append(Int64(random.below(300)) - 100) }
                    addEvent(source, key, delta)
                }
            }
        }

        let old = nodes.keys.sorted()
        switch mix {
        case .eventsOnly:
            eventChanges(on: old + ghosts, count: 1 + random.below(12))
            for id in old where random.chance(8) {
                nodes[id] = newRow(id)
                changedNodes.insert(id)
            }
        case .everything:
            eventChanges(on: old + ghosts, count: random.below(10))
            for id in old where random.chance(10) {
                nodes[id] = newRow(id)
                changedNodes.insert(id)
            }
            for id in old where random.chance(7) {
                nodes[id] = nil
                changedNodes.insert(id)
            }
            var fresh = ModelIndexRandomData.ids(model.idType, count: 3, random: &random).filter { nodes[$0] == nil }
            if random.chance(40), let ghost = ghosts.first(where: { nodes[$0] == nil }) { fresh.append(ghost) }
            for id in fresh where random.chance(60) {
                nodes[id] = newRow(id)
                changedNodes.insert(id)
                if !before.contains(id) { inserted.append(id) }
            }
            let pool = Array(nodes.keys) + ghosts
            if !pool.isEmpty {
                for _ in 0..<random.below(6) { addEdge(random.pick(pool), random.pick(pool), 1) }
                let pairs = Array(edges.keys)
                for _ in 0..<random.below(5) where !pairs.isEmpty {
                    let pair = random.pick(pairs)
                    addEdge(pair.parent, pair.child, random.chance(70) ? -1 : 1)
                }
                if random.chance(30) {
                    let node = random.pick(pool)
                    addEdge(node, node, 1)
                }
            }
            eventChanges(on: Array(nodes.keys), count: random.below(6))
        case .appendedLeaves, .appendedLeavesWithNewLabels:
            for id in old where random.chance(5) {
                nodes[id] = newRow(id)
                changedNodes.insert(id)
            }
            var above = Self.idsAbove(old.last, type: model.idType, count: 1 + random.below(4), random: &random)
            above.removeAll { nodes[$0] != nil || ghosts.contains($0) }
            var parents = old
            for id in above {
                nodes[id] = newRow(id)
                changedNodes.insert(id)
                inserted.append(id)
                if !parents.isEmpty, !random.chance(15) { addEdge(random.pick(parents), id, 1) }
                if !parents.isEmpty, random.chance(15) { addEdge(random.pick(parents), id, 1) }
                parents.append(id)
            }
            eventChanges(on: above.isEmpty ? old : above, count: 1 + random.below(5))
        }
        if random.chance(10) {
            closedValues["team"] = ["red", "purple", ""]
        }

        // The delta, as the refresher reads it.
        let after = Set(nodes.keys)
        let new = Set(inserted).union(after.subtracting(before))
        var delta = ModelIndexDelta()
        for id in changedNodes.sorted() {
            if let row = nodes[id] { delta.nodes.append(row) } else { delta.removedNodes.append(id) }
        }
        for pair in changedPairs where !new.contains(pair.parent) && !new.contains(pair.child) {
            delta.edges.append(
                ModelIndexDelta.Edge(parent: pair.parent, child: pair.child, present: edges[pair] != nil))
        }
        for pair in edges.keys where new.contains(pair.parent) || new.contains(pair.child) {
            delta.edges.append(ModelIndexDelta.Edge(parent: pair.parent, child: pair.child, present: true))
        }
        delta.events = model.sources.indices.map { index in
            var rows = EventRollupRows(
                dimensions: model.sources[index].dimensions.map { _ in [] },
                measures: model.sources[index].measures.map { _ in [] })
            func append(_ key: EventKey, _ values: [Int64]) {
                rows.nodes.append(key.node)
                rows.days.append(key.day)
                for dimension in key.dimensions.indices { rows.dimensions[dimension].append(key.dimensions[dimension]) }
                for measure in values.indices { rows.measures[measure].append(values[measure]) }
            }
            for (key, values) in logged[index] where !new.contains(key.node) { append(key, values) }
            for (key, values) in events[index] where new.contains(key.node) { append(key, values) }
            return rows
        }
        if closedValues != closedBefore || random.chance(10) { delta.closedValues = closedValues }
        return (delta, Array(new))
    }

    static func idsAbove(
        _ last: NodeID?, type: NodeIDType, count: Int, random: inout ModelIndexRandomData.Random
    ) -> [NodeID] {
        switch (last, type) {
        case (.integer(let value), .integer(let width)):
            let top = width == .int16 ? Int64(Int16.max) : Int64.max - 10
            return (0..<count).compactMap { step in
                let id = value + 1 + Int64(step) * Int64(1 + random.below(3))
                return id <= top ? .integer(id) : nil
            }
        case (.uuid(let value), .uuid):
            return (0..<count).map { step in .uuid(UserID(high: value.high, low: value.low &+ 1 &+ UInt64(step))) }
        case (.text(let value), .text):
            return (0..<count).map { step in .text(value + "~\(step)") }
        default:
            return ModelIndexRandomData.ids(type, count: count, random: &random)
        }
    }
}

extension ModelIndexRandomData {
    /// The same data with other ids to pick queries from.
    init(model: ResolvedModel, rows: ModelRows, ids: [NodeID], ghosts: [NodeID]) {
        self.model = model
        self.rows = rows
        self.ids = ids
        self.ghosts = ghosts
    }
}
