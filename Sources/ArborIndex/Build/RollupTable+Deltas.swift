import ArborModel

/// Applying the change log's rollup deltas to a table without building it again.
///
/// Only the runs of users named by a delta are recomputed (a merge by day of the old run and the user's deltas);
/// every other run is copied in bulk, one linear pass per column, and the per-user offsets are shifted. Day and
/// pair limits are checked on the result exactly as a build of the updated rows would check them.
extension RollupTable {
    /// One delta resolved to codes: a user index, an absolute day, a pair code (new pairs numbered after the table's).
    private struct Edit {
        var user: Int32
        var day: Int32
        var pair: UInt32
        var delta: Int128
    }

    /// A stretch of rows of the new columns: old rows copied as they are, or rows of recomputed runs.
    private struct Segment {
        var start: Int
        var count: Int
        var recomputed: Bool
    }

    /// A user whose run was recomputed: the old rows before the first edited day stay as they are (deltas mostly
    /// land on the last days, so this is most of the run), the rest comes from the scratch columns.
    private struct RecomputedRun {
        var user: Int
        /// Old rows kept: `offsets[user] ..< keptEnd`.
        var keptEnd: Int
        /// Rows that follow them, in the scratch columns.
        var rows: Range<Int>
        var total: UInt64
    }

    /// The recomputed runs, days absolute and pairs as provisional codes.
    private struct Scratch {
        var days: [Int32] = []
        var pairs: [UInt32] = []
        var counts: [Count] = []
        var runs: [RecomputedRun] = []

        /// Appends one (day, pair) row, split into several when the count exceeds `Count.max` (sums do not care).
        mutating func append(day: Int32, pair: UInt32, count: UInt64) {
            var remaining = count
            while remaining > 0 {
                let part = min(remaining, UInt64(Count.max))
                days.append(day)
                pairs.append(pair)
                counts.append(Count(part))
                remaining -= part
            }
        }
    }

