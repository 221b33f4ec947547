import ArborModel

/// Collects rollup rows into the columns of a ``RollupTable``.
///
/// Rows that come user by user in index order (a full load reads the packs ordered by user id, which is index
/// order) are written straight into place: the table then costs its own 5 bytes a row and nothing more. The first
/// row out of that order moves everything written so far to ``RollupStaging`` (11 bytes a row), and the table is
/// laid out from there by a counting sort. Either way the result is the same table.
struct RollupRunWriter {
    private let userCount: Int
    /// `offsets[u]` is where user `u`'s run starts, for every user up to `currentUser`.
    private var offsets: [Int]
    private var currentUser = -1
    /// Days relative to `base`; `base` moves (and the days with it) when a row falls outside 16 bits of it.
    private var days: [UInt16] = []
    private var combinations: [UInt16] = []
    private var counts: [RollupTable.Count] = []
    private var userTotals: [UInt64]
    private var base: Int32 = 0
    private var firstDay = Int32.max
    private var lastDay = Int32.min
    private var staging: RollupStaging? = nil
    /// The first row whose count exceeded ``RollupTable/maximumCount`` (it was not added).
    private var tooLarge: (user: Int32, day: Int32, count: UInt64)? = nil

    /// `expectedRows` reserves the columns (a hint: more rows still fit).
    init(userCount: Int, expectedRows: Int) {
        self.userCount = userCount
        offsets = [Int](repeating: 0, count: userCount + 1)
        userTotals = [UInt64](repeating: 0, count: userCount)
        days.reserveCapacity(expectedRows)
        combinations.reserveCapacity(expectedRows)
        counts.reserveCapacity(expectedRows)
    }

    /// Whether rows have had to be staged (for tests: the direct path is the one full loads take).
    var isStaging: Bool { staging != nil }

    /// Adds `registrations` (ignored unless positive) of user index `user` on absolute `day` for `pair`.
    mutating func append(user: Int32, day: Int32, pair: UInt16, registrations: Int64) {
        guard registrations > 0 else { return }
        guard UInt64(registrations) <= RollupTable.maximumCount else {
            if tooLarge == nil { tooLarge = (user, day, UInt64(registrations)) }
            return
        }
        if staging == nil, Int(user) < currentUser || !fitsOrRebases(day) { moveToStaging() }
        // Counts above `Count.max` take several rows; sums do not care.
        var remaining = UInt64(registrations)
        if staging != nil {
            while remaining > 0 {
                let part = min(remaining, UInt64(RollupTable.Count.max))
                staging!.append(user: user, day: day, pair: pair, count: RollupTable.Count(part))
                remaining -= part
            }
            return
        }
        let index = Int(user)
        while currentUser < index {
            currentUser += 1
            offsets[currentUser] = days.count
        }
        firstDay = min(firstDay, day)
        lastDay = max(lastDay, day)
        userTotals[index] &+= remaining
        let relative = UInt16(day - base)
        while remaining > 0 {
            let part = min(remaining, UInt64(RollupTable.Count.max))
            days.append(relative)
            combinations.append(pair)
            counts.append(RollupTable.Count(part))
            remaining -= part
        }
    }

    /// Whether `day` can be stored relative to `base`, moving `base` when the days so far and `day` span less
    /// than 65,536 days. The first row centres `base` on its day.
    private mutating func fitsOrRebases(_ day: Int32) -> Bool {
        if days.isEmpty {
            base = Int32(clamping: Int(day) - 32767)
            return true
        }
        if day >= base, Int(day) - Int(base) <= 65535 { return true }
        let low = Int(min(firstDay, day))
        let high = Int(max(lastDay, day))
        guard high - low <= 65535 else { return false }
        let newBase = Int32(low - (65535 - (high - low)) / 2)
        Self.shift(&days, by: Int(base) - Int(newBase))
        base = newBase
        return true
    }

    /// Adds `shift` to every day (each result fits: the caller checked the span).
    private static func shift(_ days: inout [UInt16], by shift: Int) {
        guard shift != 0 else { return }
        days.withUnsafeMutableBufferPointer { days in
            for row in days.indices { days[row] = UInt16(truncatingIfNeeded: Int(days[row]) + shift) }
        }
    }

    private mutating func moveToStaging() {
        var staged = RollupStaging()
        staged.users.reserveCapacity(days.count)
        staged.days.reserveCapacity(days.count)
        staged.pairs.reserveCapacity(days.count)
        staged.counts.reserveCapacity(days.count)
        if currentUser >= 0 {
            offsets[currentUser + 1] = days.count
            for user in 0...currentUser {
                for row in offsets[user]..<offsets[user + 1] {
                    staged.append(
                        user: Int32(user), day: base + Int32(days[row]), pair: combinations[row], count: counts[row])
                }
            }
        }
        days = []
        combinations = []
        counts = []
        staging = staged
    }

    /// The table of every row appended; pairs are the (type, channel) values of the pair codes used.
    /// The columns move into the table: the writer is empty afterwards.
    mutating func finish(pairs: PairEncoder, userID: (Int32) -> UserID) throws(IndexBuildError) -> RollupTable {
        if let tooLarge {
            throw .countTooLarge(user: userID(tooLarge.user), day: tooLarge.day, count: tooLarge.count)
        }
        if pairs.overflowed { throw .tooManyCombinations(pairs.values.count + 1) }
        if let staged = staging {
            staging = nil
            return try RollupTable(staging: staged, userCount: userCount, pairs: pairs.values)
        }
        while currentUser < userCount {
            currentUser += 1
            offsets[currentUser] = days.count
        }
        if firstDay > lastDay {
            firstDay = 0
            lastDay = -1
        }
        // Taken out first, so that no other reference makes the shift below or the table's per-run sort copy a
        // column.
        var days: [UInt16] = []
        var combinations: [UInt16] = []
        var counts: [RollupTable.Count] = []
        swap(&days, &self.days)
        swap(&combinations, &self.combinations)
        swap(&counts, &self.counts)
        // Days become relative to the first day with rows.
        if !days.isEmpty { Self.shift(&days, by: Int(base) - Int(firstDay)) }
        return try RollupTable(
            firstDay: firstDay, lastDay: lastDay, offsets: offsets, days: days, combinations: combinations,
            counts: counts, pairs: pairs.values, userTotals: userTotals)
    }
}
