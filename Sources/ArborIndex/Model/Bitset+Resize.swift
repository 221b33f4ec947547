extension Bitset {
    /// How many members the set can hold (a multiple of 64).
    var count: Int { words.count << 6 }

    /// The same members in a set that can hold `count`.
    func resized(to count: Int) -> Bitset {
        var resized = Bitset(count: count)
        forEach { if $0 < count { resized.insert($0) } }
        return resized
    }
}
