import ArborModel

/// One event source's rollups, laid out per node for window sums.
///
/// Each node's rows are one contiguous run sorted by day, then dimension combination, with rows of the same key
/// merged, so a date window is two binary searches and a linear pass. The runs follow the nodes' ranks
/// (``NodeHierarchy``), not their ids: a downline is a few rank intervals, so its rows are a few stretches of
/// memory read in order, not one cache miss per node. Days are 16-bit offsets from
/// `firstDay`; the dimension values of a row are one *combination* code (each distinct tuple of dimension codes
/// seen), so a dimension filter is one table lookup per row; every column takes the narrowest width its values
/// allow.
struct EventTable: Sendable {
    /// The widest span of days a source may cover (about 179 years).
    static let maximumDaySpan = Int(UInt16.max) + 1

    let firstDay: Int32
    /// Days from `firstDay` to the last day with rows, plus one (0 when there are none). After an incremental
    /// refresh the span may be wider than the rows' (days that lost their last row stay in it), which changes no
    /// answer.
    let dayCount: Int
    /// Rows of the node of rank `r`: `rowStarts[r] ..< rowEnds[r]`. A build lays the runs out in rank order; an
    /// incremental refresh appends a changed run at the end and points its rank there (``applying(_:)``).
    let rowStarts: AppendableArray<UInt32>
    let rowEnds: AppendableArray<UInt32>
    let days: AppendableArray<UInt16>
    let combinations: PackedCodes
    /// One column per measure of the source, `count` first.
    let measures: [PackedIntegers]
    /// Per dimension: the distinct values and, per combination, the dimension's code.
    let dimensions: [ValueDictionary]
    let combinationCodes: [[UInt32]]
    /// Every counted event (the `count` column's total) and the first and last day with one.
    let eventCount: UInt64
    let firstEventDay: Day?
    let lastEventDay: Day?
    /// Rows (of current runs) per day offset from `firstDay`, `dayCount` of them: what keeps the first and last
    /// event day exact when rows come and go.
    let rowsPerDay: [UInt32]

    var combinationCount: Int { combinationCodes.first?.count ?? 1 }