    /// The table with `deltas` added: a row whose count reaches zero disappears, deltas of users not in `indexOf`
    /// and zero deltas are ignored, repeated keys add up.
    ///
    /// - Throws: ``IndexBuildError`` when a count would drop below zero (the deltas do not belong to this table) or
    ///   exceed ``maximumCount``, or when the result breaks a build limit (days, pairs).
    func applying(_ deltas: [RollupRow], indexOf: [UserID: Int32], userIDs: [UserID]) throws(IndexBuildError)
        -> RollupTable
    {
        var pairs: [(type: String?, channel: String?)] = (0..<combinationType.count).map {
            (types.value(combinationType[$0]), channels.value(combinationChannel[$0]))
        }
        let edits = resolve(deltas, indexOf: indexOf, pairs: &pairs)
        if edits.isEmpty { return self }
        let scratch = try recompute(edits, userIDs: userIDs, pairs: pairs)
        let runs = scratch.runs

        // The day span of the result, from the ends of every run (runs are sorted by day).
        let userCount = offsets.count - 1
        var low = Int32.max
        var high = Int32.min
        var next = 0
        for user in 0..<userCount {
            if next < runs.count, runs[next].user == user {
                let run = runs[next]
                next += 1
                if offsets[user] < run.keptEnd {
                    low = min(low, firstDay + Int32(days[offsets[user]]))
                    high = max(high, firstDay + Int32(days[run.keptEnd - 1]))
                }
                if !run.rows.isEmpty {
                    low = min(low, scratch.days[run.rows.lowerBound])
                    high = max(high, scratch.days[run.rows.upperBound - 1])
                }
            } else if offsets[user] < offsets[user + 1] {
                low = min(low, firstDay + Int32(days[offsets[user]]))
                high = max(high, firstDay + Int32(days[offsets[user + 1] - 1]))
            }
        }
        if low > high {
            low = 0
            high = -1
        }
        guard Int(high) - Int(low) < 65536 else { throw .dayRangeTooWide(first: low, last: high) }

        // Past 65,536 pairs, keep only the pairs some row still uses (as a build of the updated rows would).
        var remap: [UInt16]? = nil
        if pairs.count > 65536 {
            var used = [Bool](repeating: false, count: pairs.count)
            var next = 0
            for user in 0..<userCount {
                if next < runs.count, runs[next].user == user {
                    for row in offsets[user]..<runs[next].keptEnd { used[Int(combinations[row])] = true }
                    for row in runs[next].rows { used[Int(scratch.pairs[row])] = true }
                    next += 1
                } else {
                    for row in offsets[user]..<offsets[user + 1] { used[Int(combinations[row])] = true }
                }
            }
            let usedCount = used.lazy.filter { $0 }.count
            guard usedCount <= 65536 else { throw .tooManyCombinations(usedCount) }
            var codes = [UInt16](repeating: 0, count: pairs.count)
            var kept: [(type: String?, channel: String?)] = []
            for code in pairs.indices where used[code] {
                codes[code] = UInt16(kept.count)
                kept.append(pairs[code])
            }
            pairs = kept
            remap = codes
        }

        // Plan the new columns: stretches of old rows (untouched runs, then the kept start of a recomputed run)
        // alternate with recomputed rows; offsets shift by the rows inserted or removed before them.
        var segments: [Segment] = []
        segments.reserveCapacity(runs.count * 2 + 1)
        var newOffsets = [Int](repeating: 0, count: userCount + 1)
        var position = 0
        var nextOldRow = 0
        var nextUser = 0
        func copyOld(through user: Int, upTo oldEnd: Int) {
            let shift = position - nextOldRow
            for user in nextUser...user { newOffsets[user] = offsets[user] + shift }
            if oldEnd > nextOldRow {
                segments.append(Segment(start: nextOldRow, count: oldEnd - nextOldRow, recomputed: false))
            }
            position += oldEnd - nextOldRow
        }
        for run in runs {
            copyOld(through: run.user, upTo: run.keptEnd)
            if !run.rows.isEmpty {
                segments.append(Segment(start: run.rows.lowerBound, count: run.rows.count, recomputed: true))
            }
            position += run.rows.count
            nextOldRow = offsets[run.user + 1]
            nextUser = run.user + 1
        }
        copyOld(through: userCount, upTo: offsets[userCount])
        let rowCount = position

        let dayShift = firstDay - low
        let newDays = Self.column(rowCount, segments, old: days, recomputed: scratch.days) { target, count, old in
            if dayShift == 0 {
                target.initialize(from: old, count: count)
            } else {
                for row in 0..<count { (target + row).initialize(to: UInt16(Int32(old[row]) + dayShift)) }
            }
        } convert: {
            UInt16($0 - low)
        }
        let newCombinations = Self.column(rowCount, segments, old: combinations, recomputed: scratch.pairs) {
            target, count, old in
            if let remap {
                for row in 0..<count { (target + row).initialize(to: remap[Int(old[row])]) }
            } else {
                target.initialize(from: old, count: count)
            }
        } convert: {
            remap?[Int($0)] ?? UInt16($0)
        }
        let newCounts = Self.column(rowCount, segments, old: counts, recomputed: scratch.counts) { target, count, old in
            target.initialize(from: old, count: count)
        } convert: {
            $0
        }
        var newTotals = userTotals
        for run in runs { newTotals[run.user] = run.total }

        let pairsChanged = remap != nil || pairs.count != combinationType.count
        let newTypes = pairsChanged ? StringTable(distinct: pairs.map(\.type)) : types
        let newChannels = pairsChanged ? StringTable(distinct: pairs.map(\.channel)) : channels
        return RollupTable(
            firstDay: low, dayCount: Int(high) - Int(low) + 1, offsets: newOffsets, days: newDays,
            combinations: newCombinations, counts: newCounts,
            // Every value was put in its table just above.
            combinationType: pairsChanged ? pairs.map { newTypes.code(of: $0.type)! } : combinationType,
            combinationChannel: pairsChanged ? pairs.map { newChannels.code(of: $0.channel)! } : combinationChannel,
            types: newTypes, channels: newChannels, userTotals: newTotals)
    }

    /// Resolves deltas to codes, sorted by (user, day, pair) with repeated keys added up; unknown users and zero
    /// sums dropped. Pairs the table does not have are appended to `pairs`.
    private func resolve(
        _ deltas: [RollupRow], indexOf: [UserID: Int32], pairs: inout [(type: String?, channel: String?)]
    ) -> [Edit] {
        var pairCodes: [PairKey: UInt32] = [:]
        for (code, pair) in pairs.enumerated() {
            pairCodes[PairKey(type: pair.type.map(ByteString.init), channel: pair.channel.map(ByteString.init))] =
                UInt32(code)
        }
        var edits: [Edit] = []
        edits.reserveCapacity(deltas.count)
        for delta in deltas where delta.registrations != 0 {
            guard let user = indexOf[delta.user] else { continue }
            let key = PairKey(
                type: delta.registrationType.map(ByteString.init), channel: delta.channel.map(ByteString.init))
            let pair: UInt32
            if let known = pairCodes[key] {
                pair = known
            } else {
                pair = UInt32(pairs.count)
                pairCodes[key] = pair
                pairs.append((delta.registrationType, delta.channel))
            }
            edits.append(
                Edit(user: user, day: delta.day.daysSinceEpoch, pair: pair, delta: Int128(delta.registrations)))
        }
        edits.sort { ($0.user, $0.day, $0.pair) < ($1.user, $1.day, $1.pair) }
        var combined: [Edit] = []
        combined.reserveCapacity(edits.count)
        for edit in edits {
            if let last = combined.last, last.user == edit.user, last.day == edit.day, last.pair == edit.pair {
                combined[combined.count - 1].delta += edit.delta
            } else {
                combined.append(edit)
            }
        }
        return combined.filter { $0.delta != 0 }
    }

