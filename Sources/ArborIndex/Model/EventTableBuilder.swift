import ArborModel

/// Lays out one source's packs (``EventPack``) as an ``EventTable`` with no row object and no sort: the packs arrive
/// in (node id, month) order with their entries in (day, combination) order, so each node's rows are already one
/// sorted run; they are written, at the narrowest widths seen so far, in the order they come (node ids), and one
/// pass at the end copies the runs into rank order.
struct EventTableBuilder {
    let source: ResolvedModel.Source
    private let ids: NodeIDColumn
    private let hierarchy: NodeHierarchy
    private let layout: EventPack.Layout

    /// Dense combination number of each combination code (`UInt32.max`: no such code).
    private let combinationOfCode: [UInt32]
    private let dimensions: [ValueDictionary]
    private let combinationCodes: [[UInt32]]
    private let combinationWidth: Int

    /// Rows of node `i` (id order): `runStart[i] ..< runEnd[i]` in the columns below.
    private var runStart: [UInt32]
    private var runEnd: [UInt32]
    /// Days as offsets from `base`, moved when a day falls outside (``rebase(toInclude:)``).
    private var days: [UInt16] = []
    private var base: Int32 = 0
    private var firstDay = Int32.max
    private var lastDay = Int32.min
    /// Combination numbers, ``combinationWidth`` bytes each, in one of these (by width).
    private var combinationBytes: [UInt8] = []
    private var combinationHalves: [UInt16] = []
    private var combinationWords: [UInt32] = []
    private var measures: [PackedIntegersBuilder]
    private var eventCount: UInt64 = 0
    private var rowCount = 0
    /// The node of the last pack and its last key, to check the order.
    private var lastNode = -1
    private var lastKey: (day: Int32, combination: UInt32) = (Int32.min, 0)

    /// - Throws: ``ModelIndexError`` when `combinations` do not match the source's dimensions.
    init(
        source: ResolvedModel.Source, combinations: EventCombinations, layout: EventPack.Layout, ids: NodeIDColumn,
        hierarchy: NodeHierarchy
    ) throws(ModelIndexError) {
        self.source = source
        self.ids = ids
        self.hierarchy = hierarchy
        self.layout = layout
        guard layout.hasCombination == !source.dimensions.isEmpty, layout.measureCount == source.measures.count,
            combinations.values.count == source.dimensions.count,
            combinations.values.allSatisfy({ $0.count == combinations.codes.count })
        else {
            throw .shape(
                "packs of \(source.name): expected \(source.dimensions.count) dimensions and "
                    + "\(source.measures.count) measures")
        }
        guard layout.hasCombination else {
            self.combinationOfCode = [0]
            self.dimensions = []
            self.combinationCodes = []
            self.combinationWidth = 0
            self.runStart = [UInt32](repeating: 0, count: ids.count)
            self.runEnd = [UInt32](repeating: 0, count: ids.count)
            self.measures = (0..<source.measures.count).map { _ in PackedIntegersBuilder() }
            return
        }
        // Combinations numbered densely in code order (so that (day, code) order is (day, number) order).
        let order = combinations.codes.indices.sorted { combinations.codes[$0] < combinations.codes[$1] }
        var combinationOfCode = [UInt32](repeating: UInt32.max, count: Int(combinations.codes.max() ?? 0) + 1)
        for (number, position) in order.enumerated() {
            combinationOfCode[Int(combinations.codes[position])] = UInt32(number)
        }
        var dimensions: [ValueDictionary] = []
        var combinationCodes: [[UInt32]] = []
        for (index, dimension) in source.dimensions.enumerated() {
            let values = order.map { combinations.values[index][$0] }
            let (distinct, codes) = SortedStrings.encode(values.count) { values[$0] }
            dimensions.append(
                try ValueDictionary(distinct: distinct, type: dimension.type, what: "values of \(dimension.name)"))
            // No combination yet: one of NULLs, as a build from rows has.
            combinationCodes.append(codes.isEmpty ? [0] : codes)
        }
        self.combinationOfCode = combinationOfCode
        self.dimensions = dimensions
        self.combinationCodes = combinationCodes
        self.combinationWidth = PackedCodes.packedWidth(holding: UInt32(max(0, order.count - 1)))
        self.runStart = [UInt32](repeating: 0, count: ids.count)
        self.runEnd = [UInt32](repeating: 0, count: ids.count)
        self.measures = (0..<source.measures.count).map { _ in PackedIntegersBuilder() }
    }