    /// Lays out `rows`, dropping those whose node is no node.
    ///
    /// - Throws: ``ModelIndexError`` when the columns do not match the source, the days span more than
    ///   ``maximumDaySpan``, a key's count adds up to a negative number, or there are more than 2^32 rows.
    init(
        rows: EventRollupRows, source: ResolvedModel.Source, ids: NodeIDColumn, hierarchy: NodeHierarchy
    ) throws(ModelIndexError) {
        let rowCount = rows.nodes.count
        guard rows.days.count == rowCount, rows.dimensions.count == source.dimensions.count,
            rows.dimensions.allSatisfy({ $0.count == rowCount }), rows.measures.count == source.measures.count,
            rows.measures.allSatisfy({ $0.count == rowCount })
        else {
            throw .shape(
                "events of \(source.name): expected \(source.dimensions.count) dimension and "
                    + "\(source.measures.count) measure columns of \(rowCount) rows each")
        }
        let nodeCount = ids.count

        // Rows of existing nodes only.
        var kept: [Int32] = []
        var nodeOfKept: [Int32] = []
        kept.reserveCapacity(rowCount)
        nodeOfKept.reserveCapacity(rowCount)
        var lastID: NodeID? = nil
        var lastIndex: Int? = nil
        for row in 0..<rowCount {
            let id = rows.nodes[row]
            if id != lastID {
                lastID = id
                lastIndex = ids.index(of: id)
            }
            guard let index = lastIndex else { continue }
            kept.append(Int32(row))
            nodeOfKept.append(hierarchy.rankOf[index])
        }

        // Dimension values, then combinations of them.
        var dimensions: [ValueDictionary] = []
        var dimensionCodes: [[UInt32]] = []
        for (index, dimension) in source.dimensions.enumerated() {
            let column = rows.dimensions[index]
            let (distinct, codes) = SortedStrings.encode(kept.count) { column[Int(kept[$0])] }
            dimensions.append(
                try ValueDictionary(distinct: distinct, type: dimension.type, what: "values of \(dimension.name)"))
            dimensionCodes.append(codes)
        }
        let (combinationOfKept, combinationCodes) = Self.combinations(dimensionCodes, dimensions, count: kept.count)
        dimensionCodes = []

        // Days as offsets from the first.
        var first = Int32.max
        var last = Int32.min
        for row in kept {
            let day = rows.days[Int(row)].daysSinceEpoch
            first = min(first, day)
            last = max(last, day)
        }
        if kept.isEmpty { (first, last) = (0, -1) }
        guard Int(last) - Int(first) < Self.maximumDaySpan else {
            throw .dayRangeTooWide(
                source: source.name, first: Day(daysSinceEpoch: first), last: Day(daysSinceEpoch: last))
        }

        // Rank-major order (a counting sort), then each node's rows by (day, combination).
        var offsets = [Int](repeating: 0, count: nodeCount + 1)
        for node in nodeOfKept { offsets[Int(node) + 1] += 1 }
        for node in 0..<nodeCount { offsets[node + 1] += offsets[node] }
        var ordered = [(key: UInt64, kept: Int32)](repeating: (0, 0), count: kept.count)
        do {
            var cursor = offsets
            for position in kept.indices {
                let node = Int(nodeOfKept[position])
                let day = UInt64(rows.days[Int(kept[position])].daysSinceEpoch - first)
                ordered[cursor[node]] = (day << 32 | UInt64(combinationOfKept[position]), Int32(position))
                cursor[node] += 1
            }
        }
        nodeOfKept = []
        ordered.withUnsafeMutableBufferPointer { ordered in
            for node in 0..<nodeCount where offsets[node + 1] - offsets[node] > 1 {
                ordered[offsets[node]..<offsets[node + 1]].sort { $0.key < $1.key }
            }
        }

        // Merge rows of one key (unless a sum would pass 64 bits: then they stay apart, and add up in queries).
        let measureCount = source.measures.count
        var rowOffsets = [UInt32](repeating: 0, count: nodeCount + 1)
        var days: [UInt16] = []
        var combinations: [UInt32] = []
        var sums = [[Int64]](repeating: [], count: measureCount)
        days.reserveCapacity(ordered.count)
        combinations.reserveCapacity(ordered.count)
        for measure in 0..<measureCount { sums[measure].reserveCapacity(ordered.count) }
        var values = [Int64](repeating: 0, count: measureCount)
        var eventCount: UInt64 = 0
        var firstEvent = Int32.max
        var lastEvent = Int32.min
        for node in 0..<nodeCount {
            var position = offsets[node]
            let end = offsets[node + 1]
            while position < end {
                let key = ordered[position].key
                let row = Int(kept[Int(ordered[position].kept)])
                for measure in 0..<measureCount { values[measure] = rows.measures[measure][row] }
                position += 1
                while position < end, ordered[position].key == key {
                    let next = Int(kept[Int(ordered[position].kept)])
                    var merged = values
                    var overflow = false
                    for measure in 0..<measureCount {
                        let (sum, over) = merged[measure].addingReportingOverflow(rows.measures[measure][next])
                        merged[measure] = sum
                        overflow = overflow || over
                    }
                    if overflow { break }
                    values = merged
                    position += 1
                }
                let day = Int32(key >> 32)
                guard values[0] >= 0 else {
                    throw .negativeCount(
                        source: source.name, node: ids[Int(hierarchy.nodeAt[node])],
                        day: Day(daysSinceEpoch: first + day))
                }
                guard values[0] > 0 else { continue }
                days.append(UInt16(day))
                combinations.append(UInt32(truncatingIfNeeded: key))
                for measure in 0..<measureCount { sums[measure].append(values[measure]) }
                eventCount &+= UInt64(values[0])
                firstEvent = min(firstEvent, first + day)
                lastEvent = max(lastEvent, first + day)
            }
            guard days.count <= Int(UInt32.max) else {
                throw .tooLarge("events of \(source.name) need more than \(UInt32.max) rows")
            }
            rowOffsets[node + 1] = UInt32(days.count)
        }

        self.firstDay = first
        self.dayCount = days.isEmpty ? 0 : Int(last - first) + 1
        var rowsPerDay = [UInt32](repeating: 0, count: self.dayCount)
        for day in days { rowsPerDay[Int(day)] += 1 }
        self.rowsPerDay = rowsPerDay
        self.rowStarts = AppendableArray(rowOffsets.dropLast())
        self.rowEnds = AppendableArray(rowOffsets.dropFirst())
        self.days = AppendableArray(days)
        self.combinations = PackedCodes(combinations)
        self.measures = sums.map(PackedIntegers.init)
        self.dimensions = dimensions
        self.combinationCodes = combinationCodes
        self.eventCount = eventCount
        self.firstEventDay = days.isEmpty ? nil : Day(daysSinceEpoch: firstEvent)
        self.lastEventDay = days.isEmpty ? nil : Day(daysSinceEpoch: lastEvent)
    }

    /// A table made of its parts (an incremental refresh's result).
    init(
        firstDay: Int32, dayCount: Int, rowStarts: AppendableArray<UInt32>, rowEnds: AppendableArray<UInt32>,
        days: AppendableArray<UInt16>, combinations: PackedCodes, measures: [PackedIntegers],
        dimensions: [ValueDictionary], combinationCodes: [[UInt32]], eventCount: UInt64, rowsPerDay: [UInt32]
    ) {
        self.firstDay = firstDay
        self.dayCount = dayCount
        self.rowStarts = rowStarts
        self.rowEnds = rowEnds
        self.days = days
        self.combinations = combinations
        self.measures = measures
        self.dimensions = dimensions
        self.combinationCodes = combinationCodes
        self.eventCount = eventCount
        self.rowsPerDay = rowsPerDay
        let first = rowsPerDay.firstIndex { $0 > 0 }
        let last = rowsPerDay.lastIndex { $0 > 0 }
        self.firstEventDay = first.map { Day(daysSinceEpoch: firstDay + Int32($0)) }
        self.lastEventDay = last.map { Day(daysSinceEpoch: firstDay + Int32($0)) }
    }

