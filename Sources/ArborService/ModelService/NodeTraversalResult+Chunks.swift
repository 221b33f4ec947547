import ArborModel
import ArborWire

/// The chunks of a Descendants or Ancestors response, encoded one at a time as the stream takes them; `total` and
/// `meta` ride on the last, and at least one chunk is always sent.
public struct NodeChunks: RandomAccessCollection, Sendable {
    /// Roughly how many encoded bytes a chunk holds: far below message limits, large enough to amortise framing.
    static let chunkBytes = 128 * 1024

    let result: NodeTraversalResult
    let includeParents: Bool
    let answer: AnswerSource
    /// Where each chunk starts in `result.entries`, then the end.
    let bounds: [Int]

    init(result: NodeTraversalResult, includeParents: Bool, answer: AnswerSource) {
        self.result = result
        self.includeParents = includeParents
        self.answer = answer
        var bounds = [0]
        var bytes = 0
        for index in result.entries.indices {
            bytes += Self.estimatedBytes(of: result.entries[index].id) * (includeParents ? 2 : 1) + 2
            for column in result.columns { bytes += column[index].utf8.count + 2 }
            if bytes >= Self.chunkBytes {
                bounds.append(index + 1)
                bytes = 0
            }
        }
        if bounds.last != result.entries.count { bounds.append(result.entries.count) }
        if bounds.count == 1 { bounds.append(0) }
        self.bounds = bounds
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { bounds.count - 1 }

    public subscript(position: Int) -> ArborV2.NodesChunk {
        let range = bounds[position]..<bounds[position + 1]
        let entries = result.entries[range]
        var chunk = ArborV2.NodesChunk()
        chunk.ids = ArborV2.NodeIds(entries.lazy.map(\.id))
        chunk.depths = entries.map(\.depth)
        if includeParents { chunk.parents = ArborV2.NodeIds(entries.lazy.map(\.parent)) }
        chunk.attributes = result.columns.map { ArborV2.Column(values: Array($0[range])) }
        if position == endIndex - 1 {
            chunk.total = result.total
            chunk.meta = answer.metaV2
        }
        return chunk
    }

    private static func estimatedBytes(of id: NodeID) -> Int {
        switch id {
        case .uuid: 16
        case .integer: 10
        case .text(let text): text.utf8.count + 2
        }
    }
}
