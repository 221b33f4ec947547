public import ArborModel

/// The hierarchy of any model, in memory: nodes as dense indexes in id order (so "smallest id" is "smallest
/// index") and their distinct edges in both directions as compressed adjacency.
///
/// Edges naming an id that is not a node are ignored, as everywhere in Arbor; duplicates count once; self-edges
/// are kept out of the adjacency (they reach nothing new).
public struct NodeGraph: Sendable {
    /// Every node, ascending.
    public let ids: [NodeID]
    private let indexOf: [NodeID: Int32]
    private let down: Adjacency
    private let up: Adjacency

    /// - Parameters:
    ///   - ids: the nodes, in any order; duplicates count once.
    ///   - edges: (parent, child) pairs.
    public init(ids: [NodeID], edges: [(parent: NodeID, child: NodeID)]) {
        let sorted = Array(Set(ids)).sorted()
        var indexOf: [NodeID: Int32] = [:]
        indexOf.reserveCapacity(sorted.count)
        for (index, id) in sorted.enumerated() { indexOf[id] = Int32(index) }
        var parents: [Int32] = []
        var children: [Int32] = []
        parents.reserveCapacity(edges.count)
        children.reserveCapacity(edges.count)
        for edge in edges {
            guard let parent = indexOf[edge.parent], let child = indexOf[edge.child], parent != child else { continue }
            parents.append(parent)
            children.append(child)
        }
        self.ids = sorted
        self.indexOf = indexOf
        self.down = Adjacency(count: sorted.count, from: parents, to: children)
        self.up = Adjacency(count: sorted.count, from: children, to: parents)
    }

    public var nodeCount: Int { ids.count }

    public func contains(_ id: NodeID) -> Bool { indexOf[id] != nil }

    /// Everyone under (or, `reversed`, above) `root`, excluding the root even on a cycle, within `maxDepth` levels
    /// (0: unbounded): by depth, then id, each with its depth and tree parent.
    ///
    /// The frontier is expanded in ascending index order and a node is claimed by the first frontier node that
    /// reaches it, which is therefore its smallest parent one level up.
    ///
    /// - Throws: ``QueryError/unknownNode(_:field:)`` when `root` is not a node; ``QueryError/cancelled`` when the
    ///   calling task is cancelled (checked once per level).
    public func traverse(
        from root: NodeID, maxDepth: UInt32, reversed: Bool = false, field: String = "root"
    ) throws(QueryError) -> [TraversalEntry] {
        guard let start = indexOf[root] else { throw QueryError.unknownNode(root, field: field) }
        let adjacency = reversed ? up : down
        var visited = Bitset(count: ids.count)
        visited.insert(Int(start))
        var frontier: [Int32] = [start]
        var next: [Int32] = []
        var claimedBy: [Int32: Int32] = [:]
        var entries: [TraversalEntry] = []
        var depth: UInt32 = 0
        while !frontier.isEmpty, maxDepth == 0 || depth < maxDepth {
            try QueryError.checkCancellation()
            depth += 1
            next.removeAll(keepingCapacity: true)
            claimedBy.removeAll(keepingCapacity: true)
            for node in frontier {
                for target in adjacency.targets(of: node) where visited.testAndInsert(Int(target)) {
                    next.append(target)
                    claimedBy[target] = node
                }
            }
            next.sort()
            for node in next {
                entries.append(TraversalEntry(id: ids[Int(node)], depth: depth, parent: ids[Int(claimedBy[node]!)]))
            }
            swap(&frontier, &next)
        }
        return entries
    }
}

/// Distinct targets per node, ascending, in one flat array (compressed sparse rows).
private struct Adjacency: Sendable {
    let offsets: [Int32]
    let targets: [Int32]

    init(count: Int, from sources: [Int32], to destinations: [Int32]) {
        var offsets = [Int32](repeating: 0, count: count + 1)
        for source in sources { offsets[Int(source) + 1] += 1 }
        for node in 0..<count { offsets[node + 1] += offsets[node] }
        var cursor = offsets
        var targets = [Int32](repeating: 0, count: sources.count)
        for (source, destination) in zip(sources, destinations) {
            targets[Int(cursor[Int(source)])] = destination
            cursor[Int(source)] += 1
        }
        // Sort and deduplicate each row in place, then compact.
        var compacted = [Int32]()
        compacted.reserveCapacity(targets.count)
        var compactOffsets = [Int32](repeating: 0, count: count + 1)
        for node in 0..<count {
            var row = Array(targets[Int(offsets[node])..<Int(offsets[node + 1])])
            row.sort()
            var previous: Int32 = -1
            for target in row where target != previous {
                compacted.append(target)
                previous = target
            }
            compactOffsets[node + 1] = Int32(compacted.count)
        }
        self.offsets = compactOffsets
        self.targets = compacted
    }

    func targets(of node: Int32) -> ArraySlice<Int32> {
        targets[Int(offsets[Int(node)])..<Int(offsets[Int(node) + 1])]
    }
}
