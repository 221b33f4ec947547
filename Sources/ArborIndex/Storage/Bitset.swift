/// A fixed-size set of small integers, one bit each; the visited set of a traversal.
struct Bitset {
    private(set) var words: [UInt64]

    init(count: Int) {
        words = [UInt64](repeating: 0, count: (count + 63) >> 6)
    }

    func contains(_ index: Int) -> Bool {
        words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    mutating func insert(_ index: Int) {
        words[index >> 6] |= 1 << UInt64(index & 63)
    }

    /// Inserts `index` and says whether it was absent.
    mutating func testAndInsert(_ index: Int) -> Bool {
        let bit: UInt64 = 1 << UInt64(index & 63)
        let word = words[index >> 6]
        guard word & bit == 0 else { return false }
        words[index >> 6] = word | bit
        return true
    }

    mutating func remove(_ index: Int) {
        words[index >> 6] &= ~(1 << UInt64(index & 63))
    }

    /// Calls `body` with every member in ascending order.
    func forEach(_ body: (Int) -> Void) {
        for (wordIndex, word) in words.enumerated() where word != 0 {
            var rest = word
            while rest != 0 {
                body(wordIndex << 6 | rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
    }
}
