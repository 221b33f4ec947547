/// The visited set of a traversal: a bitset over every node when that is cheap, or a hash set when the graph is
/// huge and the traversal is expected to stay small (clearing 30 million bits costs more than the whole
/// traversal of a few hundred nodes).
struct VisitedNodes {
    private var words: [UInt64]
    private var set: Set<Int32>
    private let dense: Bool

    /// - Parameter expected: how many nodes the traversal is likely to visit, if known.
    init(nodeCount: Int, expected: Int?) {
        dense = nodeCount <= 1 << 20 || (expected ?? 0) * 32 >= nodeCount
        words = dense ? [UInt64](repeating: 0, count: (nodeCount + 63) >> 6) : []
        set = dense ? [] : Set(minimumCapacity: min(expected ?? 64, 1 << 16))
    }

    /// Inserts `node` and says whether it was absent.
    @inline(__always)
    mutating func insert(_ node: Int32) -> Bool {
        guard dense else { return set.insert(node).inserted }
        let index = Int(node)
        let bit: UInt64 = 1 << UInt64(index & 63)
        let word = words[index >> 6]
        guard word & bit == 0 else { return false }
        words[index >> 6] = word | bit
        return true
    }
}
