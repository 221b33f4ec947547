/// Per-day totals of the downlines of the components that reach the most nodes, for one event source: FilteredStats
/// by day with no filter over such a downline reads a few dozen precomputed days instead of every node's rows.
///
/// Each total covers a component's distinct descendants (the component itself excluded), so shared descendants and
/// cycles count once, exactly as the query's scope does; `nodes` counts the distinct descendants with an event
/// that day (a node counts once per day however many rows it has). A component is listed when it reaches at least
/// ``minimumDownline`` nodes; below that, reading the nodes' rows is already fast.
struct SubtreeDays: Sendable {
    static let minimumDownline = 2048

    /// First ranks of the listed components, ascending.
    let keys: [Int32]
    /// Days of component `k`: `offsets[k] ..< offsets[k + 1]`.
    let offsets: [UInt32]
    let days: [UInt16]
    /// One column per measure of the source.
    let sums: [[Int64]]
    let nodes: [UInt32]

    static let empty = SubtreeDays(keys: [], offsets: [0], days: [], sums: [], nodes: [])

    init(keys: [Int32], offsets: [UInt32], days: [UInt16], sums: [[Int64]], nodes: [UInt32]) {
        self.keys = keys
        self.offsets = offsets
        self.days = days
        self.sums = sums
        self.nodes = nodes
    }

    /// Totals for every component of `hierarchy` that reaches at least `minimumDownline` nodes. When a day's sum
    /// of some component passes 64 bits, nothing is kept (queries then read the rows, exactly).
    init(table: EventTable, hierarchy: NodeHierarchy, minimumDownline: Int = Self.minimumDownline) {
        var heavy: [Range<Int32>] = []
        var rank = 0
        while rank < hierarchy.nodeCount {
            let component = hierarchy.componentRanks(of: Int(hierarchy.nodeAt[rank]))
            var reached = 0
            hierarchy.forEachReachInterval(of: component) { reached += $0.count }
            if reached >= minimumDownline { heavy.append(component) }
            rank = Int(component.upperBound)
        }
        guard !heavy.isEmpty, table.dayCount > 0 else {
            self = .empty
            return
        }
        let components = heavy
        let totals =
            Self.sweptTotals(of: components, table: table, hierarchy: hierarchy)
            ?? Self.totals(of: components, table: table, hierarchy: hierarchy)
        guard !totals.contains(where: \.overflow) else {
            self = .empty
            return
        }
        let measureCount = table.measures.count
        var offsets: [UInt32] = [0]
        var days: [UInt16] = []
        var sums = [[Int64]](repeating: [], count: measureCount)
        var nodes: [UInt32] = []
        for total in totals {
            days += total.days
            nodes += total.nodes
            for measure in 0..<measureCount { sums[measure] += total.sums[measure] }
            offsets.append(UInt32(days.count))
        }
        self.init(keys: components.map(\.lowerBound), offsets: offsets, days: days, sums: sums, nodes: nodes)
    }

    /// One component's totals: its days with events (offsets from the table's first day), ascending, and per day
    /// each measure's sum and the distinct nodes with a row.
    struct Totals: Sendable {
        var days: [UInt16] = []
        var sums: [[Int64]] = []
        var nodes: [UInt32] = []
        var overflow = false
    }

    /// The most memory ``sweptTotals(of:table:hierarchy:)`` may take for its running totals, in bytes.
    static let sweepBudget = 64 << 20

