import ArborModel

/// How one node's rows changed in an incremental refresh, per day: what the per-day downline totals of the
/// components that reach the node (``SubtreeDays``) add.
struct RunChange {
    /// The node (index in the new index).
    let node: Int
    /// Absolute days (days since 1970-01-01) on which the node's rows changed, ascending.
    var days: [Int32] = []
    /// Per day, the change of each measure: `sums[i * measureCount + m]`.
    var sums: [Int128] = []
    /// Per day: +1 when the node had no row that day and has one now, -1 for the reverse, else 0.
    var presence: [Int8] = []
}

/// Applying rollup deltas to a table without laying it out again.
///
/// A changed node's run is merged with its deltas and written after the last row, and its rank points there; every
/// other run stays where it is, so the work is proportional to the changed runs (plus one copy of the per-rank
/// start and end arrays when an existing rank moves). The unused rows stay until the next build.
extension EventTable {
    /// One delta row resolved to codes.
    private struct Edit {
        var rank: Int32
        var node: Int32
        var day: Int32
        var combination: UInt32
        var row: Int32
    }

    /// The table of a hierarchy whose ranks changed: rank `r` takes the run of old rank `oldRankOfRank[r]` (none
    /// when it is negative: a node new to the index). Runs of ranks nobody takes (removed nodes) are dropped.
    func remapped(oldRankOfRank: [Int32]) -> EventTable {
        var starts = [UInt32](repeating: 0, count: oldRankOfRank.count)
        var ends = [UInt32](repeating: 0, count: oldRankOfRank.count)
        var taken = [Bool](repeating: false, count: rowStarts.count)
        for (rank, old) in oldRankOfRank.enumerated() where old >= 0 {
            starts[rank] = rowStarts[Int(old)]
            ends[rank] = rowEnds[Int(old)]
            taken[Int(old)] = true
        }
        var rowsPerDay = self.rowsPerDay
        var eventCount = self.eventCount
        for old in 0..<rowStarts.count where !taken[old] {
            for row in rows(ofRank: old) {
                rowsPerDay[Int(days[row])] -= 1
                eventCount &-= UInt64(measures[0][row])
            }
        }
        return EventTable(
            firstDay: firstDay, dayCount: dayCount, rowStarts: AppendableArray(starts), rowEnds: AppendableArray(ends),
            days: days, combinations: combinations, measures: measures, dimensions: dimensions,
            combinationCodes: combinationCodes, eventCount: eventCount, rowsPerDay: rowsPerDay)
    }

