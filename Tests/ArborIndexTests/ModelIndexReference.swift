import ArborModel

/// A deliberately naive implementation of the v2 contract over plain dictionaries: a BFS per query, the downline
/// of every ranked node walked, mutual reachability for cycles, every event row visited for every query. Slow and
/// obviously right; ``ArborIndex/ModelIndex`` must agree with it exactly.
struct ModelIndexReference {
    struct Event {
        var node: NodeID
        var day: Day
        var dimensions: [String?]
        var measures: [Int64]
    }

    let model: ResolvedModel
    let nodes: [NodeID: ModelRows.Node]
    let sortedIDs: [NodeID]
    let children: [NodeID: Set<NodeID>]
    let parents: [NodeID: Set<NodeID>]
    let edgePairs: Int
    /// Per source: rows of existing nodes.
    let events: [[Event]]
    let closedValues: [String: Set<String>]

    init(model: ResolvedModel, rows: ModelRows) {
        self.model = model
        var nodes: [NodeID: ModelRows.Node] = [:]
        for node in rows.nodes where nodes[node.id] == nil { nodes[node.id] = node }
        self.nodes = nodes
        sortedIDs = nodes.keys.sorted()
        var children: [NodeID: Set<NodeID>] = [:]
        var parents: [NodeID: Set<NodeID>] = [:]
        var pairs = Set<[NodeID]>()
        for edge in rows.edges where nodes[edge.parent] != nil && nodes[edge.child] != nil {
            children[edge.parent, default: []].insert(edge.child)
            parents[edge.child, default: []].insert(edge.parent)
            pairs.insert([edge.parent, edge.child])
        }
        self.children = children
        self.parents = parents
        edgePairs = pairs.count
        events = model.sources.indices.map { index in
            guard index < rows.events.count else { return [] }
            let source = rows.events[index]
            return source.nodes.indices.compactMap { row in
                guard nodes[source.nodes[row]] != nil else { return nil }
                return Event(
                    node: source.nodes[row], day: source.days[row], dimensions: source.dimensions.map { $0[row] },
                    measures: source.measures.map { $0[row] })
            }
        }
        closedValues = rows.closedValues
    }

    static func sameBytes(_ a: String, _ b: String) -> Bool { Array(a.utf8) == Array(b.utf8) }

    static func holds(_ match: ColumnMatch, _ value: String?) -> Bool {
        guard let value else { return false }
        return match.values.contains { sameBytes($0, value) } != match.negate
    }

    func passes(_ filter: [ColumnMatch], _ id: NodeID) -> Bool {
        filter.allSatisfy { Self.holds($0, nodes[id]!.attributes[$0.index]) }
    }

    func checkClosed(_ checks: [ClosedValueCheck]) throws(QueryError) {
        for check in checks {
            try model.checkClosedValues(check.matches, field: check.field) { closedValues[$0] }
        }
    }

    /// Shortest distances from `root` (the root itself at 0).
    func distances(from root: NodeID, reversed: Bool = false) -> [NodeID: UInt32] {
        var distance: [NodeID: UInt32] = [root: 0]
        var frontier = [root]
        var depth: UInt32 = 0
        while !frontier.isEmpty {
            depth += 1
            var next: [NodeID] = []
            for node in frontier {
                for target in (reversed ? parents[node] : children[node]) ?? [] where distance[target] == nil {
                    distance[target] = depth
                    next.append(target)
                }
            }
            frontier = next
        }
        return distance
    }

    func descendants(of node: NodeID) -> Set<NodeID> {
        var reached = Set<NodeID>()
        var stack = [node]
        while let next = stack.popLast() {
            for child in children[next] ?? [] where reached.insert(child).inserted { stack.append(child) }
        }
        reached.remove(node)
        return reached
    }

    func text(_ column: ResolvedModel.NodeColumn, _ id: NodeID) -> String {
        switch column {
        case .label: nodes[id]!.label ?? ""
        case .attribute(let attribute): nodes[id]!.attributes[model.attributeIndex(named: attribute.name)!] ?? ""
        }
    }

    func traverse(_ query: NodeTraversalQuery) throws(QueryError) -> NodeTraversalResult {
        try checkClosed(query.closedValueChecks)
        guard nodes[query.root] != nil else { throw .unknownNode(query.root, field: "root") }
        let reversed = query.direction == .ancestors
        let distance = distances(from: query.root, reversed: reversed)
        var entries: [TraversalEntry] = []
        if query.includeRoot, passes(query.filter, query.root) {
            entries.append(TraversalEntry(id: query.root, depth: 0, parent: query.root))
        }
        let found = distance.filter { $0.key != query.root && (query.maxDepth == 0 || $0.value <= query.maxDepth) }
            .sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        for (id, depth) in found where passes(query.filter, id) {
            let candidates = distance.filter { candidate in
                candidate.value == depth - 1
                    && ((reversed ? children[id] : parents[id]) ?? []).contains(candidate.key)
            }
            entries.append(TraversalEntry(id: id, depth: depth, parent: candidates.keys.min()!))
        }
        let total = UInt64(entries.count)
        if query.limit > 0 { entries = Array(entries.prefix(Int(query.limit))) }
        let columns = query.columns.map { column in entries.map { text(column, $0.id) } }
        return NodeTraversalResult(entries: entries, columns: columns, total: total)
    }

