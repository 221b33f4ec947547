import ArborModel
import ArborWire

/// The chunks of a Descendants response, encoded one at a time as they are read: a stream under backpressure holds
/// the answer's entries and one chunk in flight, never the whole encoded response.
public struct DescendantsChunks: RandomAccessCollection, Sendable {
    /// Ids per chunk: 16 bytes each plus a packed depth, so a chunk stays near 150 KB, far below message limits.
    static let idsPerChunk = 8192

    let result: DescendantsResult
    let answer: AnswerSource

    public var startIndex: Int { 0 }
    /// At least one chunk, even for an empty answer: `meta` and `total` ride on the last.
    public var endIndex: Int { Swift.max(1, (result.entries.count + Self.idsPerChunk - 1) / Self.idsPerChunk) }

    public subscript(position: Int) -> ArborV1.DescendantsChunk {
        let start = position * Self.idsPerChunk
        let end = Swift.min(start + Self.idsPerChunk, result.entries.count)
        var chunk = ArborV1.DescendantsChunk()
        let slice = result.entries[start..<end]
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
        if position == endIndex - 1 {
            chunk.meta = answer.meta
            chunk.total = result.total
        }
        return chunk
    }
}

extension DescendantsResult {
    /// The response stream: entries in order, `meta` and `total` on the last chunk, at least one chunk.
    func chunks(answeredBy answer: AnswerSource) -> DescendantsChunks {
        DescendantsChunks(result: self, answer: answer)
    }
}
