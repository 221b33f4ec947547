/// The visited set of a traversal: a bitset over every node when that is cheap, or a hash set when the graph is
/// huge and the traversal is expected to stay small (clearing 30 million bits costs more than the whole
/// traversal of a few hundred nodes).
struct VisitedNodes {
    private var bits: Bitset?
    private var set: Set<Int32>

    /// - Parameter expected: how many nodes the traversal is likely to visit, if known.
    init(nodeCount: Int, expected: Int?) {
        if nodeCount <= 1 << 20 || (expected ?? 0) * 32 >= nodeCount {
            bits = Bitset(count: nodeCount)
            set = []
        } else {
            bits = nil
            set = Set(minimumCapacity: min(expected ?? 64, 1 << 16))
        }
    }

    /// Inserts `node` and says whether it was absent.
    @inline(__always)
    mutating func insert(_ node: Int32) -> Bool {
        if bits != nil { return bits!.testAndInsert(Int(node)) }
        return set.insert(node).inserted
    }
}
