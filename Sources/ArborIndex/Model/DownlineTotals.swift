import ArborModel

/// Each node's own counted events (per measure of the source) over a ``RankDomain``, and the prefix sums over its
/// dense numbering that turn a downline's rank intervals into totals.
///
/// `Sum` is `Int64` when no node's own total and no prefix can pass 64 bits (the absolute values of the whole
/// domain add up below 2^63), which is every real case; otherwise the totals are built again in `Int128`, so a
/// downline's total is exact and fits-or-not is decided on the exact value.
struct DownlineTotals<Sum: FixedWidthInteger & SignedInteger> {
    /// Per measure, by dense number.
    let own: [[Sum]]
    /// Per measure, `prefix[m][i]` is the sum of `own[m][0 ..< i]`.
    let prefix: [[Sum]]
    let domain: RankDomain
    let hierarchy: NodeHierarchy

    /// The own totals of `domain`, or `nil` when `Sum` is too narrow for them.
    init?(
        domain: RankDomain, hierarchy: NodeHierarchy, table: EventTable, window: ClosedRange<UInt16>?,
        combinationPasses: [Bool]?
    ) {
        let measureCount = table.measures.count
        var own = [[Sum]](repeating: [Sum](repeating: 0, count: domain.count), count: measureCount)
        var magnitude = [Int128](repeating: 0, count: measureCount)
        var fits = true
        if let window {
            var sums = [Int128](repeating: 0, count: measureCount)
            var slots: [Int32] = []
            table.days.withUnsafeBufferPointer { days in
                table.rowStarts.withUnsafeBufferPointer { starts in
                    table.rowEnds.withUnsafeBufferPointer { ends in
                        table.combinations.withReader { combinations in
                            var cancelled = false
                            domain.forEach { local, rank in
                                // A cancelled caller stops the pass; the query checks and throws right after.
                                if local & 0xFFFF == 0xFFFF, Task.isCancelled { cancelled = true }
                                if cancelled { return }
                                let rows = EventTable.rows(
                                    in: window, Int(starts[Int(rank)]), Int(ends[Int(rank)]), days)
                                guard !rows.isEmpty else { return }
                                if let combinationPasses {
                                    if slots.count < rows.count { slots = [Int32](repeating: 0, count: rows.count * 2) }
                                    for (offset, row) in rows.enumerated() {
                                        slots[offset] = combinationPasses[Int(combinations[row])] ? 0 : -1
                                    }
                                    slots.withUnsafeBufferPointer { slots in
                                        sums.withUnsafeMutableBufferPointer { sums in
                                            for index in 0..<measureCount {
                                                sums[index] = 0
                                                table.measures[index].add(
                                                    rows, slots: slots, into: sums.baseAddress! + index, stride: 0)
                                            }
                                        }
                                    }
                                } else {
                                    for index in 0..<measureCount { sums[index] = table.measures[index].sum(rows) }
                                }
                                for index in 0..<measureCount {
                                    guard let value = Sum(exactly: sums[index]) else {
                                        fits = false
                                        continue
                                    }
                                    own[index][local] = value
                                    magnitude[index] &+= Int128(sums[index].magnitude)
                                }
                            }
                        }
                    }
                }
            }
        }
        guard fits, magnitude.allSatisfy({ Sum(exactly: $0) != nil }) else { return nil }
        self.init(own: own, domain: domain, hierarchy: hierarchy)
    }

    /// The own totals of `domain` from running day totals (two loads a node and measure, no rows read), or `nil`
    /// when `Sum` is too narrow for them.
    init?(domain: RankDomain, hierarchy: NodeHierarchy, running: CumulativeDayTotals, window: ClosedRange<UInt16>?) {
        let measureCount = running.measures.count
        var own = [[Sum]](repeating: [Sum](repeating: 0, count: domain.count), count: measureCount)
        if let window {
            for index in 0..<measureCount {
                var magnitude: Int128 = 0
                own[index].withUnsafeMutableBufferPointer { own in
                    var base = 0
                    for interval in domain.intervals {
                        let part = UnsafeMutableBufferPointer(rebasing: own[base..<(base + interval.count)])
                        running.totals(measure: index, window: window, ranks: interval, into: part)
                        base += interval.count
                    }
                    for value in own { magnitude &+= Int128(value.magnitude) }
                }
                guard Sum(exactly: magnitude) != nil else { return nil }
            }
        }
        self.init(own: own, domain: domain, hierarchy: hierarchy)
    }

    /// Totals from the own totals, with their prefix sums.
    private init(own: [[Sum]], domain: RankDomain, hierarchy: NodeHierarchy) {
        self.prefix = own.map { column in
            var running: Sum = 0
            var prefix = [Sum](repeating: 0, count: column.count + 1)
            prefix.withUnsafeMutableBufferPointer { prefix in
                for (local, value) in column.enumerated() {
                    running &+= value
                    prefix[local + 1] = running
                }
            }
            return prefix
        }
        self.own = own
        self.domain = domain
        self.hierarchy = hierarchy
    }

    /// The own total of `node` for measure `index`.
    @inline(__always)
    func own(_ node: Int, measure index: Int) -> Sum {
        own[index][domain.local(hierarchy.rankOf[node])]
    }

    /// The total of measure `index` over `node`'s distinct descendants (never `node`'s own, also on a cycle).
    @inline(__always)
    func tree(_ node: Int, measure index: Int) -> Sum {
        let prefix = prefix[index]
        let component = hierarchy.componentRanks(of: node)
        let members = domain.local(component)
        var total = prefix[members.upperBound] - prefix[members.lowerBound] - own(node, measure: index)
        hierarchy.forEachReachInterval(of: component) { interval in
            let range = domain.local(interval)
            total += prefix[range.upperBound] - prefix[range.lowerBound]
        }
        return total
    }
}