    /// The table with `rows` added (measures are deltas) for a hierarchy of `rankCount` ranks (at least the
    /// table's: ranks past its end are new nodes, whose runs start empty), and how each changed node's rows changed.
    ///
    /// - Parameters:
    ///   - node: the index of an id in the new index, `nil` when it is no node (its rows are ignored).
    ///   - rankOf: the rank of a node index.
    /// - Throws: ``ModelIndexError`` as a build of the updated rows would (a negative count, days too far apart),
    ///   and ``ModelIndexError/Code/notIncremental`` when a row's sum would pass 64 bits (a build keeps such rows
    ///   apart; a build is then the way to get it right).
    func applying(
        _ rows: EventRollupRows, source: ResolvedModel.Source, rankCount: Int, node: (NodeID) -> Int?,
        rankOf: (Int) -> Int32, idOf: (Int) -> NodeID
    ) throws(ModelIndexError) -> (table: EventTable, changes: [RunChange]) {
        let measureCount = source.measures.count
        guard rows.days.count == rows.count, rows.dimensions.count == source.dimensions.count,
            rows.dimensions.allSatisfy({ $0.count == rows.count }), rows.measures.count == measureCount,
            rows.measures.allSatisfy({ $0.count == rows.count })
        else {
            throw .shape(
                "event deltas of \(source.name): expected \(source.dimensions.count) dimension and "
                    + "\(measureCount) measure columns of \(rows.count) rows each")
        }
        let appendedFrom = rowStarts.count
        /// Ranks past the table's end are new nodes with no rows yet.
        func extended() -> EventTable {
            guard rankCount > appendedFrom else { return self }
            let added = rankCount - appendedFrom
            return withRuns(
                starts: rowStarts.appending(contentsOf: repeatElement(0, count: added)),
                ends: rowEnds.appending(contentsOf: repeatElement(0, count: added)))
        }
        guard rows.count > 0 else { return (extended(), []) }

        // Resolve ids, dimension values and combinations; new values and combinations extend the dictionaries.
        var edits: [Edit] = []
        edits.reserveCapacity(rows.count)
        var lastID: NodeID? = nil
        var lastNode: Int? = nil
        var kept: [Int] = []
        for row in 0..<rows.count {
            let id = rows.nodes[row]
            if id != lastID {
                lastID = id
                lastNode = node(id)
            }
            guard let index = lastNode else { continue }
            guard rows.measures.contains(where: { $0[row] != 0 }) else { continue }
            kept.append(row)
            edits.append(
                Edit(
                    rank: rankOf(index), node: Int32(index), day: rows.days[row].daysSinceEpoch, combination: 0,
                    row: Int32(row)))
        }
        guard !edits.isEmpty else { return (extended(), []) }
        let (dimensions, combinationCodes, combinationOfEdit) = try resolveCombinations(
            rows, kept: kept, source: source)
        for index in edits.indices { edits[index].combination = combinationOfEdit[index] }
        edits.sort { ($0.rank, $0.day, $0.combination) < ($1.rank, $1.day, $1.combination) }

        // Merge each touched run with its edits, in (day, combination) order, into new rows.
        var newDays: [Int32] = []
        var newCombinations: [UInt32] = []
        var newMeasures = [[Int64]](repeating: [], count: measureCount)
        var movedRanks: [(rank: Int, start: Int, end: Int)] = []
        var changes: [RunChange] = []
        var rowsPerDayChange: [Int32: Int] = [:]
        var eventCountChange: Int128 = 0
        var first = 0
        var values = [Int128](repeating: 0, count: measureCount)
        while first < edits.count {
            let rank = Int(edits[first].rank)
            var end = first
            while end < edits.count, edits[end].rank == edits[first].rank { end += 1 }
            let node = Int(edits[first].node)
            let oldRows = rank < appendedFrom ? self.rows(ofRank: rank) : 0..<0
            let start = newDays.count
            var change = RunChange(node: node)
            var oldPerDay: [Int32: [Int128]] = [:]
            var newPerDay: [Int32: [Int128]] = [:]
            for row in oldRows {
                let day = firstDay + Int32(days[row])
                var sums = oldPerDay[day] ?? [Int128](repeating: 0, count: measureCount)
                for measure in 0..<measureCount { sums[measure] += Int128(measures[measure][row]) }
                oldPerDay[day] = sums
                rowsPerDayChange[day, default: 0] -= 1
                eventCountChange -= Int128(measures[0][row])
            }
            var oldRow = oldRows.lowerBound
            var edit = first
            while oldRow < oldRows.upperBound || edit < end {
                // The next key: the smaller of the old row's and the edit's.
                let oldKey =
                    oldRow < oldRows.upperBound
                    ? (firstDay + Int32(days[oldRow]), UInt32(combinations[oldRow])) : nil
                let editKey = edit < end ? (edits[edit].day, edits[edit].combination) : nil
                let key: (Int32, UInt32)
                if let oldKey, let editKey {
                    key = oldKey < editKey ? oldKey : editKey
                } else {
                    key = (oldKey ?? editKey)!
                }
                for measure in 0..<measureCount { values[measure] = 0 }
                while oldRow < oldRows.upperBound, (firstDay + Int32(days[oldRow]), UInt32(combinations[oldRow])) == key
                {
                    for measure in 0..<measureCount { values[measure] += Int128(measures[measure][oldRow]) }
                    oldRow += 1
                }
                while edit < end, (edits[edit].day, edits[edit].combination) == key {
                    let row = Int(edits[edit].row)
                    for measure in 0..<measureCount { values[measure] += Int128(rows.measures[measure][row]) }
                    edit += 1
                }
                guard values[0] >= 0 else {
                    throw .negativeCount(source: source.name, node: idOf(node), day: Day(daysSinceEpoch: key.0))
                }
                guard values[0] > 0 else { continue }
                guard values.allSatisfy({ Int64(exactly: $0) != nil }) else {
                    throw .notIncremental(
                        "a rollup row of \(source.name) for node \(ModelIndexError.shortened(idOf(node).canonical)) "
                            + "no longer fits in 64 bits")
                }
                newDays.append(key.0)
                newCombinations.append(key.1)
                for measure in 0..<measureCount { newMeasures[measure].append(Int64(values[measure])) }
                var sums = newPerDay[key.0] ?? [Int128](repeating: 0, count: measureCount)
                for measure in 0..<measureCount { sums[measure] += values[measure] }
                newPerDay[key.0] = sums
                rowsPerDayChange[key.0, default: 0] += 1
                eventCountChange += values[0]
            }
            movedRanks.append((rank, start, newDays.count))
            for day in Set(oldPerDay.keys).union(newPerDay.keys).sorted() {
                let old = oldPerDay[day]
                let new = newPerDay[day]
                guard old != new else { continue }
                change.days.append(day)
                for measure in 0..<measureCount {
                    change.sums.append((new?[measure] ?? 0) - (old?[measure] ?? 0))
                }
                change.presence.append(old == nil ? 1 : (new == nil ? -1 : 0))
            }
            if !change.days.isEmpty { changes.append(change) }
            first = end
        }

        // The day span of the result: the old one (rows may remain on any of its days) and the new rows' days.
        var low = dayCount > 0 ? firstDay : Int32.max
        var high = dayCount > 0 ? firstDay + Int32(dayCount) - 1 : Int32.min
        for day in newDays {
            low = min(low, day)
            high = max(high, day)
        }
        var rowsPerDay = self.rowsPerDay
        var columnDays = self.days
        var newFirstDay = firstDay
        var newDayCount = dayCount
        if low <= high {
            guard Int(high) - Int(low) < Self.maximumDaySpan else {
                throw .dayRangeTooWide(
                    source: source.name, first: Day(daysSinceEpoch: low), last: Day(daysSinceEpoch: high))
            }
            if dayCount > 0, low < firstDay {
                // Every stored day moves up by the days added in front.
                let shift = UInt16(firstDay - low)
                columnDays = AppendableArray(columnDays.withUnsafeBufferPointer { $0.map { $0 + shift } })
                rowsPerDay = [UInt32](repeating: 0, count: Int(shift)) + rowsPerDay
            }
            newFirstDay = low
            newDayCount = Int(high - low) + 1
            rowsPerDay += [UInt32](repeating: 0, count: newDayCount - rowsPerDay.count)
        }
        for (day, change) in rowsPerDayChange {
            let offset = Int(day - newFirstDay)
            rowsPerDay[offset] = UInt32(Int(rowsPerDay[offset]) + change)
        }
        guard columnDays.count + newDays.count <= Int(UInt32.max) else {
            throw .tooLarge("events of \(source.name) need more than \(UInt32.max) rows")
        }

        // Append the new rows and point the moved ranks at them.
        let base = columnDays.count
        columnDays = columnDays.appending(contentsOf: newDays.map { UInt16($0 - newFirstDay) })
        let newCombinationColumn = combinations.appending(newCombinations)
        let newMeasureColumns = (0..<measureCount).map { measures[$0].appending(newMeasures[$0]) }
        var starts = rowStarts
        var ends = rowEnds
        var startChanges: [(index: Int, value: UInt32)] = []
        var endChanges: [(index: Int, value: UInt32)] = []
        var tailStarts = [UInt32](repeating: 0, count: max(0, rankCount - appendedFrom))
        var tailEnds = tailStarts
        for moved in movedRanks {
            let (start, end) = (UInt32(base + moved.start), UInt32(base + moved.end))
            if moved.rank >= appendedFrom {
                tailStarts[moved.rank - appendedFrom] = start
                tailEnds[moved.rank - appendedFrom] = end
            } else {
                startChanges.append((moved.rank, start))
                endChanges.append((moved.rank, end))
            }
        }
        // New ranks are appended in place; existing ranks that moved need a copy of the per-rank arrays.
        starts = starts.appending(contentsOf: tailStarts).replacing(startChanges)
        ends = ends.appending(contentsOf: tailEnds).replacing(endChanges)
        let eventCount = Int128(self.eventCount) + eventCountChange
        let result = EventTable(
            firstDay: newFirstDay, dayCount: newDayCount, rowStarts: starts, rowEnds: ends, days: columnDays,
            combinations: newCombinationColumn, measures: newMeasureColumns, dimensions: dimensions,
            combinationCodes: combinationCodes, eventCount: UInt64(clamping: eventCount), rowsPerDay: rowsPerDay)
        return (result, changes)
    }

