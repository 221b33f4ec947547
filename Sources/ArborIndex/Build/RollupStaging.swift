/// Rollup rows collected one at a time, compactly (14 bytes a row), until ``RollupTable`` lays them out.
struct RollupStaging {
    var users: [Int32] = []
    var days: [Int32] = []
    var pairs: [UInt16] = []
    var counts: [UInt32] = []
    /// (type, channel) of each provisional pair code.
    var pairValues: [(type: String?, channel: String?)] = []
    var tooManyPairs = false
    var firstDay = Int32.max
    var lastDay = Int32.min
    private var pairCodes: [PairKey: UInt16] = [:]
    /// Recognises pairs by raw bits. Only bits of the retained `pairValues` strings are remembered, so equal bits
    /// mean an equal small string or that very (live) storage object, never a freed and reused address.
    private var recent = PairCache()

    mutating func append(user: Int32, day: Int32, type: String?, channel: String?, registrations: Int64) {
        guard registrations > 0, !tooManyPairs else { return }
        let pair: UInt16
        if let cached = recent.lookup(PairCache.bits(type, channel)) {
            pair = cached
        } else {
            let key = PairKey(type: type.map(ByteString.init), channel: channel.map(ByteString.init))
            if let known = pairCodes[key] {
                pair = known
            } else {
                guard pairValues.count < 65536 else {
                    tooManyPairs = true
                    return
                }
                pair = UInt16(pairValues.count)
                pairCodes[key] = pair
                pairValues.append((type, channel))
            }
            let kept = pairValues[Int(pair)]
            recent.remember(PairCache.bits(kept.type, kept.channel), pair)
        }
        firstDay = min(firstDay, day)
        lastDay = max(lastDay, day)
        // Counts above UInt32.max take several rows; sums do not care.
        var remaining = UInt64(registrations)
        while remaining > 0 {
            let part = min(remaining, UInt64(UInt32.max))
            users.append(user)
            days.append(day)
            pairs.append(pair)
            counts.append(UInt32(part))
            remaining -= part
        }
    }
}
