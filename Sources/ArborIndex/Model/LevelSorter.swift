/// Puts one breadth-first level — entries `node << 32 | parent`, each node once — in node order: a comparison
/// sort for small levels; for a level that holds a good share of the graph, a bitset of its nodes read word by
/// word (one pass over `nodeCount / 64` words, which also clears them); otherwise a least-significant-digit radix
/// sort on the node's bits (11 at a time), a few passes over the level instead of a merge sort's log n.
struct LevelSorter {
    /// The bitset of a level's nodes and each node's parent, made on first use; the bitset is all zero between
    /// levels.
    private final class Marks {
        let words: UnsafeMutablePointer<UInt64>
        let wordCount: Int
        let parentOf: UnsafeMutablePointer<UInt32>

        init(nodeCount: Int) {
            wordCount = (nodeCount + 63) >> 6
            words = .allocate(capacity: max(wordCount, 1))
            words.initialize(repeating: 0, count: max(wordCount, 1))
            // Only the entries of a level's nodes are written, then read: no need to initialise the rest.
            parentOf = .allocate(capacity: max(nodeCount, 1))
        }

        deinit {
            words.deallocate()
            parentOf.deallocate()
        }
    }

    private let nodeCount: Int
    private let digitCount: Int
    private var buffer: [UInt64] = []
    private var counts = [Int](repeating: 0, count: 1 << 11)
    private var marks: Marks?

    init(nodeCount: Int) {
        self.nodeCount = nodeCount
        let bits = max(1, Int.bitWidth - max(nodeCount - 1, 1).leadingZeroBitCount)
        digitCount = (bits + 10) / 11
    }

    mutating func sort(_ level: inout [UInt64]) {
        guard level.count >= 256 else {
            level.sort()
            return
        }
        // A word of the bitset costs about what an entry costs in one radix pass.
        if level.count * digitCount * 4 >= nodeCount >> 6 {
            sortByMarks(&level)
            return
        }
        if buffer.count < level.count { buffer = [UInt64](repeating: 0, count: level.count) }
        let count = level.count
        for digit in 0..<digitCount {
            let shift = UInt64(32 + 11 * digit)
            level.withUnsafeMutableBufferPointer { source in
                buffer.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeMutableBufferPointer { counts in
                        for index in counts.indices { counts[index] = 0 }
                        for index in 0..<count { counts[Int((source[index] >> shift) & 0x7FF)] += 1 }
                        var total = 0
                        for index in counts.indices {
                            let size = counts[index]
                            counts[index] = total
                            total += size
                        }
                        for index in 0..<count {
                            let entry = source[index]
                            let bucket = Int((entry >> shift) & 0x7FF)
                            target[counts[bucket]] = entry
                            counts[bucket] += 1
                        }
                    }
                }
            }
            level.withUnsafeMutableBufferPointer { level in
                buffer.withUnsafeBufferPointer { buffer in
                    level.baseAddress!.update(from: buffer.baseAddress!, count: count)
                }
            }
        }
    }

    private mutating func sortByMarks(_ level: inout [UInt64]) {
        if marks == nil { marks = Marks(nodeCount: nodeCount) }
        let marks = marks!
        let words = marks.words
        let parentOf = marks.parentOf
        level.withUnsafeMutableBufferPointer { level in
            for entry in level {
                let node = Int(truncatingIfNeeded: entry >> 32)
                words[node >> 6] |= 1 << UInt64(node & 63)
                parentOf[node] = UInt32(truncatingIfNeeded: entry)
            }
            var position = 0
            for index in 0..<marks.wordCount {
                var word = words[index]
                guard word != 0 else { continue }
                words[index] = 0
                while word != 0 {
                    let node = index << 6 | word.trailingZeroBitCount
                    word &= word &- 1
                    level[position] = UInt64(node) << 32 | UInt64(parentOf[node])
                    position += 1
                }
            }
        }
    }
}