    /// Merges each touched user's run with that user's edits, by day, into scratch columns.
    private func recompute(_ edits: [Edit], userIDs: [UserID], pairs: [(type: String?, channel: String?)])
        throws(IndexBuildError) -> Scratch
    {
        var scratch = Scratch()
        var first = 0
        while first < edits.count {
            let user = Int(edits[first].user)
            var userEnd = first
            while userEnd < edits.count, edits[userEnd].user == edits[first].user { userEnd += 1 }
            let start = scratch.days.count
            let end = offsets[user + 1]
            // Rows before the first edited day are kept; find where they end from the back of the run.
            var keptEnd = end
            while keptEnd > offsets[user], firstDay + Int32(days[keptEnd - 1]) >= edits[first].day { keptEnd -= 1 }
            var row = keptEnd
            var edit = first
            while row < end || edit < userEnd {
                let rowDay = row < end ? firstDay + Int32(days[row]) : Int32.max
                let editDay = edit < userEnd ? edits[edit].day : Int32.max
                if rowDay < editDay {
                    scratch.append(day: rowDay, pair: UInt32(combinations[row]), count: UInt64(counts[row]))
                    row += 1
                    continue
                }
                // One day with edits: rows of unedited pairs stay, edited pairs get their new sum.
                let day = editDay
                var dayEnd = row
                while dayEnd < end, firstDay + Int32(days[dayEnd]) == day { dayEnd += 1 }
                var editEnd = edit
                while editEnd < userEnd, edits[editEnd].day == day { editEnd += 1 }
                let dayEdits = edits[edit..<editEnd]
                for old in row..<dayEnd where !dayEdits.contains(where: { $0.pair == UInt32(combinations[old]) }) {
                    scratch.append(day: day, pair: UInt32(combinations[old]), count: UInt64(counts[old]))
                }
                for change in dayEdits {
                    var count = change.delta
                    for old in row..<dayEnd where UInt32(combinations[old]) == change.pair {
                        count += Int128(counts[old])
                    }
                    guard count >= 0 else {
                        let pair = pairs[Int(change.pair)]
                        throw .negativeCount(
                            user: userIDs[user], day: day, type: pair.type, channel: pair.channel,
                            count: Int64(clamping: count))
                    }
                    guard count <= Int128(Self.maximumCount) else {
                        throw .countTooLarge(user: userIDs[user], day: day, count: UInt64(clamping: count))
                    }
                    scratch.append(day: day, pair: change.pair, count: UInt64(count))
                }
                row = dayEnd
                edit = editEnd
            }
            var total = userTotals[user]
            for part in counts[keptEnd..<end] { total &-= UInt64(part) }
            for part in scratch.counts[start...] { total &+= UInt64(part) }
            scratch.runs.append(
                RecomputedRun(user: user, keptEnd: keptEnd, rows: start..<scratch.days.count, total: total))
            first = userEnd
        }
        return scratch
    }

    /// One new column written segment by segment: `copy` moves a stretch of old rows, `convert` encodes a
    /// recomputed row.
    private static func column<Element, Old, Recomputed>(
        _ rowCount: Int, _ segments: [Segment], old: [Old], recomputed: [Recomputed],
        copy: (UnsafeMutablePointer<Element>, Int, UnsafePointer<Old>) -> Void,
        convert: (Recomputed) -> Element
    ) -> [Element] {
        [Element](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
            old.withUnsafeBufferPointer { old in
                var written = 0
                for segment in segments {
                    let target = buffer.baseAddress! + written
                    if segment.recomputed {
                        for row in 0..<segment.count {
                            (target + row).initialize(to: convert(recomputed[segment.start + row]))
                        }
                    } else {
                        copy(target, segment.count, old.baseAddress! + segment.start)
                    }
                    written += segment.count
                }
                initialized = written
            }
        }
    }

    init(
        firstDay: Int32, dayCount: Int, offsets: [Int], days: [UInt16], combinations: [UInt16], counts: [Count],
        combinationType: [UInt32], combinationChannel: [UInt32], types: StringTable, channels: StringTable,
        userTotals: [UInt64]
    ) {
        self.firstDay = firstDay
        self.dayCount = dayCount
        self.offsets = offsets
        self.days = days
        self.combinations = combinations
        self.counts = counts
        self.combinationType = combinationType
        self.combinationChannel = combinationChannel
        self.types = types
        self.channels = channels
        self.userTotals = userTotals
    }
}