    /// The totals of the downlines of `components` from one pass over the rows in rank order: the running per-day
    /// totals are copied at every end of a reach interval, and an interval's totals are the difference of its two
    /// copies (a rank is one node, so distinct nodes add up too). Each row is read once, where totalling each
    /// component from its rows reads a row once per listed component above it — on the full demo that was 44 % of
    /// a full load. `nil` when the copies would take more than ``sweepBudget``.
    static func sweptTotals(of components: [Range<Int32>], table: EventTable, hierarchy: NodeHierarchy) -> [Totals]? {
        let measureCount = table.measures.count
        let dayCount = table.dayCount
        var intervals: [[Range<Int32>]] = []
        var ends: [Int32] = []
        for component in components {
            var list: [Range<Int32>] = []
            hierarchy.forEachReachInterval(of: component) { list.append($0) }
            for interval in list { ends += [interval.lowerBound, interval.upperBound] }
            intervals.append(list)
        }
        ends = Array(Set(ends)).sorted()
        guard ends.count * dayCount * (measureCount * 16 + 4) <= sweepBudget else { return nil }
        var slotOfEnd: [Int32: Int] = [:]
        for (slot, end) in ends.enumerated() { slotOfEnd[end] = slot }
        // The ranks in chunks on every core: each chunk totals from zero and copies at the ends it holds; a
        // chunk's copies then get the totals of every chunk before it.
        struct Part: Sendable {
            var firstEnd = 0
            var savedSums: [Int128] = []
            var savedNodes: [Int32] = []
            var sums: [Int128] = []
            var nodes: [Int32] = []
        }
        let sortedEnds = ends
        let parts = ChunkedWork.map(count: hierarchy.nodeCount + 1, minimumCount: 4096) { ranks -> [Part] in
            var part = Part()
            var next = 0
            while next < sortedEnds.count, sortedEnds[next] < Int32(ranks.lowerBound) { next += 1 }
            part.firstEnd = next
            var sums = [Int128](repeating: 0, count: dayCount * measureCount)
            var nodes = [Int32](repeating: 0, count: dayCount)
            var slots: [Int32] = []
            table.days.withUnsafeBufferPointer { days in
                for rank in ranks {
                    while next < sortedEnds.count, sortedEnds[next] == Int32(rank) {
                        part.savedSums += sums
                        part.savedNodes += nodes
                        next += 1
                    }
                    guard rank < hierarchy.nodeCount else { break }
                    let rows = table.rows(ofRank: rank)
                    guard !rows.isEmpty else { continue }
                    var previousDay = -1
                    slots.removeAll(keepingCapacity: true)
                    slots.appendFilling(rows.count) { slots in
                        nodes.withUnsafeMutableBufferPointer { nodes in
                            for (position, row) in rows.enumerated() {
                                let day = Int(days[row])
                                if day != previousDay {
                                    previousDay = day
                                    nodes[day] &+= 1
                                }
                                slots[position] = Int32(day)
                            }
                        }
                    }
                    sums.withUnsafeMutableBufferPointer { sums in
                        slots.withUnsafeBufferPointer { slots in
                            for measure in 0..<measureCount {
                                table.measures[measure].add(
                                    rows, slots: slots, into: sums.baseAddress! + measure, stride: measureCount)
                            }
                        }
                    }
                }
            }
            part.sums = sums
            part.nodes = nodes
            return [part]
        }
        var savedSums = [Int128](repeating: 0, count: ends.count * dayCount * measureCount)
        var savedNodes = [Int32](repeating: 0, count: ends.count * dayCount)
        var offsetSums = [Int128](repeating: 0, count: dayCount * measureCount)
        var offsetNodes = [Int32](repeating: 0, count: dayCount)
        for part in parts {
            let sumStride = dayCount * measureCount
            for copy in 0..<(part.savedNodes.count / max(dayCount, 1)) {
                let slot = part.firstEnd + copy
                for index in 0..<sumStride {
                    savedSums[slot * sumStride + index] = part.savedSums[copy * sumStride + index] + offsetSums[index]
                }
                for day in 0..<dayCount {
                    savedNodes[slot * dayCount + day] = part.savedNodes[copy * dayCount + day] + offsetNodes[day]
                }
            }
            for index in 0..<sumStride { offsetSums[index] += part.sums[index] }
            for day in 0..<dayCount { offsetNodes[day] += part.nodes[day] }
        }
        return intervals.map { list in
            var result = Totals()
            var values = [Int128](repeating: 0, count: measureCount)
            result.sums = [[Int64]](repeating: [], count: measureCount)
            for day in 0..<dayCount {
                var count: Int32 = 0
                for measure in 0..<measureCount { values[measure] = 0 }
                for interval in list {
                    let low = slotOfEnd[interval.lowerBound]!
                    let high = slotOfEnd[interval.upperBound]!
                    count += savedNodes[high * dayCount + day] - savedNodes[low * dayCount + day]
                    for measure in 0..<measureCount {
                        values[measure] +=
                            savedSums[(high * dayCount + day) * measureCount + measure]
                            - savedSums[(low * dayCount + day) * measureCount + measure]
                    }
                }
                guard count > 0 else { continue }
                result.days.append(UInt16(day))
                result.nodes.append(UInt32(count))
                for measure in 0..<measureCount {
                    guard let value = Int64(exactly: values[measure]) else {
                        result.overflow = true
                        continue
                    }
                    result.sums[measure].append(value)
                }
            }
            return result
        }
    }

    /// The totals of the downlines of `components` (each given by its ranks), on every core.
    static func totals(of components: [Range<Int32>], table: EventTable, hierarchy: NodeHierarchy) -> [Totals] {
        let measureCount = table.measures.count
        let dayCount = table.dayCount
        return ChunkedWork.map(count: components.count, minimumCount: 2) { chunk -> [Totals] in
            var sums = [[Int64]](repeating: [Int64](repeating: 0, count: dayCount), count: measureCount)
            var nodes = [UInt32](repeating: 0, count: dayCount)
            var touched: [UInt16] = []
            return chunk.map { index in
                var overflow = false
                hierarchy.forEachReachInterval(of: components[index]) { interval in
                    for rank in interval {
                        var previousDay = -1
                        for row in table.rows(ofRank: Int(rank)) {
                            let day = Int(table.days[row])
                            if day != previousDay {
                                previousDay = day
                                if nodes[day] == 0 { touched.append(UInt16(day)) }
                                nodes[day] += 1
                            }
                            for measure in 0..<measureCount {
                                let (sum, over) = sums[measure][day].addingReportingOverflow(
                                    table.measures[measure][row])
                                sums[measure][day] = sum
                                overflow = overflow || over
                            }
                        }
                    }
                }
                touched.sort()
                var result = Totals()
                result.overflow = overflow
                result.days = touched
                result.nodes = touched.map { nodes[Int($0)] }
                result.sums = (0..<measureCount).map { measure in touched.map { sums[measure][Int($0)] } }
                for day in touched {
                    nodes[Int(day)] = 0
                    for measure in 0..<measureCount { sums[measure][Int(day)] = 0 }
                }
                touched.removeAll(keepingCapacity: true)
                return result
            }
        }
    }

    /// The entries of the component whose first rank is `start`, if it is listed.
    func entries(ofComponentStartingAt start: Int32) -> Range<Int>? {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) >> 1
            if keys[middle] < start { low = middle + 1 } else { high = middle }
        }
        guard low < keys.count, keys[low] == start else { return nil }
        return Int(offsets[low])..<Int(offsets[low + 1])
    }

    var byteCount: Int {
        keys.capacity * 4 + offsets.capacity * 4 + days.capacity * 2 + nodes.capacity * 4
            + sums.reduce(0) { $0 + $1.capacity * 8 }
    }
}
