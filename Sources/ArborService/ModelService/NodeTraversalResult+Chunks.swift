import ArborIndex
import ArborModel
import ArborWire

/// The chunks of a Descendants or Ancestors response, encoded one at a time as the stream takes them; `total` and
/// `meta` ride on the last, and at least one chunk is always sent.
///
/// An answer from the snapshot keeps its nodes as positions in the index (``IndexedTraversal``), and
/// ``encoded(_:)`` writes a chunk's bytes straight into one buffer sized up front: ids copied from the index's id
/// column, depths packed, no message struct or array per chunk. A live answer is encoded through
/// ``ArborV2/NodesChunk``, to the same bytes.
public struct NodeChunks: RandomAccessCollection, Sendable {
    /// Roughly how many encoded bytes a chunk holds: far below message limits, large enough to amortise framing.
    static let chunkBytes = 128 * 1024

    enum Nodes: Sendable {
        case indexed(IndexedTraversal)
        case spelled(NodeTraversalResult)
    }

    let nodes: Nodes
    let includeParents: Bool
    let answer: AnswerSource
    /// Where each chunk starts among the nodes, then the end.
    let bounds: [Int]

    /// - Throws: RESOURCE_EXHAUSTED when one node's entry alone (its ids and requested columns) would make a chunk
    ///   larger than `maxChunkBytes`, found before anything is encoded.
    init(nodes: Nodes, includeParents: Bool, answer: AnswerSource, maxChunkBytes: Int) throws(RPCError) {
        self.nodes = nodes
        self.includeParents = includeParents
        self.answer = answer
        let count: Int
        let columns: [[String]]
        let fixedIDBytes: Int?
        switch nodes {
        case .indexed(let traversal):
            count = traversal.count
            columns = traversal.columns
            fixedIDBytes =
                switch traversal.idType {
                case .uuid: 16
                case .integer: 10
                case .text: nil
                }
        case .spelled(let result):
            count = result.entries.count
            columns = result.columns
            fixedIDBytes = nil
        }
        let idCopies = includeParents ? 2 : 1
        var bounds = [0]
        if columns.isEmpty, let fixedIDBytes {
            // Every entry takes at most the same bytes: chunk boundaries are arithmetic.
            let perChunk = Swift.max(1, Self.chunkBytes / (fixedIDBytes * idCopies + 5))
            bounds.append(contentsOf: Swift.stride(from: perChunk, to: count, by: perChunk))
        } else {
            var bytes = 0
            for index in 0..<count {
                var entry = 5
                for copy in 0..<idCopies { entry += Self.estimatedBytes(of: nodes, at: index, parent: copy == 1) }
                for column in columns { entry += column[index].utf8.count + 5 }
                guard entry < maxChunkBytes - 64 else {
                    throw RPCError(
                        code: .resourceExhausted,
                        message: "a node's entry (its ids and requested attributes, about \(entry) bytes) does not "
                            + "fit in the \(maxChunkBytes)-byte response limit: ask for fewer attributes")
                }
                if bytes + entry > Self.chunkBytes, bytes > 0 {
                    bounds.append(index)
                    bytes = 0
                }
                bytes += entry
            }
        }
        bounds.append(count)
        self.bounds = bounds
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { bounds.count - 1 }

    /// Chunk `position` as a message (for callers that want fields, not bytes).
    public subscript(position: Int) -> ArborV2.NodesChunk {
        let range = bounds[position]..<bounds[position + 1]
        var chunk = ArborV2.NodesChunk()
        switch nodes {
        case .indexed(let traversal):
            chunk.ids = ArborV2.NodeIds(range.lazy.map { traversal.id(at: $0) })
            chunk.depths = Array(traversal.depths[range])
            if includeParents { chunk.parents = ArborV2.NodeIds(range.lazy.map { traversal.id(at: $0, parent: true) }) }
            chunk.attributes = traversal.columns.map { ArborV2.Column(values: Array($0[range])) }
        case .spelled(let result):
            let entries = result.entries[range]
            chunk.ids = ArborV2.NodeIds(entries.lazy.map(\.id))
            chunk.depths = entries.map(\.depth)
            if includeParents { chunk.parents = ArborV2.NodeIds(entries.lazy.map(\.parent)) }
            chunk.attributes = result.columns.map { ArborV2.Column(values: Array($0[range])) }
        }
        if position == endIndex - 1 {
            chunk.total = total
            chunk.meta = answer.metaV2
        }
        return chunk
    }

    /// How many nodes matched before `limit` applied (the last chunk's `total`).
    var total: UInt64 {
        switch nodes {
        case .indexed(let traversal): traversal.total
        case .spelled(let result): result.total
        }
    }

    /// The wire bytes of chunk `position`: exactly `self[position].serializedBytes()`.
    public func encoded(_ position: Int) -> [UInt8] {
        guard case .indexed(let traversal) = nodes else { return self[position].serializedBytes() }
        let range = bounds[position]..<bounds[position + 1]
        let isLast = position == endIndex - 1
        let meta = isLast ? answer.metaV2.serializedBytes() : []

        // Sizes first, so the buffer is allocated once and written front to back.
        let ids = Self.idsBodySize(traversal, range, parents: false)
        let parents = includeParents ? Self.idsBodySize(traversal, range, parents: true) : 0
        var depths = 0
        for depth in traversal.depths[range] { depths += ProtoWriter.varintSize(UInt64(depth)) }
        let columnBodies = traversal.columns.map { column in
            column[range].reduce(0) { $0 + 1 + ProtoWriter.varintSize(UInt64($1.utf8.count)) + $1.utf8.count }
        }
        var size = Self.lengthDelimitedSize(ids)
        if depths > 0 { size += Self.lengthDelimitedSize(depths) }
        if includeParents { size += Self.lengthDelimitedSize(parents) }
        for body in columnBodies { size += Self.lengthDelimitedSize(body) }
        if isLast {
            if traversal.total != 0 { size += 1 + ProtoWriter.varintSize(traversal.total) }
            size += Self.lengthDelimitedSize(meta.count)
        }

        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var out = ByteCursor(buffer.baseAddress!)
            out.header(field: 1, length: ids)
            Self.writeIDs(traversal, range, parents: false, into: &out)
            if depths > 0 {
                out.header(field: 2, length: depths)
                for depth in traversal.depths[range] { out.varint(UInt64(depth)) }
            }
            if includeParents {
                out.header(field: 3, length: parents)
                Self.writeIDs(traversal, range, parents: true, into: &out)
            }
            for (column, body) in zip(traversal.columns, columnBodies) {
                out.header(field: 4, length: body)
                for value in column[range] { out.string(value, field: 1) }
            }
            if isLast {
                if traversal.total != 0 {
                    out.byte(5 << 3)
                    out.varint(traversal.total)
                }
                out.header(field: 6, length: meta.count)
                out.bytes(meta)
            }
            initialized = out.written(since: buffer.baseAddress!)
            precondition(initialized == size, "a NodesChunk took \(initialized) bytes, \(size) were computed")
        }
    }