    /// Appends the rows of `pack`.
    ///
    /// - Throws: ``ModelIndexError`` for a pack out of (node, month) order, entries out of key order or with a
    ///   count of 0, an unknown combination code, a negative count, days too far apart, or too many rows.
    mutating func add(_ pack: EventPack) throws(ModelIndexError) {
        guard pack.count > 0 else { return }
        let node: Int
        if lastNode >= 0, ids[lastNode] == pack.node {
            node = lastNode
        } else {
            guard let found = ids.index(of: pack.node, hint: lastNode + 1) else { return }  // no node: counts nowhere
            node = found
        }
        if node != lastNode {
            guard node > lastNode else { throw outOfOrder(pack, "node") }
            runStart[node] = UInt32(rowCount)
            runEnd[node] = UInt32(rowCount)
            lastNode = node
            lastKey = (Int32.min, 0)
        }
        guard rowCount + pack.count <= Int(UInt32.max) else {
            throw .tooLarge("events of \(source.name) need more than \(UInt32.max) rows")
        }
        // Checks first, column by column next: each column is then one bulk append. Locals, not properties, in
        // the loop: a property of a mutating method's `self` is retained and released at every read.
        var low = Int32.max
        var high = Int32.min
        var events: UInt64 = 0
        var (keyDay, keyCombination) = lastKey
        var failure: (entry: Int, what: String)? = nil
        combinationOfCode.withUnsafeBufferPointer { numbers in
            for entry in 0..<pack.count {
                let day = pack.day(entry)
                let code = Int(pack.combination(entry))
                let count = pack.measure(entry, 0)
                guard pack.dayOfMonth(entry) <= 30, code < numbers.count, numbers[code] != UInt32.max, count > 0,
                    day > keyDay || (day == keyDay && numbers[code] > keyCombination)
                else {
                    failure = (entry, count < 0 ? "negative count" : "entry")
                    return
                }
                (keyDay, keyCombination) = (day, numbers[code])
                low = min(low, day)
                high = max(high, day)
                events &+= UInt64(count)
            }
        }
        if let failure {
            let day = pack.day(failure.entry)
            if failure.what == "negative count" {
                throw .negativeCount(source: source.name, node: pack.node, day: Day(daysSinceEpoch: day))
            }
            let code = pack.combination(failure.entry)
            if Int(code) >= combinationOfCode.count || combinationOfCode[Int(code)] == UInt32.max {
                throw .shape("packs of \(source.name): unknown combination code \(code)")
            }
            throw outOfOrder(pack, "entry \(failure.entry) (day \(Day(daysSinceEpoch: day)))")
        }
        lastKey = (keyDay, keyCombination)
        if days.isEmpty || low < base || Int(high) - Int(base) > Int(UInt16.max) { try rebase(low: low, high: high) }
        firstDay = min(firstDay, low)
        lastDay = max(lastDay, high)
        eventCount &+= events
        let base = self.base
        days.appendFilling(pack.count) { target in
            for entry in target.indices { target[entry] = UInt16(truncatingIfNeeded: pack.day(entry) &- base) }
        }
        combinationOfCode.withUnsafeBufferPointer { numbers in
            switch combinationWidth {
            case 1:
                combinationBytes.appendFilling(pack.count) { target in
                    for entry in target.indices {
                        target[entry] = UInt8(truncatingIfNeeded: numbers[Int(pack.combination(entry))])
                    }
                }
            case 2:
                combinationHalves.appendFilling(pack.count) { target in
                    for entry in target.indices {
                        target[entry] = UInt16(truncatingIfNeeded: numbers[Int(pack.combination(entry))])
                    }
                }
            case 4:
                combinationWords.appendFilling(pack.count) { target in
                    for entry in target.indices { target[entry] = numbers[Int(pack.combination(entry))] }
                }
            default: break
            }
        }
        for measure in measures.indices { measures[measure].append(pack, measure: measure) }
        rowCount += pack.count
        runEnd[node] = UInt32(rowCount)
    }

    private func outOfOrder(_ pack: EventPack, _ what: String) -> ModelIndexError {
        .shape(
            "packs of \(source.name): \(what) out of order at node \(ModelIndexError.shortened(pack.node.canonical)), "
                + "month \(pack.month)")
    }

