public import ArborModel

extension ModelIndex {
    /// Ranks nodes by their own and their downline's numbers (see ``RankingQuery``).
    ///
    /// One pass sums every needed node's own events in the window (``DownlineTotals``); a node's tree totals are
    /// then a few prefix differences over its rank intervals, and so are its downline size and downline matches.
    /// Every metric is linear in the nodes; only the page is ordered fully (a bounded heap).
    ///
    /// - Throws: INVALID_ARGUMENT for an unknown value of a closed attribute (`filter`, then `downline_filter`),
    ///   then ``QueryError/unknownNode(_:field:)`` for `within`; ``QueryError/sumOutOfRange(_:)`` when a ranked
    ///   node's ordering value or a value of a returned row passes 64 bits; ``QueryError/cancelled``.
    public func rank(_ query: RankingQuery) throws(QueryError) -> RankingResult {
        try checkClosedValues(query.closedValueChecks)
        let within = try query.within.map { id throws(QueryError) in try index(of: id, field: "within") }
        let filter = NodeFilter(query.filter, attributes: attributes)

        let domain: RankDomain
        var ranked: [Int32] = []
        if let within {
            domain = RankDomain(intervals: hierarchy.reachIntervals(of: within, includingComponent: true))
            domain.forEach { _, rank in
                let node = Int(hierarchy.nodeAt[Int(rank)])
                if node != within, filter.isEmpty || filter.passes(node) { ranked.append(Int32(node)) }
            }
            ranked.sort()
        } else {
            domain = RankDomain(intervals: nodeCount == 0 ? [] : [0..<Int32(nodeCount)])
            ranked.reserveCapacity(nodeCount)
            for node in 0..<nodeCount where filter.isEmpty || filter.passes(node) { ranked.append(Int32(node)) }
        }
        try QueryError.checkCancellation()

        let offset = Int(query.offset)
        let pageWanted = offset < ranked.count
        let sumMetric = query.metric == .selfMeasure || query.metric == .treeMeasure
        guard let events = query.events, pageWanted || sumMetric, !ranked.isEmpty else {
            guard pageWanted else { return RankingResult(rows: [], totalRanked: UInt32(ranked.count)) }
            return try rank(query, ranked: ranked, domain: domain, totals: DownlineTotals<Int64>?.none)
        }
        let table = sources[events.source]
        let window = table.dayWindow(from: events.from, to: events.to)
        var passes: [Bool]? = nil
        if !events.matches.isEmpty {
            let matchers = events.matches.map { ValueMatcher($0, dictionary: table.dimensions[$0.index]) }
            passes = (0..<table.combinationCount).map { combination in
                events.matches.indices.allSatisfy {
                    matchers[$0].holds(table.combinationCodes[events.matches[$0].index][combination])
                }
            }
        }
        if let totals = DownlineTotals<Int64>(
            domain: domain, hierarchy: hierarchy, table: table, window: window, combinationPasses: passes)
        {
            return try rank(query, ranked: ranked, domain: domain, totals: totals)
        }
        let totals = DownlineTotals<Int128>(
            domain: domain, hierarchy: hierarchy, table: table, window: window, combinationPasses: passes)!
        return try rank(query, ranked: ranked, domain: domain, totals: totals)
    }

    private func rank<Sum>(
        _ query: RankingQuery, ranked: [Int32], domain: RankDomain, totals: DownlineTotals<Sum>?
    ) throws(QueryError) -> RankingResult {
        try QueryError.checkCancellation()
        let measures = query.events.map { model.sources[$0.source].measures } ?? []
        let downline = query.downlineFilter.map { NodeFilter($0, attributes: attributes) }
        let matchingPrefix = downline.map { downline in
            var prefix = [UInt32](repeating: 0, count: domain.count + 1)
            domain.forEach { local, rank in
                prefix[local + 1] = prefix[local] + (downline.passes(Int(hierarchy.nodeAt[Int(rank)])) ? 1 : 0)
            }
            return prefix
        }
        func matching(_ node: Int) -> UInt32 {
            guard let matchingPrefix, let downline else { return 0 }
            let component = hierarchy.componentRanks(of: node)
            let members = domain.local(component)
            var count = matchingPrefix[members.upperBound] - matchingPrefix[members.lowerBound]
            if downline.passes(node) { count -= 1 }
            hierarchy.forEachReachInterval(of: component) { interval in
                let range = domain.local(interval)
                count += matchingPrefix[range.upperBound] - matchingPrefix[range.lowerBound]
            }
            return count
        }

        var metric: [Int128] = []
        metric.reserveCapacity(ranked.count)
        switch query.metric {
        case .selfMeasure, .treeMeasure:
            let totals = totals!
            let measure = query.measure
            for node in ranked {
                let value =
                    query.metric == .selfMeasure
                    ? totals.own(Int(node), measure: measure) : totals.tree(Int(node), measure: measure)
                guard Int64(exactly: value) != nil else { throw .sumOutOfRange(measures[measure].name) }
                metric.append(Int128(value))
            }
        case .directChildren:
            for node in ranked { metric.append(Int128(hierarchy.down.count(of: Int(node)))) }
        case .downlineSize:
            for node in ranked { metric.append(Int128(hierarchy.downlineSize(of: Int(node)))) }
        case .downlineMatching:
            for node in ranked { metric.append(Int128(matching(Int(node)))) }
        }
        let offset = Int(query.offset)
        guard offset < ranked.count else { return RankingResult(rows: [], totalRanked: UInt32(ranked.count)) }
        try QueryError.checkCancellation()

        let page = Self.page(
            count: ranked.count, metric: metric, node: ranked, ascending: query.ascending, offset: offset,
            limit: Int(query.limit))
        var breakdown = query.breakdownBy.map { BreakdownCounter(column: attributes[$0]) }
        var rows: [RankingRow] = []
        rows.reserveCapacity(page.count)
        for (position, node) in page.enumerated() {
            var selfValues: [Int64] = []
            var treeValues: [Int64] = []
            if let totals {
                for index in measures.indices {
                    guard let own = Int64(exactly: totals.own(node, measure: index)),
                        let tree = Int64(exactly: totals.tree(node, measure: index))
                    else { throw .sumOutOfRange(measures[index].name) }
                    selfValues.append(own)
                    treeValues.append(tree)
                }
            } else {
                selfValues = measures.map { _ in 0 }
                treeValues = selfValues
            }
            rows.append(
                RankingRow(
                    rank: UInt32(offset + position + 1), id: ids[node], label: labelText(of: node),
                    attributes: query.attributes.map { attributes[$0].text(of: node) }, selfValues: selfValues,
                    treeValues: treeValues, directChildren: UInt32(hierarchy.down.count(of: node)),
                    downlineSize: UInt32(hierarchy.downlineSize(of: node)), downlineMatching: matching(node),
                    breakdown: breakdown?.count(downlineOf: node, hierarchy: hierarchy) ?? []))
        }
        return RankingResult(rows: rows, totalRanked: UInt32(ranked.count))
    }