    /// The body of a `NodeIds` message holding the ids (or tree parents) of nodes `range`.
    private static func idsBodySize(_ traversal: IndexedTraversal, _ range: Range<Int>, parents: Bool) -> Int {
        guard !range.isEmpty else { return 0 }
        switch traversal.idType {
        case .uuid:
            return lengthDelimitedSize(16 * range.count)
        case .integer:
            var packed = 0
            for position in range {
                packed += ProtoWriter.varintSize(UInt64(bitPattern: traversal.integerID(at: position, parent: parents)))
            }
            return lengthDelimitedSize(packed)
        case .text:
            var size = 0
            for position in range {
                guard case .text(let text) = traversal.id(at: position, parent: parents) else { continue }
                size += lengthDelimitedSize(text.utf8.count)
            }
            return size
        }
    }

    private static func writeIDs(
        _ traversal: IndexedTraversal, _ range: Range<Int>, parents: Bool, into out: inout ByteCursor
    ) {
        guard !range.isEmpty else { return }
        switch traversal.idType {
        case .uuid:
            out.header(field: 1, length: 16 * range.count)
            traversal.writeUUIDs(range, parents: parents, to: out.pointer)
            out.skip(16 * range.count)
        case .integer:
            var packed = 0
            for position in range {
                packed += ProtoWriter.varintSize(UInt64(bitPattern: traversal.integerID(at: position, parent: parents)))
            }
            out.header(field: 2, length: packed)
            for position in range {
                out.varint(UInt64(bitPattern: traversal.integerID(at: position, parent: parents)))
            }
        case .text:
            for position in range {
                guard case .text(let text) = traversal.id(at: position, parent: parents) else { continue }
                out.string(text, field: 3)
            }
        }
    }

    /// A length-delimited field of `length` bytes with a one-byte tag.
    private static func lengthDelimitedSize(_ length: Int) -> Int {
        1 + ProtoWriter.varintSize(UInt64(length)) + length
    }

    private static func estimatedBytes(of nodes: Nodes, at index: Int, parent: Bool) -> Int {
        let id: NodeID
        switch nodes {
        case .indexed(let traversal): id = traversal.id(at: index, parent: parent)
        case .spelled(let result): id = parent ? result.entries[index].parent : result.entries[index].id
        }
        return switch id {
        case .uuid: 16
        case .integer: 10
        case .text(let text): text.utf8.count + 5
        }
    }
}

/// Writes protobuf pieces front to back into memory sized beforehand.
private struct ByteCursor {
    private(set) var pointer: UnsafeMutableRawPointer

    init(_ start: UnsafeMutablePointer<UInt8>) { pointer = UnsafeMutableRawPointer(start) }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        pointer.storeBytes(of: value, as: UInt8.self)
        pointer += 1
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            byte(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        byte(UInt8(value))
    }

    /// A length-delimited field's tag and length (fields 1 to 15 take a one-byte tag).
    @inline(__always)
    mutating func header(field: Int, length: Int) {
        byte(UInt8(field << 3 | 2))
        varint(UInt64(length))
    }

    mutating func string(_ value: String, field: Int) {
        var value = value
        value.withUTF8 { utf8 in
            header(field: field, length: utf8.count)
            if let base = utf8.baseAddress { pointer.copyMemory(from: base, byteCount: utf8.count) }
            pointer += utf8.count
        }
    }

    mutating func bytes(_ values: [UInt8]) {
        values.withUnsafeBytes { raw in
            if let base = raw.baseAddress { pointer.copyMemory(from: base, byteCount: raw.count) }
        }
        pointer += values.count
    }

    mutating func skip(_ count: Int) { pointer += count }

    func written(since start: UnsafeMutablePointer<UInt8>) -> Int {
        pointer - UnsafeMutableRawPointer(start)
    }
}
