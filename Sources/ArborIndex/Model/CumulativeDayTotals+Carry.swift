/// Carrying running day totals across an incremental refresh, so a refreshed index ranks by windows as fast as the
/// one before it without reading its rows again.
///
/// The new totals are the old ones laid out for the new table's days and ranks (a copy, or a gather when ranks
/// moved), plus each changed (node, day)'s delta on every later day row: linear in nodes × days for the copy and in
/// changes × days for the deltas, against a build's pass over every row.
extension CumulativeDayTotals {
    /// Where the new table's ranks come from.
    enum RankMapping {
        /// Old ranks stay; ranks past the old count are new nodes, with no rows before the refresh.
        case kept
        /// Rank `r` was old rank `oldRankOfRank[r]`, or a new node when it is negative; old ranks nobody takes are
        /// removed nodes, whose rows the new table no longer holds.
        case moved(oldRankOfRank: [Int32])
    }

    /// The running totals of `table`, the table these totals' table became after a refresh (`oldFirstDay` was its
    /// first day), or `nil` when they cannot be carried: a column is wide (it may hold negative day totals), or a changed node's totals no longer fit its column's
    /// unsigned width or no longer grow day by day (a build then picks the width again).
    ///
    /// - Parameters:
    ///   - changes: every (node, day) whose rows changed, with the change of each measure (``RunChange``).
    ///   - rankOf: the rank of a node index of the new index.
    func carried(
        oldFirstDay: Int32, to table: EventTable, nodeCount newNodeCount: Int, ranks: RankMapping,
        changes: [RunChange], rankOf: (Int) -> Int32
    ) -> CumulativeDayTotals? {
        guard table.measures.count == measures.count else { return nil }
        if case .kept = ranks, newNodeCount < nodeCount { return nil }
        var carried: [Column] = []
        for (index, column) in measures.enumerated() {
            let layout = Layout(
                old: self, oldFirstDay: oldFirstDay, table: table, nodeCount: newNodeCount, ranks: ranks)
            let deltas = Deltas(changes: changes, measure: index, measureCount: measures.count, rankOf: rankOf)
            switch column {
            case .narrow(let values):
                guard let new = layout.carry(values, applying: deltas) else { return nil }
                carried.append(.narrow(new))
            case .medium(let values):
                guard let new = layout.carry(values, applying: deltas) else { return nil }
                carried.append(.medium(new))
            case .wide:
                // Wide columns may hold negative day totals, where a window's total could pass 64 bits part way:
                // only a build checks that.
                return nil
            }
        }
        return CumulativeDayTotals(nodeCount: newNodeCount, dayCount: table.dayCount, measures: carried)
    }

    /// One measure's changes as (rank, day, delta) triples.
    private struct Deltas {
        var entries: [(rank: Int, day: Int32, delta: Int128)] = []

        init(changes: [RunChange], measure: Int, measureCount: Int, rankOf: (Int) -> Int32) {
            for change in changes {
                let rank = Int(rankOf(change.node))
                for (offset, day) in change.days.enumerated() {
                    let delta = change.sums[offset * measureCount + measure]
                    if delta != 0 { entries.append((rank, day, delta)) }
                }
            }
        }
    }

    /// How the old day rows and ranks map onto the new ones.
    private struct Layout {
        let oldNodeCount: Int
        let oldDayCount: Int
        /// New day offset `d` is old day offset `d + dayShift` (clamped to the old rows).
        let dayShift: Int
        let firstDay: Int32
        let nodeCount: Int
        let dayCount: Int
        let ranks: RankMapping

        init(old: CumulativeDayTotals, oldFirstDay: Int32, table: EventTable, nodeCount: Int, ranks: RankMapping) {
            self.oldNodeCount = old.nodeCount
            self.oldDayCount = old.dayCount
            // An old table without days has all-zero totals: any shift reads zeros.
            self.dayShift = old.dayCount == 0 ? 0 : Int(table.firstDay) - Int(oldFirstDay)
            self.firstDay = table.firstDay
            self.nodeCount = nodeCount
            self.dayCount = table.dayCount
            self.ranks = ranks
        }

        /// The old column laid out anew with `deltas` added, or `nil` when a total leaves `T`'s range or a changed
        /// node's day total is negative (a window's total is a difference of two entries, which must not wrap).
        func carry<T: FixedWidthInteger & UnsignedInteger>(_ old: [T], applying deltas: Deltas) -> [T]? {
            let width = dayCount + 1
            var new = [T](repeating: 0, count: width * nodeCount)
            new.withUnsafeMutableBufferPointer { new in
                old.withUnsafeBufferPointer { old in
                    for day in 0..<width {
                        // Row d holds the totals before day d; rows before the old first day hold nothing, rows past
                        // the old last day everything.
                        let oldRow = min(max(day + dayShift, 0), oldDayCount)
                        let source = oldRow * oldNodeCount
                        let target = day * nodeCount
                        switch ranks {
                        case .kept:
                            for rank in 0..<oldNodeCount { new[target + rank] = old[source + rank] }
                        case .moved(let oldRankOfRank):
                            for rank in 0..<nodeCount where oldRankOfRank[rank] >= 0 {
                                new[target + rank] = old[source + Int(oldRankOfRank[rank])]
                            }
                        }
                    }
                }
            }
            var fits = true
            new.withUnsafeMutableBufferPointer { new in
                for entry in deltas.entries {
                    // The change counts in every row after its day.
                    let from = max(Int(entry.day - firstDay) + 1, 0)
                    guard from <= dayCount else { continue }
                    for day in from...dayCount {
                        let slot = day * nodeCount + entry.rank
                        guard let value = T(exactly: Int128(new[slot]) + entry.delta) else {
                            fits = false
                            return
                        }
                        new[slot] = value
                    }
                }
            }
            guard fits else { return nil }
            for rank in Set(deltas.entries.map(\.rank)) where dayCount > 0 {
                for day in 1...dayCount where new[day * nodeCount + rank] < new[(day - 1) * nodeCount + rank] {
                    return nil
                }
            }
            return new
        }
    }
}