    /// The same table with other per-rank runs.
    private func withRuns(starts: AppendableArray<UInt32>, ends: AppendableArray<UInt32>) -> EventTable {
        EventTable(
            firstDay: firstDay, dayCount: dayCount, rowStarts: starts, rowEnds: ends, days: days,
            combinations: combinations, measures: measures, dimensions: dimensions, combinationCodes: combinationCodes,
            eventCount: eventCount, rowsPerDay: rowsPerDay)
    }

    /// The dimension dictionaries and combinations extended by the values of the `kept` delta rows, and the
    /// combination of each kept row.
    private func resolveCombinations(
        _ rows: EventRollupRows, kept: [Int], source: ResolvedModel.Source
    ) throws(ModelIndexError) -> (dimensions: [ValueDictionary], codes: [[UInt32]], ofRow: [UInt32]) {
        guard !source.dimensions.isEmpty else {
            return (dimensions, combinationCodes, [UInt32](repeating: 0, count: kept.count))
        }
        var dimensions = self.dimensions
        var combinationCodes = self.combinationCodes
        var rowCodes: [[UInt32]] = []
        for (index, dimension) in source.dimensions.enumerated() {
            let column = rows.dimensions[index]
            var dictionary = dimensions[index]
            var added: [String] = []
            var seen = Set<ByteString>()
            for row in kept {
                guard let value = column[row], dictionary.code(of: value) == nil else { continue }
                if seen.insert(ByteString(value)).inserted { added.append(value) }
            }
            if !added.isEmpty {
                // Codes follow byte order: the old codes move to make room, in the combinations too.
                let old = (0..<dictionary.count).map { dictionary.values[$0] }
                let distinct = (old + added).sorted { ByteString.precedes($0, $1) }
                let grown = try ValueDictionary(
                    distinct: distinct, type: dimension.type, what: "values of \(dimension.name)")
                var newCode = [UInt32](repeating: 0, count: old.count + 1)
                for code in 1..<(old.count + 1) { newCode[code] = grown.code(of: old[code - 1])! }
                combinationCodes[index] = combinationCodes[index].map { newCode[Int($0)] }
                dictionary = grown
                dimensions[index] = grown
            }
            rowCodes.append(kept.map { row in column[row].map { dictionary.code(of: $0)! } ?? 0 })
        }
        var numberOf: [[UInt32]: UInt32] = [:]
        let count = combinationCodes[0].count
        for combination in 0..<count {
            numberOf[combinationCodes.map { $0[combination] }] = UInt32(combination)
        }
        var ofRow: [UInt32] = []
        ofRow.reserveCapacity(kept.count)
        for position in kept.indices {
            let tuple = rowCodes.map { $0[position] }
            if let number = numberOf[tuple] {
                ofRow.append(number)
            } else {
                let number = UInt32(combinationCodes[0].count)
                numberOf[tuple] = number
                for index in combinationCodes.indices { combinationCodes[index].append(tuple[index]) }
                ofRow.append(number)
            }
        }
        return (dimensions, combinationCodes, ofRow)
    }
}
