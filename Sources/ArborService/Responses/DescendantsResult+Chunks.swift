import ArborModel
import ArborWire

extension DescendantsResult {
    /// Ids per chunk: 16 bytes each plus a packed depth, so a chunk stays near 150 KB, far below message limits.
    static let idsPerChunk = 8192

    /// The response stream: entries in order, `meta` and `total` on the last chunk, at least one chunk.
    func chunks(answeredBy answer: AnswerSource) -> [ArborV1.DescendantsChunk] {
        var chunks: [ArborV1.DescendantsChunk] = []
        var start = 0
        repeat {
            let end = Swift.min(start + Self.idsPerChunk, entries.count)
            var chunk = ArborV1.DescendantsChunk()
            let slice = entries[start..<end]
            // Written in place, two big-endian words per id: this loop runs once per descendant.
            chunk.ids = [UInt8](unsafeUninitializedCapacity: slice.count * 16) { buffer, initialized in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                for (offset, entry) in slice.enumerated() {
                    raw.storeBytes(of: entry.id.high.bigEndian, toByteOffset: offset * 16, as: UInt64.self)
                    raw.storeBytes(of: entry.id.low.bigEndian, toByteOffset: offset * 16 + 8, as: UInt64.self)
                }
                initialized = slice.count * 16
            }
            chunk.depths = slice.map(\.depth)
            chunks.append(chunk)
            start = end
        } while start < entries.count
        chunks[chunks.count - 1].meta = answer.meta
        chunks[chunks.count - 1].total = total
        return chunks
    }
}
