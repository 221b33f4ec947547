/// Rollup rows kept in arrival order, 11 bytes a row, until ``RollupTable`` lays them out by user (a counting
/// sort). ``RollupRunWriter`` falls back to it when rows do not come user by user.
struct RollupStaging {
    var users: [Int32] = []
    /// Absolute days (since the Unix epoch).
    var days: [Int32] = []
    var pairs: [UInt16] = []
    var counts: [RollupTable.Count] = []
    var firstDay = Int32.max
    var lastDay = Int32.min

    /// Appends one row whose count is at most `RollupTable.Count.max`.
    mutating func append(user: Int32, day: Int32, pair: UInt16, count: RollupTable.Count) {
        firstDay = min(firstDay, day)
        lastDay = max(lastDay, day)
        users.append(user)
        days.append(day)
        pairs.append(pair)
        counts.append(count)
    }
}
