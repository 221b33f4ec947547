import ArborModel

/// Daily registration counts per user, laid out for date-range sums.
///
/// Each user's rows are one contiguous run sorted by day (`offsets`), so a window is two binary searches and a
/// linear sum. Registration types and channels are dictionary-encoded and paired into a "combination" code, so a
/// type/channel filter is one mask lookup per row. Days are stored relative to `firstDay` in 16 bits.
struct RollupTable: Sendable {
    let firstDay: Int32
    /// Number of days from `firstDay` to the last day with rows (0 when there are none).
    let dayCount: Int
    /// Rows of user `u`: `offsets[u] ..< offsets[u + 1]`.
    let offsets: [Int]
    let days: [UInt16]
    let combinations: [UInt16]
    let counts: [UInt32]
    /// Type and channel codes of each combination.
    let combinationType: [UInt32]
    let combinationChannel: [UInt32]
    let types: StringTable
    let channels: StringTable
    /// Every registration of each user, for requests without filters or window.
    let userTotals: [UInt64]

    /// Builds from rollup rows; rows of users not in `indexOf` are dropped (no query can reach them), as are rows
    /// with no registrations.
    init(rows: [RollupRow], userCount: Int, indexOf: [UserID: Int32]) throws(IndexBuildError) {
        // Pass 1: resolve users and days, count rows per user.
        var userOfRow = [Int32](repeating: -1, count: rows.count)
        var perUser = [Int](repeating: 0, count: userCount + 1)
        var firstDay = Int32.max
        var lastDay = Int32.min
        var lastID: UserID? = nil
        var lastIndex: Int32 = -1
        for (rowIndex, row) in rows.enumerated() where row.registrations > 0 {
            let index: Int32
            if row.user == lastID {
                index = lastIndex
            } else if let found = indexOf[row.user] {
                index = found
                lastID = row.user
                lastIndex = found
            } else {
                continue
            }
            userOfRow[rowIndex] = index
            // Counts above UInt32.max take several rows; sums do not care.
            perUser[Int(index) + 1] += Int((UInt64(row.registrations) + UInt64(UInt32.max) - 1) / UInt64(UInt32.max))
            firstDay = min(firstDay, row.day.daysSinceEpoch)
            lastDay = max(lastDay, row.day.daysSinceEpoch)
        }
        if firstDay > lastDay {
            firstDay = 0
            lastDay = -1
        }
        guard Int(lastDay) - Int(firstDay) < 65536 else { throw .dayRangeTooWide(first: firstDay, last: lastDay) }
        for user in 0..<userCount { perUser[user + 1] += perUser[user] }

        // Pass 2: encode combinations and place rows by user (counting sort).
        let types = StringTable(distinct: rows.lazy.map(\.registrationType))
        let channels = StringTable(distinct: rows.lazy.map(\.channel))
        var combinationCodes: [UInt64: UInt16] = [:]
        var combinationType: [UInt32] = []
        var combinationChannel: [UInt32] = []
        var recent = CombinationCache()
        let total = perUser[userCount]
        var days = [UInt16](repeating: 0, count: total)
        var combinations = [UInt16](repeating: 0, count: total)
        var counts = [UInt32](repeating: 0, count: total)
        var userTotals = [UInt64](repeating: 0, count: userCount)
        var cursor = perUser
        for (rowIndex, row) in rows.enumerated() where userOfRow[rowIndex] >= 0 {
            let user = Int(userOfRow[rowIndex])
            let combination: UInt16
            if let cached = recent.lookup(row.registrationType, row.channel) {
                combination = cached
            } else {
                let type = types.code(of: row.registrationType)!
                let channel = channels.code(of: row.channel)!
                let key = UInt64(type) << 32 | UInt64(channel)
                if let known = combinationCodes[key] {
                    combination = known
                } else {
                    guard combinationType.count < 65536 else {
                        throw .tooManyCombinations(combinationType.count + 1)
                    }
                    combination = UInt16(combinationType.count)
                    combinationCodes[key] = combination
                    combinationType.append(type)
                    combinationChannel.append(channel)
                }
                recent.remember(row.registrationType, row.channel, combination)
            }
            let day = UInt16(row.day.daysSinceEpoch - firstDay)
            var remaining = UInt64(row.registrations)
            userTotals[user] += remaining
            while remaining > 0 {
                let part = min(remaining, UInt64(UInt32.max))
                let slot = cursor[user]
                days[slot] = day
                combinations[slot] = combination
                counts[slot] = UInt32(part)
                cursor[user] += 1
                remaining -= part
            }
        }

        // Sort each user's run by day (input from `COPY ... ORDER BY` is already sorted and skips this).
        var scratch: [UInt64] = []
        for user in 0..<userCount {
            let start = perUser[user]
            let end = perUser[user + 1]
            guard end - start > 1 else { continue }
            var sorted = true
            for slot in (start + 1)..<end where days[slot] < days[slot - 1] {
                sorted = false
                break
            }
            if sorted { continue }
            scratch.removeAll(keepingCapacity: true)
            for slot in start..<end {
                scratch.append(UInt64(days[slot]) << 48 | UInt64(combinations[slot]) << 32 | UInt64(counts[slot]))
            }
            scratch.sort()
            for (offset, packed) in scratch.enumerated() {
                days[start + offset] = UInt16(truncatingIfNeeded: packed >> 48)
                combinations[start + offset] = UInt16(truncatingIfNeeded: packed >> 32)
                counts[start + offset] = UInt32(truncatingIfNeeded: packed)
            }
        }

        self.firstDay = firstDay
        self.dayCount = Int(lastDay) - Int(firstDay) + 1
        self.offsets = perUser
        self.days = days
        self.combinations = combinations
        self.counts = counts
        self.combinationType = combinationType
        self.combinationChannel = combinationChannel
        self.types = types
        self.channels = channels
        self.userTotals = userTotals
    }