    /// The key text of one event for a group-by entry.
    func key(_ key: ResolvedModel.GroupKey, _ event: Event, source: ResolvedModel.Source) -> String {
        switch key {
        case .day: return event.day.isoString
        case .week:
            let day = Int(event.day.daysSinceEpoch)
            return Day(daysSinceEpoch: Int32(day - ((day + 3) % 7 + 7) % 7)).isoString
        case .month: return String(event.day.isoString.prefix(7))
        case .node: return event.node.canonical
        case .attribute(let attribute):
            return nodes[event.node]!.attributes[model.attributeIndex(named: attribute.name)!] ?? ""
        case .dimension(let dimension):
            return event.dimensions[source.dimensions.firstIndex(of: dimension)!] ?? ""
        }
    }

    func counted(_ event: Event, _ window: EventWindow) -> Bool {
        window.contains(event.day) && event.measures[0] > 0
            && window.matches.allSatisfy { Self.holds($0, event.dimensions[$0.index]) }
    }

    func stats(_ query: EventStatsQuery) throws(QueryError) -> EventStatsResult {
        try checkClosed(query.closedValueChecks)
        guard nodes[query.root] != nil else { throw .unknownNode(query.root, field: "root") }
        let source = model.sources[query.events.source]
        let distance = distances(from: query.root)
        var scope = Set(distance.filter { query.maxDepth == 0 || $0.value <= query.maxDepth }.keys)
        if query.excludeRoot { scope.remove(query.root) }
        scope = scope.filter { passes(query.filter, $0) }
        var groups: [[String]: (sums: [Int128], nodes: Set<NodeID>)] = [:]
        for event in events[query.events.source] where scope.contains(event.node) && counted(event, query.events) {
            let keys = query.groupBy.map { key($0, event, source: source) }
            var group = groups[keys] ?? (query.measures.map { _ in 0 }, [])
            for (position, measure) in query.measures.enumerated() {
                group.sums[position] += Int128(event.measures[measure])
            }
            group.nodes.insert(event.node)
            groups[keys] = group
        }
        let sorted = groups.sorted { model.ordersKeys($0.key, before: $1.key, groupBy: query.groupBy) }
        var totals = query.measures.map { _ in Int128(0) }
        for group in sorted { for index in totals.indices { totals[index] += group.value.sums[index] } }
        for index in query.measures.indices {
            let fits =
                Int64(exactly: totals[index]) != nil
                && sorted.allSatisfy { Int64(exactly: $0.value.sums[index]) != nil }
            if !fits { throw .sumOutOfRange(source.measures[query.measures[index]].name) }
        }
        var rows = sorted.map {
            EventStatsRow(keys: $0.key, values: $0.value.sums.map { Int64($0) }, nodes: UInt32($0.value.nodes.count))
        }
        if let after = query.after {
            rows = rows.filter { model.ordersKeys(after, before: $0.keys, groupBy: query.groupBy) }
        }
        let hasMore = query.limit > 0 && rows.count > Int(query.limit)
        if query.limit > 0 { rows = Array(rows.prefix(Int(query.limit))) }
        return EventStatsResult(
            rows: rows, totals: totals.map { Int64($0) }, nodesInScope: UInt32(scope.count), hasMore: hasMore)
    }

