import ArborModel

/// Groups a scope's events by FilteredStats' keys and sums the measures asked for.
///
/// A group is a tuple of key numbers, one per `group_by` entry, each numbered in that key's order (days, weeks and
/// months from the window's start, nodes by index, attribute and dimension values by key). The tuple is one
/// mixed-radix number, first key most significant, so sorting the numbers sorts the rows as the contract requires.
/// Per row it is three table lookups: the node's part, the day's part and the dimension combination's part. Small
/// key spaces accumulate in dense arrays, larger ones through a dictionary from key to slot, and the rare space
/// beyond 64 bits through code tuples.
///
/// A node's rows are added together, so "distinct nodes with an event in the group" is a last-node mark per group.
/// Sums are 128-bit, so nothing wraps; whether they fit in 64 bits is checked when the rows are read.
struct EventGrouping {
    private enum Part {
        case day, week, month, node
        case attribute(EncodedColumn)
        case dimension(ValueDictionary, codes: [UInt32])
    }

    /// How groups find their slot: by key-space size, or forced (for tests).
    enum Strategy {
        case automatic
        /// A dictionary from key to slot, even for small key spaces.
        case keyed
        /// Code tuples, as for key spaces beyond 64 bits.
        case tuples
    }

    private enum Storage {
        /// The key is the slot.
        case dense
        /// `slotOfKey` finds the slot.
        case keyed
        /// `slotOfTuple` finds the slot.
        case tuples
    }

    private let parts: [Part]
    private let radices: [UInt64]
    /// Multiplier of each part; `nil` when the key space passes 64 bits (tuples).
    private let multipliers: [UInt64]?
    private let table: EventTable
    private let window: ClosedRange<UInt16>
    /// Per window day and per combination: their share of the key (0 for tuples).
    private let dayPart: [UInt64]
    private let combinationPart: [UInt64]
    /// Which combinations pass the event scope's matches; `nil` when there are none.
    private let combinationPasses: [Bool]?
    private let measureColumns: [PackedIntegers]
    private let stride: Int
    private let ids: NodeIDColumn
    private let rankOf: AppendableArray<Int32>

    private let storage: Storage
    private var slotOfKey: [UInt64: Int32] = [:]
    private var slotOfTuple: [[UInt32]: Int32] = [:]
    /// Per slot: the key (keyed) or tuple (tuples) it holds, for reading the rows back.
    private var keys: [UInt64] = []
    private var tuples: [[UInt32]] = []
    private var sums: [Int128] = []
    private var nodes: [UInt32] = []
    private var lastNode: [Int32] = []
    private var slots: [Int32] = []

    /// The largest key space accumulated in dense arrays.
    static let denseLimit: UInt64 = 16384

