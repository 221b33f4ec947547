import Dispatch

/// Splits whole-snapshot passes (every user's window sum) over the machine's cores.
///
/// A pass over 50k users takes milliseconds and parallelises perfectly; below `minimumCount` items the hand-off
/// to other threads (tens of microseconds) costs more than it saves, so the pass runs inline.
enum ChunkedWork {
    /// Enough chunks to keep every core busy when one is slowed down by another request.
    static let chunkCount = 8

    /// The values of `0..<count`, computed by `chunk` on contiguous ranges that cover `0..<count` exactly once, in
    /// order, concurrently when `count` is at least `minimumCount`.
    static func map<Element: Sendable>(
        count: Int, minimumCount: Int = 16384, _ chunk: @Sendable (Range<Int>) -> [Element]
    ) -> [Element] {
        guard count >= minimumCount else { return chunk(0..<count) }
        let size = (count + chunkCount - 1) / chunkCount
        var parts = [[Element]](repeating: [], count: chunkCount)
        parts.withUnsafeMutableBufferPointer { parts in
            let output = DisjointOutput(base: parts.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunkCount) { index in
                let start = index * size
                if start < count { (output.base + index).pointee = chunk(start..<min(count, start + size)) }
            }
        }
        var values: [Element] = []
        values.reserveCapacity(count)
        for part in parts { values.append(contentsOf: part) }
        return values
    }
}

/// The start of the buffer that receives each chunk's values.
///
/// `@unchecked Sendable`: every chunk writes only its own element, and the buffer outlives the pass
/// (`concurrentPerform` returns only when every chunk is done).
private struct DisjointOutput<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
