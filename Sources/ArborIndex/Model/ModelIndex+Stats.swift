public import ArborModel

extension ModelIndex {
    /// A subtree's events, filtered, grouped and summed (see ``EventStatsQuery``).
    ///
    /// The scope comes from the rank intervals (unbounded depth) or a depth-limited breadth-first search; each scope
    /// node that passes the filter adds its rows in the window (two binary searches) to ``EventGrouping``, on every
    /// core for large scopes. Grouping by day alone with no filter and no event matches over one of the largest
    /// downlines reads the precomputed per-day totals of ``SubtreeDays`` instead, and only the root's own cycle's
    /// rows.
    ///
    /// - Throws: INVALID_ARGUMENT for an unknown value of a closed attribute (checked first), then
    ///   ``QueryError/unknownNode(_:field:)`` for `root`; ``QueryError/sumOutOfRange(_:)`` when a row's or a
    ///   total's sum passes 64 bits; ``QueryError/cancelled`` between stages.
    ///
    /// - Parameter limit: the response size limit: the page's rows are counted as they are spelled out, and
    ///   RESOURCE_EXHAUSTED stops the work once they pass it.
    public func stats(_ query: EventStatsQuery, limit: ResponseLimit = .none) throws(QueryError) -> EventStatsResult {
        try stats(query, strategy: .automatic, parallelScope: Self.parallelScope, limit: limit)
    }

    /// `strategy` and `parallelScope` let tests drive every grouping path, and the parallel one, with small data.
    func stats(
        _ query: EventStatsQuery, strategy: EventGrouping.Strategy, parallelScope: Int = parallelScope,
        limit: ResponseLimit = .none
    ) throws(QueryError) -> EventStatsResult {
        try checkClosedValues(query.closedValueChecks)
        let root = try index(of: query.root, field: "root")
        let source = model.sources[query.events.source]
        let table = sources[query.events.source]
        let filter = NodeFilter(query.filter, attributes: attributes)
        let component = hierarchy.componentRanks(of: root)

        let precomputed =
            query.maxDepth == 0 && filter.isEmpty && query.events.matches.isEmpty && query.groupBy == [.day]
                && strategy != .tuples
            ? subtreeDays[query.events.source].entries(ofComponentStartingAt: component.lowerBound) : nil

        // The scope's nodes that pass the filter (with precomputed totals, only the root's cycle is read).
        var scope: [Int32] = []
        var nodesInScope = 0
        if let _ = precomputed {
            nodesInScope = hierarchy.downlineSize(of: root) + (query.excludeRoot ? 0 : 1)
            for rank in component {
                let node = hierarchy.nodeAt[Int(rank)]
                if !(query.excludeRoot && Int(node) == root) { scope.append(node) }
            }
        } else if query.maxDepth == 0 {
            for interval in hierarchy.reachIntervals(of: root, includingComponent: true) {
                for rank in interval {
                    let node = Int(hierarchy.nodeAt[Int(rank)])
                    if query.excludeRoot && node == root { continue }
                    if filter.isEmpty || filter.passes(node) { scope.append(Int32(node)) }
                }
            }
            nodesInScope = scope.count
        } else {
            try appendDescendants(of: root, maxDepth: query.maxDepth, to: &scope)
            if !query.excludeRoot { scope.append(Int32(root)) }
            if !filter.isEmpty { scope.removeAll { !filter.passes(Int($0)) } }
            nodesInScope = scope.count
        }
        try QueryError.checkCancellation()

        let measureNames = query.measures.map { source.measures[$0].name }
        guard let window = table.dayWindow(from: query.events.from, to: query.events.to) else {
            return EventStatsResult(
                rows: [], totals: query.measures.map { _ in 0 }, nodesInScope: UInt32(nodesInScope), hasMore: false)
        }
        var grouping = EventGrouping(
            groupBy: query.groupBy, measures: query.measures, matches: query.events.matches, table: table,
            window: window, attributes: attributes, model: model, ids: ids, source: source,
            rankOf: hierarchy.rankOf, strategy: strategy)
        let empty = grouping
        if let entries = precomputed {
            let days = subtreeDays[query.events.source]
            for entry in entries where window.contains(days.days[entry]) {
                grouping.addDay(offset: Int(days.days[entry] - window.lowerBound), count: days.nodes[entry]) {
                    days.sums[query.measures[$0]][entry]
                }
            }
        }
        if grouping.mergeable, scope.count >= parallelScope || rowCount(of: scope, in: table) >= Self.parallelRows {
            // Chunks of the scope on every core, each into its own groups, then added up.
            let nodes = scope
            let parts = ChunkedWork.map(count: nodes.count, minimumCount: 1) { range in
                var part = empty
                part.add(nodes: nodes[range])
                return [part]
            }
            try QueryError.checkCancellation()
            for part in parts { grouping.merge(part) }
        } else {
            for start in stride(from: 0, to: scope.count, by: 8192) {
                try QueryError.checkCancellation()
                grouping.add(nodes: scope[start..<min(scope.count, start + 8192)])
            }
        }
        try QueryError.checkCancellation()

        let groups = grouping.groups()
        var totals = [Int128](repeating: 0, count: query.measures.count)
        for group in groups {
            for (measure, sum) in group.sums.enumerated() { totals[measure] += sum }
        }
        for measure in query.measures.indices {
            let fits =
                Int64(exactly: totals[measure]) != nil
                && groups.allSatisfy { Int64(exactly: $0.sums[$0.sums.startIndex + measure]) != nil }
            guard fits else { throw .sumOutOfRange(measureNames[measure]) }
        }

        // Only the page's rows are spelled out: `after` is found by binary search, spelling the keys it compares.
        func keys(of group: EventGrouping.Group) -> [String] {
            group.codes.enumerated().map { grouping.text(ofCode: $1, part: $0) }
        }
        var start = 0
        if let after = query.after {
            var high = groups.count
            while start < high {
                let middle = (start + high) >> 1
                if model.ordersKeys(after, before: keys(of: groups[middle]), groupBy: query.groupBy) {
                    high = middle
                } else {
                    start = middle + 1
                }
            }
        }
        let end = query.limit == 0 ? groups.count : min(groups.count, start + Int(query.limit))
        var rows: [EventStatsRow] = []
        rows.reserveCapacity(end - start)
        var used = 0
        for group in groups[start..<end] {
            let row = EventStatsRow(keys: keys(of: group), values: group.sums.map { Int64($0) }, nodes: group.nodes)
            try limit.spend(row.keys.reduce(row.values.count + 2) { $0 + $1.utf8.count + 1 }, from: &used)
            rows.append(row)
        }
        return EventStatsResult(
            rows: rows, totals: totals.map { Int64($0) }, nodesInScope: UInt32(nodesInScope),
            hasMore: end < groups.count)
    }