    init(
        groupBy: [ResolvedModel.GroupKey], measures: [Int], matches: [ColumnMatch], table: EventTable,
        window: ClosedRange<UInt16>, attributes: [EncodedColumn], model: ResolvedModel, ids: NodeIDColumn,
        source: ResolvedModel.Source, rankOf: AppendableArray<Int32>, strategy: Strategy = .automatic
    ) {
        self.table = table
        self.rankOf = rankOf
        self.window = window
        self.ids = ids
        let firstDay = Int(table.firstDay) + Int(window.lowerBound)
        let lastDay = Int(table.firstDay) + Int(window.upperBound)
        var parts: [Part] = []
        var radices: [UInt64] = []
        for key in groupBy {
            switch key {
            case .day:
                parts.append(.day)
                radices.append(UInt64(lastDay - firstDay + 1))
            case .week:
                parts.append(.week)
                radices.append(UInt64((Self.monday(lastDay) - Self.monday(firstDay)) / 7 + 1))
            case .month:
                parts.append(.month)
                radices.append(UInt64(Self.month(lastDay) - Self.month(firstDay) + 1))
            case .node:
                parts.append(.node)
                radices.append(UInt64(max(ids.count, 1)))
            case .attribute(let attribute):
                let column = attributes[model.attributeIndex(named: attribute.name)!]
                parts.append(.attribute(column))
                radices.append(UInt64(column.dictionary.keyCount))
            case .dimension(let dimension):
                let index = source.dimensions.firstIndex { $0.name == dimension.name }!
                parts.append(.dimension(table.dimensions[index], codes: table.combinationCodes[index]))
                radices.append(UInt64(table.dimensions[index].keyCount))
            }
        }
        self.parts = parts
        self.radices = radices

        var multipliers = [UInt64](repeating: 1, count: parts.count)
        var space: UInt64? = 1
        for index in parts.indices.reversed() {
            guard let current = space else { break }
            multipliers[index] = current
            let (product, overflow) = current.multipliedReportingOverflow(by: radices[index])
            space = overflow ? nil : product
        }
        if strategy == .tuples { space = nil }
        self.multipliers = space == nil ? nil : multipliers

        // The day's and the combination's shares of the key.
        var dayPart = [UInt64](repeating: 0, count: window.count)
        var combinationPart = [UInt64](repeating: 0, count: table.combinationCount)
        if let space, space > 0 {
            for (index, part) in parts.enumerated() {
                let multiplier = multipliers[index]
                switch part {
                case .day, .week, .month:
                    for offset in 0..<window.count {
                        dayPart[offset] &+= Self.timeCode(part, day: firstDay + offset, first: firstDay) &* multiplier
                    }
                case .dimension(let dictionary, let codes):
                    for combination in 0..<table.combinationCount {
                        combinationPart[combination] &+=
                            UInt64(dictionary.key(ofCode: codes[combination])) &* multiplier
                    }
                case .node, .attribute:
                    break
                }
            }
        }
        self.dayPart = dayPart
        self.combinationPart = combinationPart

        if matches.isEmpty {
            combinationPasses = nil
        } else {
            let matchers = matches.map { ValueMatcher($0, dictionary: table.dimensions[$0.index]) }
            combinationPasses = (0..<table.combinationCount).map { combination in
                matches.indices.allSatisfy {
                    matchers[$0].holds(table.combinationCodes[matches[$0].index][combination])
                }
            }
        }
        self.measureColumns = measures.map { table.measures[$0] }
        self.stride = measures.count

        if let space, space <= Self.denseLimit, strategy == .automatic {
            // One slot more than keys: rows the event scope leaves out go there, so the row loop has no branch.
            storage = .dense
            sums = [Int128](repeating: 0, count: (Int(space) + 1) * stride)
            nodes = [UInt32](repeating: 0, count: Int(space) + 1)
            lastNode = [Int32](repeating: -1, count: Int(space) + 1)
        } else if space != nil {
            storage = .keyed
        } else {
            storage = .tuples
        }
    }

    /// The Monday (as days since 1970-01-01) of the week of `day`.
    static func monday(_ day: Int) -> Int {
        day - ((day + 3) % 7 + 7) % 7
    }

    /// Months since year 0 of `day`.
    static func month(_ day: Int) -> Int {
        let (year, month, _) = Day(daysSinceEpoch: Int32(day)).components
        return year * 12 + month - 1
    }

    private static func timeCode(_ part: Part, day: Int, first: Int) -> UInt64 {
        switch part {
        case .day: UInt64(day - first)
        case .week: UInt64((monday(day) - monday(first)) / 7)
        case .month: UInt64(month(day) - month(first))
        default: 0
        }
    }

