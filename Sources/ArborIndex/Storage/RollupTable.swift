import ArborModel

/// Daily registration counts per user, laid out for date-range sums.
///
/// Each user's rows are one contiguous run sorted by day (`offsets`), so a window is two binary searches and a
/// linear sum. Registration types and channels are dictionary-encoded and paired into a "combination" code, so a
/// type/channel filter is one mask lookup per row. Days are stored relative to `firstDay` in 16 bits.
struct RollupTable: Sendable {
    /// A row's count. Demo rows average about 2 registrations and 0.03 % exceed 255, so 8 bits keep the table at
    /// 5 bytes a row; a larger count takes several rows (sums do not care).
    typealias Count = UInt8

    /// The largest count one (user, day, type, channel) may hold: about a million rows of `Count.max` (5 MB). No
    /// real organisation comes near it; the bound keeps a corrupt count from exhausting memory.
    static let maximumCount: UInt64 = 1 << 28

    let firstDay: Int32
    /// Number of days from `firstDay` to the last day with rows (0 when there are none).
    let dayCount: Int
    /// Rows of user `u`: `offsets[u] ..< offsets[u + 1]`.
    let offsets: [Int]
    let days: [UInt16]
    let combinations: [UInt16]
    /// Registrations of each row; a (day, pair) whose count exceeds `Count.max` takes several rows.
    let counts: [Count]
    /// Type and channel codes of each combination.
    let combinationType: [UInt32]
    let combinationChannel: [UInt32]
    let types: StringTable
    let channels: StringTable
    /// Every registration of each user, for requests without filters or window.
    let userTotals: [UInt64]

    /// Lays out rows staged in any order (``RollupStaging``): a counting sort by user.
    init(staging: RollupStaging, userCount: Int, pairs: [(type: String?, channel: String?)]) throws(IndexBuildError) {
        var firstDay = staging.firstDay
        var lastDay = staging.lastDay
        if firstDay > lastDay {
            firstDay = 0
            lastDay = -1
        }
        guard Int(lastDay) - Int(firstDay) < 65536 else { throw .dayRangeTooWide(first: firstDay, last: lastDay) }
        var perUser = [Int](repeating: 0, count: userCount + 1)
        for user in staging.users { perUser[Int(user) + 1] += 1 }
        for user in 0..<userCount { perUser[user + 1] += perUser[user] }
        var cursor = perUser
        var days = [UInt16](repeating: 0, count: staging.users.count)
        var combinations = [UInt16](repeating: 0, count: staging.users.count)
        var counts = [Count](repeating: 0, count: staging.users.count)
        var userTotals = [UInt64](repeating: 0, count: userCount)
        for row in staging.users.indices {
            let user = Int(staging.users[row])
            let slot = cursor[user]
            cursor[user] += 1
            days[slot] = UInt16(staging.days[row] - firstDay)
            combinations[slot] = staging.pairs[row]
            counts[slot] = staging.counts[row]
            userTotals[user] += UInt64(staging.counts[row])
        }
        try self.init(
            firstDay: firstDay, lastDay: lastDay, offsets: perUser, days: days, combinations: combinations,
            counts: counts, pairs: pairs, userTotals: userTotals)
    }

    /// Finishes either build (``RollupRunWriter``): sorts each user's run by day and encodes the (type, channel)
    /// pairs. Days are relative to `firstDay`; the columns are taken over, so pass them without other references.
    init(
        firstDay: Int32, lastDay: Int32, offsets: [Int], days: [UInt16], combinations: [UInt16], counts: [Count],
        pairs: [(type: String?, channel: String?)], userTotals: [UInt64]
    ) throws(IndexBuildError) {
        var days = days
        var combinations = combinations
        var counts = counts
        let types = StringTable(distinct: pairs.map(\.type))
        let channels = StringTable(distinct: pairs.map(\.channel))
        // Every value was put in its table just above.
        let combinationType = pairs.map { types.code(of: $0.type)! }
        let combinationChannel = pairs.map { channels.code(of: $0.channel)! }

        // Sort each user's run by day (input from `COPY ... ORDER BY` is already sorted and skips this).
        var scratch: [UInt64] = []
        for user in 0..<(offsets.count - 1) {
            let start = offsets[user]
            let end = offsets[user + 1]
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
                counts[start + offset] = Count(truncatingIfNeeded: packed)
            }
        }

        self.firstDay = firstDay
        self.dayCount = Int(lastDay) - Int(firstDay) + 1
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