    /// A compiled registration filter: the relative day window and which combinations count.
    struct Selection {
        /// Relative days `lowDay ... highDay`; empty when `lowDay > highDay`.
        var lowDay: Int
        var highDay: Int
        /// `nil` when every combination counts.
        var combinationMask: [Bool]?
        /// True when nothing is filtered: per-user totals answer.
        var isEverything: Bool
    }

    func select(_ filter: RegistrationFilter) -> Selection {
        let low = filter.from.map { Int($0.daysSinceEpoch) - Int(firstDay) } ?? 0
        let high = filter.to.map { Int($0.daysSinceEpoch) - Int(firstDay) } ?? dayCount - 1
        var mask: [Bool]? = nil
        if !filter.types.isEmpty || !filter.channels.isEmpty {
            let typeMask = filter.types.isEmpty ? nil : types.mask(allowing: filter.types)
            let channelMask = filter.channels.isEmpty ? nil : channels.mask(allowing: filter.channels)
            mask = (0..<combinationType.count).map { combination in
                (typeMask?[Int(combinationType[combination])] ?? true)
                    && (channelMask?[Int(combinationChannel[combination])] ?? true)
            }
        }
        let clampedLow = max(low, 0)
        let clampedHigh = min(high, dayCount - 1)
        return Selection(
            lowDay: clampedLow, highDay: clampedHigh, combinationMask: mask,
            isEverything: mask == nil && clampedLow <= 0 && clampedHigh >= dayCount - 1)
    }

    /// The rows of `user` whose day lies in the selection's window.
    func window(of user: Int, _ selection: Selection) -> Range<Int> {
        let start = offsets[user]
        let end = offsets[user + 1]
        guard selection.lowDay <= selection.highDay, start < end else { return start..<start }
        return days.withUnsafeBufferPointer { days in
            var low = start
            var high = end
            while low < high {
                let middle = (low + high) >> 1
                if Int(days[middle]) < selection.lowDay { low = middle + 1 } else { high = middle }
            }
            let first = low
            high = end
            while low < high {
                let middle = (low + high) >> 1
                if Int(days[middle]) <= selection.highDay { low = middle + 1 } else { high = middle }
            }
            return first..<low
        }
    }

    /// Registrations of `user` counted by the selection.
    func sum(of user: Int, _ selection: Selection) -> UInt64 {
        if selection.isEverything { return userTotals[user] }
        let rows = window(of: user, selection)
        var total: UInt64 = 0
        counts.withUnsafeBufferPointer { counts in
            if let mask = selection.combinationMask {
                combinations.withUnsafeBufferPointer { combinations in
                    mask.withUnsafeBufferPointer { mask in
                        for row in rows where mask[Int(combinations[row])] { total += UInt64(counts[row]) }
                    }
                }
            } else {
                for row in rows { total += UInt64(counts[row]) }
            }
        }
        return total
    }
}

/// The last few (type, channel) pairs seen while building, compared byte-wise: rollup rows repeat a handful of
/// pairs, and this avoids hashing two strings per row.
private struct CombinationCache {
    private var entries: [(type: String?, channel: String?, code: UInt16)] = []
    private var next = 0

    func lookup(_ type: String?, _ channel: String?) -> UInt16? {
        for entry in entries where Self.same(entry.type, type) && Self.same(entry.channel, channel) {
            return entry.code
        }
        return nil
    }

    mutating func remember(_ type: String?, _ channel: String?, _ code: UInt16) {
        if entries.count < 16 {
            entries.append((type, channel, code))
        } else {
            entries[next] = (type, channel, code)
            next = (next + 1) & 15
        }
    }

    private static func same(_ lhs: String?, _ rhs: String?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): true
        case (let lhs?, let rhs?): lhs.utf8.elementsEqual(rhs.utf8)
        default: false
        }
    }
}
