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
        let domain =
            within.map { RankDomain(intervals: hierarchy.reachIntervals(of: $0, includingComponent: true)) }
            ?? RankDomain(intervals: nodeCount == 0 ? [] : [0..<Int32(nodeCount)])
        let candidates = RankedNodes(domain: domain, within: within, filter: filter, hierarchy: hierarchy)
        var totalRanked = 0
        candidates.forEach { _ in totalRanked += 1 }
        try QueryError.checkCancellation()

        let pageWanted = Int(query.offset) < totalRanked
        let sumMetric = query.metric == .selfMeasure || query.metric == .treeMeasure
        guard let events = query.events, pageWanted || sumMetric, totalRanked > 0 else {
            guard pageWanted else { return RankingResult(rows: [], totalRanked: UInt32(totalRanked)) }
            return try rank(
                query, candidates: candidates, totalRanked: totalRanked, totals: DownlineTotals<Int64>?.none)
        }
        let table = sources[events.source]
        let window = table.dayWindow(from: events.from, to: events.to)
        if events.matches.isEmpty,
            let running = cumulativeDayTotals.ready(events.source)
        {
            if let totals = DownlineTotals<Int64>(
                domain: domain, hierarchy: hierarchy, running: running, window: window)
            {
                return try rank(query, candidates: candidates, totalRanked: totalRanked, totals: totals)
            }
            let totals = DownlineTotals<Int128>(domain: domain, hierarchy: hierarchy, running: running, window: window)!
            return try rank(query, candidates: candidates, totalRanked: totalRanked, totals: totals)
        }
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
            return try rank(query, candidates: candidates, totalRanked: totalRanked, totals: totals)
        }
        try QueryError.checkCancellation()
        let totals = DownlineTotals<Int128>(
            domain: domain, hierarchy: hierarchy, table: table, window: window, combinationPasses: passes)!
        return try rank(query, candidates: candidates, totalRanked: totalRanked, totals: totals)
    }

    private func rank<Sum>(
        _ query: RankingQuery, candidates: RankedNodes, totalRanked: Int, totals: DownlineTotals<Sum>?
    ) throws(QueryError) -> RankingResult {
        try QueryError.checkCancellation()
        let domain = candidates.domain
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

        // One pass: every ranked node's ordering value (each must fit in 64 bits), the page's best kept in a heap.
        let offset = Int(query.offset)
        let pageWanted = offset < totalRanked
        var heap = RankingHeap(
            capacity: pageWanted ? min(totalRanked, offset + Int(query.limit)) : 0,
            ascending: query.ascending)
        var overflow = false
        let measure = query.measure
        candidates.forEach { node in
            let metric: Int64
            switch query.metric {
            case .selfMeasure, .treeMeasure:
                let totals = totals!
                let value =
                    query.metric == .selfMeasure
                    ? totals.own(node, measure: measure) : totals.tree(node, measure: measure)
                guard let fitting = Int64(exactly: value) else {
                    overflow = true
                    return
                }
                metric = fitting
            case .directChildren: metric = Int64(hierarchy.down.count(of: node))
            case .downlineSize: metric = Int64(hierarchy.downlineSize(of: node))
            case .downlineMatching: metric = Int64(matching(node))
            }
            heap.offer(metric: metric, node: Int32(node))
        }
        if overflow { throw .sumOutOfRange(measures[measure].name) }
        guard pageWanted else { return RankingResult(rows: [], totalRanked: UInt32(totalRanked)) }
        try QueryError.checkCancellation()

        let page = heap.ranked().dropFirst(offset)
        var breakdown = query.breakdownBy.map { BreakdownCounter(column: attributes[$0]) }
        var rows: [RankingRow] = []
        rows.reserveCapacity(page.count)
        for (position, node32) in page.enumerated() {
            let node = Int(node32)
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
        return RankingResult(rows: rows, totalRanked: UInt32(totalRanked))
    }
}

/// Who a leaderboard ranks: the nodes that pass the filter among everyone, or among `within`'s descendants
/// (never `within` itself), walked without being listed.
struct RankedNodes {
    /// Everyone, or `within` and its downline: the ranks whose own totals the metrics need.
    let domain: RankDomain
    let within: Int?
    let filter: NodeFilter
    let hierarchy: NodeHierarchy

    func forEach(_ body: (Int) -> Void) {
        if let within {
            domain.forEach { _, rank in
                let node = Int(hierarchy.nodeAt[Int(rank)])
                if node != within, filter.isEmpty || filter.passes(node) { body(node) }
            }
        } else {
            for node in 0..<hierarchy.nodeCount where filter.isEmpty || filter.passes(node) { body(node) }
        }
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