    private func withCombinationBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch combinationWidth {
        case 1: combinationBytes.withUnsafeBytes(body)
        case 2: combinationHalves.withUnsafeBytes(body)
        default: combinationWords.withUnsafeBytes(body)
        }
    }

    /// Moves `base` so that `low ... high` and every day so far fit in 16 bits, centring the span; shifts the
    /// stored days.
    private mutating func rebase(low: Int32, high: Int32) throws(ModelIndexError) {
        let low = min(low, firstDay)
        let high = max(high, lastDay)
        guard Int(high) - Int(low) < EventTable.maximumDaySpan else {
            throw .dayRangeTooWide(
                source: source.name, first: Day(daysSinceEpoch: low), last: Day(daysSinceEpoch: high))
        }
        let slack = (EventTable.maximumDaySpan - 1 - (Int(high) - Int(low))) / 2
        let newBase = Int32(Int(low) - slack)
        if !days.isEmpty {
            let shift = Int(base) - Int(newBase)
            days.withUnsafeMutableBufferPointer { days in
                for index in days.indices { days[index] = UInt16(Int(days[index]) + shift) }
            }
        }
        base = newBase
    }

    /// Makes room for about `rows` rows in every column (an estimate: the columns still grow past it).
    mutating func reserveCapacity(_ rows: Int) {
        days.reserveCapacity(rows)
        switch combinationWidth {
        case 1: combinationBytes.reserveCapacity(rows)
        case 2: combinationHalves.reserveCapacity(rows)
        case 4: combinationWords.reserveCapacity(rows)
        default: break
        }
        for measure in measures.indices { measures[measure].reserveCapacity(rows) }
    }

    /// The table, its runs in rank order: each column is written once, in place, run by run.
    func build() -> EventTable {
        let nodeCount = ids.count
        let dayCount = rowCount == 0 ? 0 : Int(lastDay - firstDay) + 1
        let shift = Int(base) - Int(firstDay)
        var rowStarts = [UInt32](repeating: 0, count: nodeCount)
        var rowEnds = [UInt32](repeating: 0, count: nodeCount)
        var next: UInt32 = 0
        for rank in 0..<nodeCount {
            let node = Int(hierarchy.nodeAt[rank])
            rowStarts[rank] = next
            next += runEnd[node] - runStart[node]
            rowEnds[rank] = next
        }
        /// Copies each rank's run of a `width`-byte column from `source` (node order) into `target` (rank order).
        func gather(_ source: UnsafeRawBufferPointer, width: Int, into target: UnsafeMutableRawBufferPointer) {
            guard width > 0 else { return }
            for rank in 0..<nodeCount {
                let node = Int(hierarchy.nodeAt[rank])
                let length = Int(runEnd[node] - runStart[node])
                guard length > 0 else { continue }
                target.baseAddress!.advanced(by: Int(rowStarts[rank]) * width).copyMemory(
                    from: source.baseAddress!.advanced(by: Int(runStart[node]) * width), byteCount: length * width)
            }
        }
        var rowsPerDay = [UInt32](repeating: 0, count: dayCount)
        let orderedDays = AppendableArray<UInt16>(count: rowCount) { target in
            days.withUnsafeBytes { gather($0, width: 2, into: UnsafeMutableRawBufferPointer(target)) }
            for index in target.indices {
                let day = UInt16(truncatingIfNeeded: Int(target[index]) + shift)
                target[index] = day
                rowsPerDay[Int(day)] += 1
            }
        }
        let combinations = AppendableArray<UInt8>(count: rowCount * combinationWidth) { target in
            withCombinationBytes { gather($0, width: combinationWidth, into: UnsafeMutableRawBufferPointer(target)) }
        }
        let measureColumns = measures.map { measure in
            let bytes = AppendableArray<UInt8>(count: rowCount * measure.width) { target in
                measure.withBytes { gather($0, width: measure.width, into: UnsafeMutableRawBufferPointer(target)) }
            }
            return PackedIntegers(packed: bytes, width: measure.width)
        }
        return EventTable(
            firstDay: rowCount == 0 ? 0 : firstDay, dayCount: dayCount, rowStarts: AppendableArray(rowStarts),
            rowEnds: AppendableArray(rowEnds), days: orderedDays,
            combinations: PackedCodes(packed: combinations, width: combinationWidth, count: rowCount),
            measures: measureColumns, dimensions: dimensions, combinationCodes: combinationCodes,
            eventCount: eventCount, rowsPerDay: rowsPerDay)
    }
}

