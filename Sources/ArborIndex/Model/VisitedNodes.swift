/// The visited set of a traversal: a bitset over every node when that is cheap, or a hash set when the graph is
/// huge and the traversal is expected to stay small (clearing 30 million bits costs more than the whole
/// traversal of a few hundred nodes).
struct VisitedNodes {
    /// The bitset's words, zeroed, freed with the set. A buffer rather than an array: a traversal inserts once per
    /// edge, and an array would check its uniqueness on every write.
    private final class Words {
        let base: UnsafeMutablePointer<UInt64>

        init(count: Int) {
            base = .allocate(capacity: max(count, 1))
            base.initialize(repeating: 0, count: max(count, 1))
        }

        deinit { base.deallocate() }
    }

    private let words: Words?
    private var set: Set<Int32>

    /// - Parameter expected: how many nodes the traversal is likely to visit, if known.
    init(nodeCount: Int, expected: Int?) {
        let dense = nodeCount <= 1 << 20 || (expected ?? 0) * 32 >= nodeCount
        words = dense ? Words(count: (nodeCount + 63) >> 6) : nil
        set = dense ? [] : Set(minimumCapacity: min(expected ?? 64, 1 << 16))
    }

    /// Inserts `node` and says whether it was absent.
    @inline(__always)
    mutating func insert(_ node: Int32) -> Bool {
        guard let words else { return set.insert(node).inserted }
        let index = Int(node)
        let bit: UInt64 = 1 << UInt64(index & 63)
        let word = words.base[index >> 6]
        guard word & bit == 0 else { return false }
        words.base[index >> 6] = word | bit
        return true
    }
}
