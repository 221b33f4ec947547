public import ArborModel

/// A Descendants or Ancestors answer kept as node positions in its ``ModelIndex``: an encoder writes the ids
/// straight from the index's id column, with no ``TraversalEntry`` (two ids each) made per node.
public struct IndexedTraversal: Sendable {
    let index: ModelIndex
    /// Per returned node, in answer order: `node << 32 | tree parent`, both node positions.
    let entries: [UInt64]
    /// The depth of each returned node.
    public let depths: [UInt32]
    /// One column per requested column, each aligned with the nodes; NULL is `""`.
    public let columns: [[String]]
    /// Every node that passes the filter, the root included when it is returned.
    public let total: UInt64

    /// How many nodes are returned.
    public var count: Int { entries.count }

    /// The type of the ids.
    public var idType: NodeIDType { index.model.idType }

    /// The id of returned node `position`, or of its tree parent.
    public func id(at position: Int, parent: Bool = false) -> NodeID {
        index.ids[node(at: position, parent: parent)]
    }

    /// The integer id of returned node `position`, or of its tree parent; only for integer ids.
    public func integerID(at position: Int, parent: Bool = false) -> Int64 {
        index.ids.integer(at: node(at: position, parent: parent))
    }

    /// Writes the ids of returned nodes `range` (or of their tree parents), 16 big-endian bytes each, from
    /// `destination` on, which must have room for `16 * range.count` bytes; only for UUID ids.
    public func writeUUIDs(_ range: Range<Int>, parents: Bool, to destination: UnsafeMutableRawPointer) {
        entries.withUnsafeBufferPointer { entries in
            let start = range.lowerBound
            index.ids.writeUUIDs(count: range.count, to: destination) { offset in
                let entry = entries[start &+ offset]
                return Int(truncatingIfNeeded: parents ? entry & 0xFFFF_FFFF : entry >> 32)
            }
        }
    }

    /// The answer with its ids spelled out.
    public func result() -> NodeTraversalResult {
        var spelled: [TraversalEntry] = []
        spelled.reserveCapacity(entries.count)
        var parent: (node: Int, id: NodeID)? = nil
        for (position, entry) in entries.enumerated() {
            // Siblings come together, so the parent's id is usually the one just made.
            let parentNode = Int(entry & 0xFFFF_FFFF)
            if parent?.node != parentNode { parent = (parentNode, index.ids[parentNode]) }
            spelled.append(
                TraversalEntry(id: index.ids[Int(entry >> 32)], depth: depths[position], parent: parent!.id))
        }
        return NodeTraversalResult(entries: spelled, columns: columns, total: total)
    }

    @inline(__always)
    private func node(at position: Int, parent: Bool) -> Int {
        let entry = entries[position]
        return Int(truncatingIfNeeded: parent ? entry & 0xFFFF_FFFF : entry >> 32)
    }
}
