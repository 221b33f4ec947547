/// Puts one breadth-first level — entries `node << 32 | parent`, each node once — in node order: a comparison
/// sort for small levels, a least-significant-digit radix sort on the node's bits (11 at a time) for large ones,
/// which costs a few passes over the level instead of a merge sort's log n.
struct LevelSorter {
    private let digitCount: Int
    private var buffer: [UInt64] = []
    private var counts = [Int](repeating: 0, count: 1 << 11)

    init(nodeCount: Int) {
        let bits = max(1, Int.bitWidth - max(nodeCount - 1, 1).leadingZeroBitCount)
        digitCount = (bits + 10) / 11
    }

    mutating func sort(_ level: inout [UInt64]) {
        guard level.count >= 256 else {
            level.sort()
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
}