    /// Adds the events in the window of every node of `nodes` (each node at most once per grouping).
    ///
    /// One loop with every column in hand as a raw buffer and the accumulators moved out of `self`, so that a row
    /// costs its loads and adds: per node the window's two binary searches, per row a key and a slot.
    mutating func add(nodes: ArraySlice<Int32>) {
        if case .tuples = storage {
            for node in nodes { addTuples(node: Int(node)) }
            return
        }
        if case .dense = storage {
            addDense(nodes: nodes)
            return
        }
        var sums: [Int128] = []
        var counts: [UInt32] = []
        var lastNode: [Int32] = []
        var slots: [Int32] = []
        var slotOfKey: [UInt64: Int32] = [:]
        var keys: [UInt64] = []
        swap(&sums, &self.sums)
        swap(&counts, &self.nodes)
        swap(&lastNode, &self.lastNode)
        swap(&slots, &self.slots)
        swap(&slotOfKey, &self.slotOfKey)
        swap(&keys, &self.keys)
        defer {
            swap(&sums, &self.sums)
            swap(&counts, &self.nodes)
            swap(&lastNode, &self.lastNode)
            swap(&slots, &self.slots)
            swap(&slotOfKey, &self.slotOfKey)
            swap(&keys, &self.keys)
        }
        let dense = storage == .dense
        let stride = stride
        let window = window
        let low = window.lowerBound
        let passes = combinationPasses
        let nodeParts = nodeParts
        table.days.withUnsafeBufferPointer { days in
            table.rowStarts.withUnsafeBufferPointer { starts in
                table.rowEnds.withUnsafeBufferPointer { ends in
                    rankOf.withUnsafeBufferPointer { rankOf in
                        dayPart.withUnsafeBufferPointer { dayPart in
                            combinationPart.withUnsafeBufferPointer { combinationPart in
                                table.combinations.withReader { combinations in
                                    for node in nodes {
                                        let rank = Int(rankOf[Int(node)])
                                        let rows = EventTable.rows(
                                            in: window, Int(starts[rank]), Int(ends[rank]), days)
                                        guard !rows.isEmpty else { continue }
                                        if slots.count < rows.count {
                                            slots = [Int32](repeating: -1, count: max(rows.count, 2 * slots.count))
                                        }
                                        var nodePart: UInt64 = 0
                                        for (multiplier, column) in nodeParts {
                                            nodePart &+=
                                                UInt64(column?.key(of: Int(node)) ?? UInt32(node)) &* multiplier
                                        }
                                        var offset = 0
                                        for row in rows {
                                            defer { offset &+= 1 }
                                            let combination = Int(combinations[row])
                                            if let passes, !passes[combination] {
                                                slots[offset] = -1
                                                continue
                                            }
                                            let key =
                                                nodePart &+ dayPart[Int(days[row] &- low)]
                                                &+ combinationPart[combination]
                                            let slot: Int32
                                            if dense {
                                                slot = Int32(truncatingIfNeeded: key)
                                            } else if let known = slotOfKey[key] {
                                                slot = known
                                            } else {
                                                slot = Int32(counts.count)
                                                slotOfKey[key] = slot
                                                keys.append(key)
                                                sums.append(contentsOf: repeatElement(0, count: stride))
                                                counts.append(0)
                                                lastNode.append(-1)
                                            }
                                            slots[offset] = slot
                                            if lastNode[Int(slot)] != node {
                                                lastNode[Int(slot)] = node
                                                counts[Int(slot)] &+= 1
                                            }
                                        }
                                        slots.withUnsafeBufferPointer { slots in
                                            sums.withUnsafeMutableBufferPointer { sums in
                                                for measure in 0..<stride {
                                                    measureColumns[measure].add(
                                                        rows, slots: slots, into: sums.baseAddress! + measure,
                                                        stride: stride)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The parts of a key that come from the node (the node itself, or one of its attributes) with their
    /// multipliers in the packed key; empty when keys are not packed.
    private var nodeParts: [(multiplier: UInt64, column: EncodedColumn?)] {
        multipliers.map { multipliers in
            parts.indices.compactMap { index in
                switch parts[index] {
                case .node: (multipliers[index], nil)
                case .attribute(let column): (multipliers[index], column)
                default: nil
                }
            }
        } ?? []
    }

    /// ``add(nodes:)`` for dense key spaces: the slots never grow, so every accumulator is a raw buffer and each row
    /// is its loads, one key, one slot and one add per measure, with nothing retained or checked for uniqueness.
    private mutating func addDense(nodes: ArraySlice<Int32>) {
        let nodeParts = nodeParts
        let passes = combinationPasses ?? [Bool](repeating: true, count: table.combinationCount)
        withExtendedLifetime((table, rankOf, measureColumns)) {
            let loop = DenseRows(
                days: table.days.unsafeElements, starts: table.rowStarts.unsafeElements,
                ends: table.rowEnds.unsafeElements, rankOf: rankOf.unsafeElements,
                combinations: table.combinations.withReader { $0 },
                measures: measureColumns.map { column in column.withReader { $0 } }, window: window,
                discard: self.nodes.count - 1)
            dayPart.withUnsafeBufferPointer { dayPart in
                combinationPart.withUnsafeBufferPointer { combinationPart in
                    passes.withUnsafeBufferPointer { passes in
                        sums.withUnsafeMutableBufferPointer { sums in
                            self.nodes.withUnsafeMutableBufferPointer { counts in
                                lastNode.withUnsafeMutableBufferPointer { lastNode in
                                    for node in nodes {
                                        var nodePart: UInt64 = 0
                                        for (multiplier, column) in nodeParts {
                                            nodePart &+=
                                                UInt64(column?.key(of: Int(node)) ?? UInt32(node)) &* multiplier
                                        }
                                        loop.add(
                                            node: node, nodePart: nodePart, dayPart: dayPart,
                                            combinationPart: combinationPart, passes: passes, sums: sums,
                                            counts: counts, lastNode: lastNode)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One node, for key spaces beyond 64 bits: keys as code tuples.
    private mutating func addTuples(node: Int) {
        let rows = table.rows(ofRank: Int(rankOf[node]), in: window)
        guard !rows.isEmpty else { return }
        if slots.count < rows.count { slots = [Int32](repeating: -1, count: max(rows.count, 2 * slots.count)) }
        let marker = Int32(node)
        var offset = 0
        for row in rows {
            defer { offset += 1 }
            let combination = Int(table.combinations[row])
            if let passes = combinationPasses, !passes[combination] {
                slots[offset] = -1
                continue
            }
            let slot = slot(forTuple: tuple(node: node, row: row, combination: combination))
            slots[offset] = slot
            if lastNode[Int(slot)] != marker {
                lastNode[Int(slot)] = marker
                nodes[Int(slot)] += 1
            }
        }
        let stride = stride
        slots.withUnsafeBufferPointer { slots in
            sums.withUnsafeMutableBufferPointer { sums in
                for (measure, column) in measureColumns.enumerated() {
                    column.add(rows, slots: slots, into: sums.baseAddress! + measure, stride: stride)
                }
            }
        }
    }

    /// Adds precomputed totals to the group of window day `offset` (grouping by day alone, no event matches):
    /// `values(m)` for each measure asked, and `count` distinct nodes none of which is added otherwise.
    mutating func addDay(offset: Int, count: UInt32, values: (Int) -> Int64) {
        let slot = slot(forKey: dayPart[offset])
        nodes[Int(slot)] += count
        for measure in 0..<stride { sums[Int(slot) * stride + measure] &+= Int128(values(measure)) }
    }

    @inline(__always)
    private mutating func slot(forKey key: UInt64) -> Int32 {
        if case .dense = storage { return Int32(truncatingIfNeeded: key) }
        if let slot = slotOfKey[key] { return slot }
        let slot = appendSlot()
        slotOfKey[key] = slot
        keys.append(key)
        return slot
    }

    private mutating func slot(forTuple tuple: [UInt32]) -> Int32 {
        if let slot = slotOfTuple[tuple] { return slot }
        let slot = appendSlot()
        slotOfTuple[tuple] = slot
        tuples.append(tuple)
        return slot
    }

    private mutating func appendSlot() -> Int32 {
        sums.append(contentsOf: repeatElement(0, count: stride))
        nodes.append(0)
        lastNode.append(-1)
        return Int32(nodes.count - 1)
    }

    private func tuple(node: Int, row: Int, combination: Int) -> [UInt32] {
        let firstDay = Int(table.firstDay) + Int(window.lowerBound)
        let day = Int(table.firstDay) + Int(table.days[row])
        return parts.map { part in
            switch part {
            case .day, .week, .month: UInt32(Self.timeCode(part, day: day, first: firstDay))
            case .node: UInt32(node)
            case .attribute(let column): column.key(of: node)
            case .dimension(let dictionary, let codes): dictionary.key(ofCode: codes[combination])
            }
        }
    }

    /// Whether groups of separate node sets can be added up by ``merge(_:)`` (not with code tuples).
    var mergeable: Bool { storage != .tuples }

    /// Adds the groups of `other`, which grouped other nodes with the same keys (a chunk of the same scope).
    ///
    /// Distinct-node counts add up because no node was added to both.
    mutating func merge(_ other: EventGrouping) {
        switch storage {
        case .dense:
            for index in sums.indices { sums[index] &+= other.sums[index] }
            for index in nodes.indices { nodes[index] &+= other.nodes[index] }
        case .keyed:
            for (otherSlot, key) in other.keys.enumerated() {
                let slot: Int
                if let known = slotOfKey[key] {
                    slot = Int(known)
                } else {
                    slot = nodes.count
                    slotOfKey[key] = Int32(slot)
                    keys.append(key)
                    sums.append(contentsOf: repeatElement(0, count: stride))
                    nodes.append(0)
                    lastNode.append(-1)
                }
                nodes[slot] &+= other.nodes[otherSlot]
                for measure in 0..<stride { sums[slot * stride + measure] &+= other.sums[otherSlot * stride + measure] }
            }
        case .tuples:
            preconditionFailure("groups by code tuples are not merged")
        }
    }

    /// One group as read back: its key numbers, its sums (one per measure asked) and its distinct nodes.
    struct Group {
        var codes: [UInt32]
        var sums: ArraySlice<Int128>
        var nodes: UInt32
    }

    /// Every group with a counted event, in key order.
    func groups() -> [Group] {
        var ordered: [(codes: [UInt32], slot: Int)] = []
        switch storage {
        case .dense:
            for slot in nodes.indices.dropLast() where nodes[slot] > 0 { ordered.append((decode(UInt64(slot)), slot)) }
        case .keyed:
            let order = keys.indices.sorted { keys[$0] < keys[$1] }
            ordered = order.map { (decode(keys[$0]), $0) }
        case .tuples:
            ordered = tuples.indices.map { (tuples[$0], $0) }
            ordered.sort { $0.codes.lexicographicallyPrecedes($1.codes) }
        }
        return ordered.compactMap { codes, slot in
            nodes[slot] > 0
                ? Group(codes: codes, sums: sums[(slot * stride)..<((slot + 1) * stride)], nodes: nodes[slot]) : nil
        }
    }

    private func decode(_ key: UInt64) -> [UInt32] {
        var rest = key
        var codes = [UInt32](repeating: 0, count: parts.count)
        for index in parts.indices.reversed() {
            codes[index] = UInt32(rest % radices[index])
            rest /= radices[index]
        }
        return codes
    }

    /// The text of key number `code` of group-by entry `index`.
    func text(ofCode code: UInt32, part index: Int) -> String {
        let firstDay = Int(table.firstDay) + Int(window.lowerBound)
        switch parts[index] {
        case .day:
            return Day(daysSinceEpoch: Int32(firstDay + Int(code))).isoString
        case .week:
            return Day(daysSinceEpoch: Int32(Self.monday(firstDay) + 7 * Int(code))).isoString
        case .month:
            let month = Self.month(firstDay) + Int(code)
            let (year, monthOfYear) = (month / 12, month % 12 + 1)
            let yearText = String(year)
            let monthText = String(monthOfYear)
            return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-"
                + (monthOfYear < 10 ? "0" : "") + monthText
        case .node:
            return ids[Int(code)].canonical
        case .attribute(let column):
            return column.dictionary.text(ofKey: code)
        case .dimension(let dictionary, _):
            return dictionary.text(ofKey: code)
        }
    }
}

/// The inner loop of ``EventGrouping``'s dense accumulation, over raw views of the event table that stay valid
/// while the table lives.
private struct DenseRows {
    let days: UnsafeBufferPointer<UInt16>
    let starts: UnsafeBufferPointer<UInt32>
    let ends: UnsafeBufferPointer<UInt32>
    let rankOf: UnsafeBufferPointer<Int32>
    let combinations: PackedCodes.Reader
    let measures: [PackedIntegers.Reader]
    let window: ClosedRange<UInt16>
    /// The slot of rows the event scope leaves out.
    let discard: Int

    /// Adds `node`'s rows in the window to the slot of each row's key.
    @inline(__always)
    func add(
        node: Int32, nodePart: UInt64, dayPart: UnsafeBufferPointer<UInt64>,
        combinationPart: UnsafeBufferPointer<UInt64>, passes: UnsafeBufferPointer<Bool>,
        sums: UnsafeMutableBufferPointer<Int128>, counts: UnsafeMutableBufferPointer<UInt32>,
        lastNode: UnsafeMutableBufferPointer<Int32>
    ) {
        let rank = Int(rankOf[Int(node)])
        let rows = EventTable.rows(in: window, Int(starts[rank]), Int(ends[rank]), days)
        let low = window.lowerBound
        let stride = measures.count
        // Branch-free per row: which rows pass and which node is new to a slot follow no pattern a predictor learns.
        for row in rows {
            let combination = Int(combinations[row])
            let key = Int(
                truncatingIfNeeded: nodePart &+ dayPart[Int(days[row] &- low)] &+ combinationPart[combination])
            let slot = passes[combination] ? key : discard
            counts[slot] &+= lastNode[slot] != node ? 1 : 0
            lastNode[slot] = node
            if stride == 1 {
                sums[slot] &+= Int128(measures[0][row])
            } else {
                for measure in 0..<stride { sums[slot &* stride &+ measure] &+= Int128(measures[measure][row]) }
            }
        }
    }
}