/// 64-bit integers appended at the narrowest width that holds every value so far (1, 2, 4 bytes unsigned, or 8
/// signed: ``PackedIntegers``' widths), widened — the values so far copied to a wider array — when one does not
/// fit. One typed array is in use at a time, so appending is a plain array append.
struct PackedIntegersBuilder {
    private var bytes: [UInt8] = []
    private var halves: [UInt16] = []
    private var words: [UInt32] = []
    private var wide: [Int64] = []
    private(set) var width = 1

    var count: Int {
        switch width {
        case 1: bytes.count
        case 2: halves.count
        case 4: words.count
        default: wide.count
        }
    }

    @inline(__always)
    mutating func append(_ value: Int64) {
        switch width {
        case 1 where UInt64(bitPattern: value) <= UInt64(UInt8.max): bytes.append(UInt8(truncatingIfNeeded: value))
        case 2 where UInt64(bitPattern: value) <= UInt64(UInt16.max): halves.append(UInt16(truncatingIfNeeded: value))
        case 4 where UInt64(bitPattern: value) <= UInt64(UInt32.max): words.append(UInt32(truncatingIfNeeded: value))
        case 8: wide.append(value)
        default:
            widen(to: value < 0 || value > Int64(UInt32.max) ? 8 : value > Int64(UInt16.max) ? 4 : 2)
            append(value)
        }
    }

    /// Makes room for `count` values at the current width.
    mutating func reserveCapacity(_ count: Int) {
        switch width {
        case 1: bytes.reserveCapacity(count)
        case 2: halves.reserveCapacity(count)
        case 4: words.reserveCapacity(count)
        default: wide.reserveCapacity(count)
        }
    }

    /// Appends measure `measure` of every entry of `pack`.
    mutating func append(_ pack: EventPack, measure: Int) {
        var smallest = Int64.max
        var largest = Int64.min
        for entry in 0..<pack.count {
            let value = pack.measure(entry, measure)
            smallest = min(smallest, value)
            largest = max(largest, value)
        }
        let needed =
            smallest < 0 || largest > Int64(UInt32.max) ? 8 : largest > Int64(UInt16.max) ? 4 : largest > 255 ? 2 : 1
        if needed > width { widen(to: needed) }
        switch width {
        case 1:
            bytes.appendFilling(pack.count) { target in
                for entry in target.indices { target[entry] = UInt8(truncatingIfNeeded: pack.measure(entry, measure)) }
            }
        case 2:
            halves.appendFilling(pack.count) { target in
                for entry in target.indices { target[entry] = UInt16(truncatingIfNeeded: pack.measure(entry, measure)) }
            }
        case 4:
            words.appendFilling(pack.count) { target in
                for entry in target.indices { target[entry] = UInt32(truncatingIfNeeded: pack.measure(entry, measure)) }
            }
        default:
            wide.appendFilling(pack.count) { target in
                for entry in target.indices { target[entry] = pack.measure(entry, measure) }
            }
        }
    }

    private mutating func widen(to newWidth: Int) {
        let values: [Int64] =
            switch width {
            case 1: bytes.map { Int64($0) }
            case 2: halves.map { Int64($0) }
            case 4: words.map { Int64($0) }
            default: wide
            }
        (bytes, halves, words, wide) = ([], [], [], [])
        width = newWidth
        switch newWidth {
        case 2: halves = values.map { UInt16(truncatingIfNeeded: $0) }
        case 4: words = values.map { UInt32(truncatingIfNeeded: $0) }
        default: wide = values
        }
    }

    /// Calls `body` with the values' bytes (native byte order, ``width`` bytes each).
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch width {
        case 1: bytes.withUnsafeBytes(body)
        case 2: halves.withUnsafeBytes(body)
        case 4: words.withUnsafeBytes(body)
        default: wide.withUnsafeBytes(body)
        }
    }
}

extension Array where Element: FixedWidthInteger {
    /// Appends `count` elements written by `fill` (which must write all of them): one bulk append and a loop over
    /// a buffer, instead of an append per element.
    @inline(__always)
    mutating func appendFilling(_ count: Int, _ fill: (UnsafeMutableBufferPointer<Element>) -> Void) {
        let start = self.count
        append(contentsOf: repeatElement(0, count: count))
        withUnsafeMutableBufferPointer { fill(UnsafeMutableBufferPointer(rebasing: $0[start...])) }
    }
}