    /// Numbers each distinct tuple of dimension codes; returns the combination of each row and, per dimension, the
    /// code of each combination. Tuples are packed into 64 bits when the codes fit (they nearly always do).
    private static func combinations(
        _ codes: [[UInt32]], _ dimensions: [ValueDictionary], count: Int
    ) -> (ofRow: [UInt32], codes: [[UInt32]]) {
        if codes.isEmpty { return ([UInt32](repeating: 0, count: count), []) }
        if codes.count == 1 {
            // One dimension: its code is the combination.
            return (codes[0], [(0...dimensions[0].count).map { UInt32($0) }])
        }
        let widths = dimensions.map { UInt64.bitWidth - UInt64($0.count).leadingZeroBitCount }
        var ofRow = [UInt32](repeating: 0, count: count)
        var tuples: [[UInt32]] = []
        if widths.reduce(0, +) <= 64 {
            var numberOf: [UInt64: UInt32] = [:]
            for row in 0..<count {
                var packed: UInt64 = 0
                for (dimension, width) in widths.enumerated() {
                    packed = packed << width | UInt64(codes[dimension][row])
                }
                if let number = numberOf[packed] {
                    ofRow[row] = number
                } else {
                    let number = UInt32(tuples.count)
                    numberOf[packed] = number
                    tuples.append(codes.map { $0[row] })
                    ofRow[row] = number
                }
            }
        } else {
            var numberOf: [[UInt32]: UInt32] = [:]
            for row in 0..<count {
                let tuple = codes.map { $0[row] }
                if let number = numberOf[tuple] {
                    ofRow[row] = number
                } else {
                    let number = UInt32(tuples.count)
                    numberOf[tuple] = number
                    tuples.append(tuple)
                    ofRow[row] = number
                }
            }
        }
        if tuples.isEmpty { tuples = [codes.map { _ in 0 }] }
        return (ofRow, codes.indices.map { dimension in tuples.map { $0[dimension] } })
    }

    /// The rows of the node of rank `rank`.
    @inline(__always)
    func rows(ofRank rank: Int) -> Range<Int> { Int(rowStarts[rank])..<Int(rowEnds[rank]) }

    /// The rows of the node of rank `rank` on days `window` (offsets from `firstDay`, inclusive).
    @inline(__always)
    func rows(ofRank rank: Int, in window: ClosedRange<UInt16>) -> Range<Int> {
        days.withUnsafeBufferPointer { days in
            Self.rows(in: window, Int(rowStarts[rank]), Int(rowEnds[rank]), days)
        }
    }

    /// The rows of `start ..< end` (one node's run, sorted by day) on days `window`: two binary searches, none when
    /// the whole run lies in the window.
    @inline(__always)
    static func rows(
        in window: ClosedRange<UInt16>, _ start: Int, _ end: Int, _ days: UnsafeBufferPointer<UInt16>
    ) -> Range<Int> {
        guard start < end else { return start..<start }
        if days[start] >= window.lowerBound, days[end - 1] <= window.upperBound { return start..<end }
        var low = start
        var high = end
        while low < high {
            let middle = (low + high) >> 1
            if days[middle] < window.lowerBound { low = middle + 1 } else { high = middle }
        }
        let first = low
        high = end
        while low < high {
            let middle = (low + high) >> 1
            if days[middle] <= window.upperBound { low = middle + 1 } else { high = middle }
        }
        return first..<low
    }

    /// The window of an event scope as day offsets, or `nil` when no day with rows lies in it.
    func dayWindow(from: Day?, to: Day?) -> ClosedRange<UInt16>? {
        guard dayCount > 0 else { return nil }
        let low = max(0, Int(from?.daysSinceEpoch ?? firstDay) - Int(firstDay))
        let high = min(dayCount - 1, Int(to?.daysSinceEpoch ?? Int32.max) - Int(firstDay))
        guard low <= high else { return nil }
        return UInt16(low)...UInt16(high)
    }

    var byteCount: Int {
        rowStarts.byteCount + rowEnds.byteCount + days.byteCount + combinations.byteCount + rowsPerDay.capacity * 4
            + measures.reduce(0) { $0 + $1.byteCount } + dimensions.reduce(0) { $0 + $1.byteCount }
            + combinationCodes.reduce(0) { $0 + $1.capacity * 4 }
    }
}