    /// The nodes at positions `offset ..< offset + limit` of the ranking by (metric, then node ascending), found
    /// with a bounded heap when the page is a small part of the ranking.
    static func page(
        count: Int, metric: [Int128], node: [Int32], ascending: Bool, offset: Int, limit: Int
    ) -> [Int] {
        // `before(a, b)`: entry a ranks above entry b.
        func before(_ a: Int, _ b: Int) -> Bool {
            if metric[a] != metric[b] { return ascending ? metric[a] < metric[b] : metric[a] > metric[b] }
            return node[a] < node[b]
        }
        let wanted = min(count, offset + limit)
        var entries: [Int]
        if wanted * 8 < count {
            // Keep the `wanted` best in a heap whose root is the worst of them.
            var heap: [Int] = []
            heap.reserveCapacity(wanted)
            for entry in 0..<count {
                if heap.count < wanted {
                    heap.append(entry)
                    var child = heap.count - 1
                    while child > 0 {
                        let parent = (child - 1) / 2
                        guard before(heap[parent], heap[child]) else { break }
                        heap.swapAt(parent, child)
                        child = parent
                    }
                } else if before(entry, heap[0]) {
                    heap[0] = entry
                    var parent = 0
                    while true {
                        let left = 2 * parent + 1
                        guard left < heap.count else { break }
                        var worst = left
                        if left + 1 < heap.count, before(heap[worst], heap[left + 1]) { worst = left + 1 }
                        guard before(heap[parent], heap[worst]) else { break }
                        heap.swapAt(parent, worst)
                        parent = worst
                    }
                }
            }
            entries = heap
        } else {
            entries = Array(0..<count)
        }
        entries.sort(by: before)
        return entries[min(offset, entries.count)..<min(wanted, entries.count)].map { Int(node[$0]) }
    }
}

/// Counts a downline by an attribute's keys (NULL and `""` as one), for the leaderboard's breakdown.
struct BreakdownCounter {
    let column: EncodedColumn
    private var counts: [UInt32]
    private var sparse: [UInt32: UInt32] = [:]
    private var touched: [UInt32] = []
    private let dense: Bool

    init(column: EncodedColumn) {
        self.column = column
        dense = column.dictionary.keyCount <= 1 << 16
        counts = dense ? [UInt32](repeating: 0, count: column.dictionary.keyCount) : []
    }

    /// `node`'s distinct descendants by key, counts above 0, in key order.
    mutating func count(downlineOf node: Int, hierarchy: NodeHierarchy) -> [KeyCount] {
        let component = hierarchy.componentRanks(of: node)
        func add(_ member: Int) {
            let key = column.key(of: member)
            if dense {
                if counts[Int(key)] == 0 { touched.append(key) }
                counts[Int(key)] += 1
            } else {
                sparse[key, default: 0] += 1
            }
        }
        for rank in component where Int(hierarchy.nodeAt[Int(rank)]) != node { add(Int(hierarchy.nodeAt[Int(rank)])) }
        hierarchy.forEachReachInterval(of: component) { interval in
            for rank in interval { add(Int(hierarchy.nodeAt[Int(rank)])) }
        }
        var result: [KeyCount] = []
        if dense {
            touched.sort()
            for key in touched {
                result.append(KeyCount(key: column.dictionary.text(ofKey: key), count: counts[Int(key)]))
                counts[Int(key)] = 0
            }
            touched.removeAll(keepingCapacity: true)
        } else {
            for key in sparse.keys.sorted() {
                result.append(KeyCount(key: column.dictionary.text(ofKey: key), count: sparse[key]!))
            }
            sparse.removeAll(keepingCapacity: true)
        }
        return result
    }
}