    /// Scopes of this many nodes or more are read on several cores.
    static let parallelScope = 16384

    /// Scopes with this many rows or more (over all days) are read on several cores, however few their nodes: a
    /// filtered slice of a busy downline is hundreds of thousands of rows, and the hand-off costs tens of
    /// microseconds.
    static let parallelRows = 65536

    /// Rows of `nodes` over all days, counted up to ``parallelRows``.
    private func rowCount(of nodes: [Int32], in table: EventTable) -> Int {
        guard nodes.count >= 256 else { return 0 }
        var rows = 0
        let rankOf = hierarchy.rankOf
        withExtendedLifetime((table, rankOf)) {
            let starts = table.rowStarts.unsafeElements
            let ends = table.rowEnds.unsafeElements
            let ranks = rankOf.unsafeElements
            for node in nodes where rows < Self.parallelRows {
                let rank = Int(ranks[Int(node)])
                rows += Int(ends[rank] &- starts[rank])
            }
        }
        return rows
    }

    /// Appends the descendants of `root` within `maxDepth` edges, `root` excluded even on a cycle, in no particular
    /// order.
    func appendDescendants(of root: Int, maxDepth: UInt32, to scope: inout [Int32]) throws(QueryError) {
        var visited = VisitedNodes(nodeCount: nodeCount, expected: hierarchy.downlineSize(of: root) + 1)
        _ = visited.insert(Int32(root))
        var levelStart = scope.count
        var frontier: [Int32] = [Int32(root)]
        let edges = hierarchy.down
        for _ in 0..<maxDepth {
            try QueryError.checkCancellation()
            levelStart = scope.count
            for node in frontier {
                edges.forEachTarget(of: Int(node)) { child in
                    if visited.insert(child) { scope.append(child) }
                }
            }
            if scope.count == levelStart { break }
            frontier = Array(scope[levelStart...])
        }
    }
}
