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
            chunk.ids.reserveCapacity((end - start) * 16)
            chunk.depths.reserveCapacity(end - start)
            for entry in entries[start..<end] {
                entry.id.append(to: &chunk.ids)
                chunk.depths.append(entry.depth)
            }
            chunks.append(chunk)
            start = end
        } while start < entries.count
        chunks[chunks.count - 1].meta = answer.meta
        chunks[chunks.count - 1].total = total
        return chunks
    }
}