    func rank(_ query: RankingQuery) throws(QueryError) -> RankingResult {
        try checkClosed(query.closedValueChecks)
        if let within = query.within, nodes[within] == nil { throw .unknownNode(within, field: "within") }
        let candidates = query.within.map { descendants(of: $0) } ?? Set(sortedIDs)
        let ranked = candidates.filter { passes(query.filter, $0) }.sorted()
        let measures = query.events.map { model.sources[$0.source].measures } ?? []
        var own: [NodeID: [Int128]] = [:]
        if let window = query.events {
            for event in events[window.source] where counted(event, window) {
                var sums = own[event.node] ?? measures.map { _ in 0 }
                for index in measures.indices { sums[index] += Int128(event.measures[index]) }
                own[event.node] = sums
            }
        }
        func selfValues(_ id: NodeID) -> [Int128] { own[id] ?? measures.map { _ in 0 } }
        func treeValues(_ id: NodeID) -> [Int128] {
            var sums = measures.map { _ in Int128(0) }
            for descendant in descendants(of: id) {
                for (index, value) in selfValues(descendant).enumerated() { sums[index] += value }
            }
            return sums
        }
        func matching(_ id: NodeID) -> UInt32 {
            guard let filter = query.downlineFilter else { return 0 }
            return UInt32(descendants(of: id).filter { passes(filter, $0) }.count)
        }
        var metric: [NodeID: Int128] = [:]
        for id in ranked {
            switch query.metric {
            case .selfMeasure: metric[id] = selfValues(id)[query.measure]
            case .treeMeasure: metric[id] = treeValues(id)[query.measure]
            case .directChildren: metric[id] = Int128((children[id] ?? []).subtracting([id]).count)
            case .downlineSize: metric[id] = Int128(descendants(of: id).count)
            case .downlineMatching: metric[id] = Int128(matching(id))
            }
            if Int64(exactly: metric[id]!) == nil { throw .sumOutOfRange(measures[query.measure].name) }
        }
        let order = ranked.sorted { a, b in
            metric[a]! != metric[b]! ? (query.ascending ? metric[a]! < metric[b]! : metric[a]! > metric[b]!) : a < b
        }
        let page = order.dropFirst(Int(query.offset)).prefix(Int(query.limit))
        var rows: [RankingRow] = []
        for (position, id) in page.enumerated() {
            let own = selfValues(id)
            let tree = treeValues(id)
            for index in measures.indices where Int64(exactly: own[index]) == nil || Int64(exactly: tree[index]) == nil
            {
                throw .sumOutOfRange(measures[index].name)
            }
            var breakdown: [KeyCount] = []
            if let attribute = query.breakdownBy {
                var counts: [String: UInt32] = [:]
                for descendant in descendants(of: id) {
                    counts[nodes[descendant]!.attributes[attribute] ?? "", default: 0] += 1
                }
                let type = model.attributes[attribute].type
                breakdown = counts.map { KeyCount(key: $0.key, count: $0.value) }
                    .sorted { type.orders($0.key, before: $1.key) }
            }
            rows.append(
                RankingRow(
                    rank: query.offset + UInt32(position) + 1, id: id, label: nodes[id]!.label ?? "",
                    attributes: query.attributes.map { nodes[id]!.attributes[$0] ?? "" },
                    selfValues: own.map { Int64($0) }, treeValues: tree.map { Int64($0) },
                    directChildren: UInt32((children[id] ?? []).subtracting([id]).count),
                    downlineSize: UInt32(descendants(of: id).count), downlineMatching: matching(id),
                    breakdown: breakdown))
        }
        return RankingResult(rows: rows, totalRanked: UInt32(ranked.count))
    }

    func find(_ query: FindNodesQuery) throws(QueryError) -> FindNodesResult {
        try checkClosed(query.closedValueChecks)
        var found = sortedIDs.filter { id in
            (query.labelPrefix.map { FindNodesQuery.label(nodes[id]!.label, hasPrefix: $0) } ?? true)
                && (query.ids.map { $0.contains(id) } ?? true) && passes(query.filter, id)
        }
        func label(_ id: NodeID) -> [UInt8] { Array((nodes[id]!.label ?? "").utf8) }
        found.sort { label($0) != label($1) ? label($0).lexicographicallyPrecedes(label($1)) : $0 < $1 }
        if let after = query.after {
            let afterLabel = Array(after.label.utf8)
            found = found.filter {
                label($0) != afterLabel ? afterLabel.lexicographicallyPrecedes(label($0)) : after.id < $0
            }
        }
        let page = found.prefix(Int(query.limit)).map { id in
            FoundNode(
                id: id, label: nodes[id]!.label ?? "",
                attributes: query.attributes.map { nodes[id]!.attributes[$0] ?? "" })
        }
        return FindNodesResult(nodes: page, hasMore: found.count > Int(query.limit))
    }

    func cycles(limit: UInt32) -> CycleGroupsResult {
        var reach: [NodeID: Set<NodeID>] = [:]
        for id in sortedIDs { reach[id] = descendants(of: id) }
        var groups: [[NodeID]] = []
        var placed = Set<NodeID>()
        for id in sortedIDs where !placed.contains(id) {
            let group = sortedIDs.filter { $0 == id || (reach[id]!.contains($0) && reach[$0]!.contains(id)) }
            guard group.count > 1 || (children[id] ?? []).contains(id) else { continue }
            placed.formUnion(group)
            groups.append(group)
        }
        groups.sort { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
        return CycleGroupsResult(
            groups: limit == 0 ? groups : Array(groups.prefix(Int(limit))), total: UInt32(groups.count))
    }

    func facts() -> ModelFacts {
        ModelFacts(
            nodes: UInt64(nodes.count), edges: UInt64(edgePairs), cycleGroups: cycles(limit: 0).total,
            distinctValues: model.attributes.indices.map { index in
                UInt32(Set(nodes.values.compactMap { $0.attributes[index].map { Array($0.utf8) } }).count)
            },
            sources: model.sources.indices.map { index in
                let rows = index < events.count ? events[index].filter { $0.measures[0] > 0 } : []
                return ModelFacts.SourceFacts(
                    events: UInt64(rows.reduce(0) { $0 + $1.measures[0] }), firstDay: rows.map(\.day).min(),
                    lastDay: rows.map(\.day).max())
            })
    }
}
