/// Every node's running totals by day for one event source, day-major: `running[d][r]` is the sum of a measure over
/// the rows of the node of rank `r` on days before day offset `d`. A node's total over any window is then two
/// loads, and the totals of every node over a window are two contiguous rows subtracted: what a leaderboard over
/// everyone needs, without reading the millions of rows in the window.
///
/// Only dense sources get one (nodes × days at most twice the rows, as in a busy organisation over a few months),
/// for no event matches; a source of sparse events is read row by row, which is then cheap. Each measure's
/// columns take 2, 4 or 8 bytes per entry as its largest node total needs.
struct CumulativeDayTotals: Sendable {
    /// Values per day row (one per rank) and day rows (`dayCount + 1`).
    let nodeCount: Int
    let dayCount: Int
    /// Per measure, `(dayCount + 1) * nodeCount` running totals.
    let measures: [Column]

    enum Column: Sendable {
        case narrow([UInt16])
        case medium([UInt32])
        case wide([Int64])

        var byteCount: Int {
            switch self {
            case .narrow(let values): values.count * 2
            case .medium(let values): values.count * 4
            case .wide(let values): values.count * 8
            }
        }
    }

    /// Totals made of their parts (carried over a refresh).
    init(nodeCount: Int, dayCount: Int, measures: [Column]) {
        self.nodeCount = nodeCount
        self.dayCount = dayCount
        self.measures = measures
    }

    /// Whether `table` is dense enough to get running totals.
    static func worthBuilding(_ table: EventTable, nodeCount: Int) -> Bool {
        let rows = table.days.count
        return rows > 0 && nodeCount > 0 && (table.dayCount + 1) * nodeCount <= 2 * rows
    }

    /// Builds the running totals of `table`, or `nil` when some node's values could pass 64 bits part way.
    ///
    /// Per measure, one pass finds the largest node total (the entry width), a second adds each rank's rows into
    /// their day rows (ranks in order, so the day rows written are a few hundred cache lines at a time), then each
    /// day row is added to the next.
    init?(table: EventTable, nodeCount: Int) {
        self.nodeCount = nodeCount
        self.dayCount = table.dayCount
        var measures: [Column] = []
        for column in table.measures {
            var largest: Int64 = 0
            var negative = false
            var fits = true
            withExtendedLifetime(table) {
                let starts = table.rowStarts.unsafeElements
                let ends = table.rowEnds.unsafeElements
                column.withReader { values in
                    for rank in 0..<nodeCount {
                        var magnitude: UInt64 = 0
                        var total: Int64 = 0
                        for row in Int(starts[rank])..<Int(ends[rank]) {
                            let value = values[row]
                            let (sum, over) = magnitude.addingReportingOverflow(value.magnitude)
                            magnitude = sum
                            fits = fits && !over
                            total &+= value
                            negative = negative || value < 0
                        }
                        fits = fits && magnitude <= UInt64(Int64.max)
                        largest = max(largest, total)
                    }
                }
            }
            guard fits else { return nil }
            if negative {
                measures.append(.wide(Self.running(column, table: table, nodeCount: nodeCount, as: Int64.self)))
            } else if largest <= Int64(UInt16.max) {
                measures.append(.narrow(Self.running(column, table: table, nodeCount: nodeCount, as: UInt16.self)))
            } else if largest <= Int64(UInt32.max) {
                measures.append(.medium(Self.running(column, table: table, nodeCount: nodeCount, as: UInt32.self)))
            } else {
                measures.append(.wide(Self.running(column, table: table, nodeCount: nodeCount, as: Int64.self)))
            }
        }
        self.measures = measures
    }

    /// The day-major running totals of `column`, in entries of type `T` that hold every one of them.
    private static func running<T: FixedWidthInteger>(
        _ column: PackedIntegers, table: EventTable, nodeCount: Int, as _: T.Type
    ) -> [T] {
        let width = table.dayCount + 1
        var running = [T](repeating: 0, count: width * nodeCount)
        withExtendedLifetime(table) {
            let starts = table.rowStarts.unsafeElements
            let ends = table.rowEnds.unsafeElements
            let days = table.days.unsafeElements
            column.withReader { values in
                running.withUnsafeMutableBufferPointer { running in
                    for rank in 0..<nodeCount {
                        for row in Int(starts[rank])..<Int(ends[rank]) {
                            // Day row d + 1 holds "before d + 1" once the rows are added up over days.
                            running[(Int(days[row]) + 1) * nodeCount + rank] &+= T(truncatingIfNeeded: values[row])
                        }
                    }
                    for day in 1..<width {
                        let previous = (day - 1) * nodeCount
                        let current = day * nodeCount
                        for rank in 0..<nodeCount { running[current + rank] &+= running[previous + rank] }
                    }
                }
            }
        }
        return running
    }

    /// Writes into `own[i]` the total of measure `measure` over days `window` of the node of rank
    /// `ranks.lowerBound + i`, for every rank of `ranks`.
    func totals<Sum: FixedWidthInteger>(
        measure: Int, window: ClosedRange<UInt16>, ranks: Range<Int32>, into own: UnsafeMutableBufferPointer<Sum>
    ) {
        let low = Int(window.lowerBound) * nodeCount + Int(ranks.lowerBound)
        let high = (Int(window.upperBound) + 1) * nodeCount + Int(ranks.lowerBound)
        let count = ranks.count
        switch measures[measure] {
        case .narrow(let values):
            values.withUnsafeBufferPointer { values in
                for index in 0..<count { own[index] = Sum(values[high + index] &- values[low + index]) }
            }
        case .medium(let values):
            values.withUnsafeBufferPointer { values in
                for index in 0..<count { own[index] = Sum(values[high + index] &- values[low + index]) }
            }
        case .wide(let values):
            values.withUnsafeBufferPointer { values in
                for index in 0..<count { own[index] = Sum(values[high + index] &- values[low + index]) }
            }
        }
    }

    var byteCount: Int { measures.reduce(0) { $0 + $1.byteCount } }
}
