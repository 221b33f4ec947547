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
        rows.withUnsafeBufferPointer { rows in
            // Fields are read in place: copying a row would retain and release its two strings.
            for rowIndex in rows.indices where rows[rowIndex].registrations > 0 {
                let id = rows[rowIndex].user
                let index: Int32
                if id == lastID {
                    index = lastIndex
                } else if let found = indexOf[id] {
                    index = found
                    lastID = id
                    lastIndex = found
                } else {
                    continue
                }
                userOfRow[rowIndex] = index
                // Counts above UInt32.max take several rows; sums do not care.
                perUser[Int(index) + 1] += Int(
                    (UInt64(rows[rowIndex].registrations) + UInt64(UInt32.max) - 1) / UInt64(UInt32.max))
                let day = rows[rowIndex].day.daysSinceEpoch
                firstDay = min(firstDay, day)
                lastDay = max(lastDay, day)
            }
        }
        if firstDay > lastDay {
            firstDay = 0
            lastDay = -1
        }
        guard Int(lastDay) - Int(firstDay) < 65536 else { throw .dayRangeTooWide(first: firstDay, last: lastDay) }
        for user in 0..<userCount { perUser[user + 1] += perUser[user] }

        // Pass 2: encode (type, channel) pairs and place rows by user (counting sort). Pairs get provisional codes
        // in order of appearance; the string tables are built from the few distinct pairs afterwards.
        var provisional: [PairKey: UInt16] = [:]
        var pairs: [(type: String?, channel: String?)] = []
        var recent = PairCache()
        let total = perUser[userCount]
        var days = [UInt16](repeating: 0, count: total)
        var combinations = [UInt16](repeating: 0, count: total)
        var counts = [UInt32](repeating: 0, count: total)
        var userTotals = [UInt64](repeating: 0, count: userCount)
        var cursor = perUser
        var tooMany = false
        rows.withUnsafeBufferPointer { rows in
            let base = UnsafeRawPointer(rows.baseAddress)
            for rowIndex in rows.indices where userOfRow[rowIndex] >= 0 {
                let user = Int(userOfRow[rowIndex])
                let combination: UInt16
                let bits = PairCache.bits(of: base!, row: rowIndex)
                if let cached = recent.lookup(bits) {
                    combination = cached
                } else {
                    let type = rows[rowIndex].registrationType
                    let channel = rows[rowIndex].channel
                    let key = PairKey(type: type.map(ByteString.init), channel: channel.map(ByteString.init))
                    if let known = provisional[key] {
                        combination = known
                    } else {
                        guard pairs.count < 65536 else {
                            tooMany = true
                            return
                        }
                        combination = UInt16(pairs.count)
                        provisional[key] = combination
                        pairs.append((type, channel))
                    }
                    recent.remember(bits, combination)
                }
                let day = UInt16(rows[rowIndex].day.daysSinceEpoch - firstDay)
                var remaining = UInt64(rows[rowIndex].registrations)
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
        }
        if tooMany { throw .tooManyCombinations(pairs.count + 1) }
        try self.init(
            firstDay: firstDay, lastDay: lastDay, offsets: perUser, days: days, combinations: combinations,
            counts: counts, pairs: pairs, userTotals: userTotals)
    }

    /// Builds from rows staged one at a time (``IndexSnapshotBuilder``): a counting sort by user.
    init(staging: RollupStaging, userCount: Int) throws(IndexBuildError) {
        if staging.tooManyPairs { throw .tooManyCombinations(staging.pairValues.count + 1) }
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
        var counts = [UInt32](repeating: 0, count: staging.users.count)
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
            counts: counts, pairs: staging.pairValues, userTotals: userTotals)
    }

    /// Finishes either build: sorts each user's run by day and encodes the (type, channel) pairs.
    private init(
        firstDay: Int32, lastDay: Int32, offsets: [Int], days: [UInt16], combinations: [UInt16], counts: [UInt32],
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
                counts[start + offset] = UInt32(truncatingIfNeeded: packed)
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

    private static func window(days: UnsafeBufferPointer<UInt16>, _ start: Int, _ end: Int, _ selection: Selection)
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

    /// Registrations of every user counted by the selection, in one pass over the rollups.
    func sums(_ selection: Selection) -> [UInt64] {
        if selection.isEverything { return userTotals }
        let userCount = offsets.count - 1
        var result = [UInt64](repeating: 0, count: userCount)
        result.withUnsafeMutableBufferPointer { result in
            offsets.withUnsafeBufferPointer { offsets in
                withSumBuffers(selection) { days, combinations, counts, words in
                    for user in 0..<userCount {
                        let rows = Self.window(days: days, offsets[user], offsets[user + 1], selection)
                        result[user] = Self.sum(rows, combinations, counts, words)
                    }
                }
            }
        }
        return result
    }

    /// Calls `body` with the row columns and the combination mask (`nil` when every combination counts).
    func withBuffers<Result>(
        _ selection: Selection,
        _ body: (
            UnsafeBufferPointer<UInt16>, UnsafeBufferPointer<UInt16>, UnsafeBufferPointer<UInt32>,
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
            UnsafeBufferPointer<UInt16>, UnsafeBufferPointer<UInt16>, UnsafeBufferPointer<UInt32>,
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
        _ rows: Range<Int>, _ combinations: UnsafeBufferPointer<UInt16>, _ counts: UnsafeBufferPointer<UInt32>,
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

/// A (type, channel) pair compared by bytes.
struct PairKey: Hashable {
    var type: ByteString?
    var channel: ByteString?
}

/// The (type, channel) pairs seen so far, recognised by the raw bits of the two strings.
///
/// Rollup rows repeat a handful of pairs, and hashing two strings per row would dominate the build. Equal raw bits
/// mean equal values (a small string keeps its bytes inline; a large one is the same storage object), so a hit
/// is always right; a miss only falls back to the byte-wise dictionary.
struct PairCache {
    typealias Bits = (UInt64, UInt64, UInt64, UInt64)
    private var entries = [(bits: Bits, code: UInt16)?](repeating: nil, count: 1024)

    private static let typeOffset = MemoryLayout<RollupRow>.offset(of: \RollupRow.registrationType)!
    private static let channelOffset = MemoryLayout<RollupRow>.offset(of: \RollupRow.channel)!

    /// The raw bits of a row's type and channel, read in place without retaining the strings.
    static func bits(of rows: UnsafeRawPointer, row: Int) -> Bits {
        guard usable else { return (0, 0, 0, 0) }
        let start = row * MemoryLayout<RollupRow>.stride
        let type = rows.load(fromByteOffset: start + typeOffset, as: (UInt64, UInt64).self)
        let channel = rows.load(fromByteOffset: start + channelOffset, as: (UInt64, UInt64).self)
        return (type.0, type.1, channel.0, channel.1)
    }

    /// Raw bits identify a value only when an optional string is exactly its two words.
    private static let usable = MemoryLayout<String?>.size == 16

    /// The raw bits of two optional strings.
    static func bits(_ type: String?, _ channel: String?) -> Bits {
        guard usable else { return (0, 0, 0, 0) }
        let type = unsafeBitCast(type, to: (UInt64, UInt64).self)
        let channel = unsafeBitCast(channel, to: (UInt64, UInt64).self)
        return (type.0, type.1, channel.0, channel.1)
    }

    func lookup(_ bits: Bits) -> UInt16? {
        guard Self.usable else { return nil }
        let slot = Self.slot(bits)
        // Two-way: a pair that collides with another in one slot still finds its own in the next.
        if let entry = entries[slot], entry.bits == bits { return entry.code }
        if let entry = entries[slot ^ 1], entry.bits == bits { return entry.code }
        return nil
    }

    mutating func remember(_ bits: Bits, _ code: UInt16) {
        let slot = Self.slot(bits)
        entries[entries[slot] == nil ? slot : slot ^ 1] = (bits, code)
    }

    /// A table of 1024 entries, so that a few dozen pairs rarely collide.
    private static func slot(_ bits: Bits) -> Int {
        let mixed =
            (bits.0 &* 0x9E37_79B9_7F4A_7C15) ^ (bits.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ (bits.2 &* 0x1656_67B1_9E37_79F9)
            ^ (bits.3 &* 0x85EB_CA77_C2B2_AE63)
        return Int(mixed >> 54)
    }
}