    /// A compiled registration filter: the relative day window and which combinations count.
    struct Selection {
        /// Relative days `lowDay ... highDay`; empty when `lowDay > highDay`.
        var lowDay: Int
        var highDay: Int
        /// `nil` when every combination counts.
        var combinationMask: [Bool]?
        /// The same mask as all-ones / all-zeros words, for branch-free sums.
        var combinationWords: [UInt64]?
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
            combinationWords: mask?.map { $0 ? UInt64.max : 0 },
            isEverything: mask == nil && clampedLow <= 0 && clampedHigh >= dayCount - 1)
    }

    /// The rows of `user` whose day lies in the selection's window.
    func window(of user: Int, _ selection: Selection) -> Range<Int> {
        days.withUnsafeBufferPointer { Self.window(days: $0, offsets[user], offsets[user + 1], selection) }
    }

    /// ``window(of:_:)`` over the day column already in hand (for loops over many users).
    static func window(days: UnsafeBufferPointer<UInt16>, _ start: Int, _ end: Int, _ selection: Selection)
        -> Range<Int>
    {
        guard selection.lowDay <= selection.highDay, start < end else { return start..<start }
        // Most windows cover a whole run; check the ends before searching.
        var low = start
        if Int(days[start]) < selection.lowDay {
            var high = end
            while low < high {
                let middle = (low + high) >> 1
                if Int(days[middle]) < selection.lowDay { low = middle + 1 } else { high = middle }
            }
        }
        var high = end
        if Int(days[end - 1]) > selection.highDay {
            var searchLow = low
            while searchLow < high {
                let middle = (searchLow + high) >> 1
                if Int(days[middle]) <= selection.highDay { searchLow = middle + 1 } else { high = middle }
            }
        }
        return low..<max(low, high)
    }

    /// Registrations of `user` counted by the selection.
    func sum(of user: Int, _ selection: Selection) -> UInt64 {
        if selection.isEverything { return userTotals[user] }
        var total: UInt64 = 0
        withSumBuffers(selection) { days, combinations, counts, words in
            let rows = Self.window(days: days, offsets[user], offsets[user + 1], selection)
            total = Self.sum(rows, combinations, counts, words)
        }
        return total
    }

    /// Registrations of every user counted by the selection, in one pass over the rollups (split over the cores).
    func sums(_ selection: Selection) -> [UInt64] {
        if selection.isEverything { return userTotals }
        return ChunkedWork.map(count: offsets.count - 1) { users in
            var result = [UInt64](repeating: 0, count: users.count)
            offsets.withUnsafeBufferPointer { offsets in
                withSumBuffers(selection) { days, combinations, counts, words in
                    for user in users {
                        let rows = Self.window(days: days, offsets[user], offsets[user + 1], selection)
                        result[user - users.lowerBound] = Self.sum(rows, combinations, counts, words)
                    }
                }
            }
            return result
        }
    }

    /// Calls `body` with the row columns and the combination mask (`nil` when every combination counts).
    func withBuffers<Result>(
        _ selection: Selection,
        _ body: (
            UnsafeBufferPointer<UInt16>, UnsafeBufferPointer<UInt16>, UnsafeBufferPointer<Count>,
            UnsafeBufferPointer<Bool>?
        ) -> Result
    ) -> Result {
        days.withUnsafeBufferPointer { days in
            combinations.withUnsafeBufferPointer { combinations in
                counts.withUnsafeBufferPointer { counts in
                    if let mask = selection.combinationMask {
                        return mask.withUnsafeBufferPointer { body(days, combinations, counts, $0) }
                    }
                    return body(days, combinations, counts, nil)
                }
            }
        }
    }

    /// Like ``withBuffers(_:_:)``, with the mask as words for branch-free sums.
    private func withSumBuffers<Result>(
        _ selection: Selection,
        _ body: (
            UnsafeBufferPointer<UInt16>, UnsafeBufferPointer<UInt16>, UnsafeBufferPointer<Count>,
            UnsafeBufferPointer<UInt64>?
        ) -> Result
    ) -> Result {
        days.withUnsafeBufferPointer { days in
            combinations.withUnsafeBufferPointer { combinations in
                counts.withUnsafeBufferPointer { counts in
                    if let words = selection.combinationWords {
                        return words.withUnsafeBufferPointer { body(days, combinations, counts, $0) }
                    }
                    return body(days, combinations, counts, nil)
                }
            }
        }
    }

    @inline(__always)
    private static func sum(
        _ rows: Range<Int>, _ combinations: UnsafeBufferPointer<UInt16>, _ counts: UnsafeBufferPointer<Count>,
        _ words: UnsafeBufferPointer<UInt64>?
    ) -> UInt64 {
        var total: UInt64 = 0
        if let words {
            for row in rows { total &+= UInt64(counts[row]) & words[Int(combinations[row])] }
        } else {
            for row in rows { total &+= UInt64(counts[row]) }
        }
        return total
    }
}
