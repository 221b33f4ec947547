/// Any model's hierarchy in the forms the queries need, lean enough for tens of millions of nodes.
///
/// - Nodes are dense indexes in id order; `down` and `up` are the distinct edges both ways (self-edges apart).
/// - Strongly connected components (cycles) are collapsed; the components get preorder positions from a
///   depth-first spanning forest of the resulting DAG, and every node a *rank*: its component's position, the
///   members of a component taking consecutive ranks. What a component reaches (itself excluded) is then a short
///   sorted list of rank intervals: its spanning subtree `[end of the component, subtreeEnd)` and, only where
///   edges leave that subtree, more. On a tree no component needs more than the one interval, so nothing but
///   `subtreeEnd` is stored; the rare components that need a list keep it in a side table.
/// - Components of one node (nearly all, in real data) cost nothing beyond the rank: the members of larger ones
///   are found in a small dictionary.
///
/// Sums over a downline are then prefix-sum differences over ranks, and a downline's nodes are `nodeAt` over a few
/// rank ranges, exact on cycles and on shared descendants.
struct NodeHierarchy: Sendable {
    let nodeCount: Int
    let down: EdgeLists
    let up: EdgeLists
    /// Distinct (parent, child) pairs, self-edges included.
    let edgeCount: Int
    /// Nodes with an edge to themselves, ascending (``down`` and ``up`` leave self-edges out).
    let selfEdges: [Int32]
    let rankOf: AppendableArray<Int32>
    let nodeAt: AppendableArray<Int32>
    /// By rank: where the spanning subtree of the rank's component ends.
    let subtreeEnd: AppendableArray<Int32>
    /// Nodes in a component of two or more.
    private let onCycle: Bitset
    /// The rank range of the component of each node in `onCycle`.
    private let componentRanks: [Int32: Range<Int32>]
    /// Components (by first rank) whose reach is not just their spanning subtree, ascending, and their interval
    /// lists: `extraLow[i] ..< extraHigh[i]` for `i` in `extraOffsets[k] ..< extraOffsets[k + 1]`.
    private let hasExtra: Bitset
    private let extraKeys: [Int32]
    private let extraOffsets: [Int32]
    private let extraLow: [Int32]
    private let extraHigh: [Int32]
    /// Groups of nodes that reach each other (size ≥ 2, or a self-edge), members ascending: largest first, then by
    /// first member.
    let cycles: [[Int32]]

    /// - Parameters:
    ///   - parents, children: edges as node indexes, duplicates and self-edges allowed.
    init(nodeCount: Int, parents: [Int32], children: [Int32]) throws(ModelIndexError) {
        self.nodeCount = nodeCount
        let (downOffsets, downTargets) = try EdgeLists.lists(nodeCount: nodeCount, from: parents, to: children)
        let down = EdgeLists(offsets: downOffsets, targets: downTargets)
        let up = try EdgeLists(nodeCount: nodeCount, from: children, to: parents)
        var selfEdges = Bitset(count: nodeCount)
        var selfEdgeCount = 0
        for (parent, child) in zip(parents, children) where parent == child {
            if selfEdges.testAndInsert(Int(parent)) { selfEdgeCount += 1 }
        }
        self.down = down
        self.up = up
        self.edgeCount = downTargets.count + selfEdgeCount
        var selfEdgeNodes: [Int32] = []
        selfEdgeNodes.reserveCapacity(selfEdgeCount)
        selfEdges.forEach { selfEdgeNodes.append(Int32($0)) }
        self.selfEdges = selfEdgeNodes

        let components = StronglyConnectedComponents(nodeCount: nodeCount, offsets: downOffsets, targets: downTargets)
        let componentCount = components.count
        let componentOf = components.componentOf

        // Members of each component, ascending.
        var memberOffsets = [Int32](repeating: 0, count: componentCount + 1)
        for component in componentOf { memberOffsets[Int(component) + 1] += 1 }
        for component in 0..<componentCount { memberOffsets[component + 1] += memberOffsets[component] }
        var members = [Int32](repeating: 0, count: nodeCount)
        do {
            var cursor = memberOffsets
            for node in 0..<nodeCount {
                let component = Int(componentOf[node])
                members[Int(cursor[component])] = Int32(node)
                cursor[component] += 1
            }
        }

        // The condensation DAG: distinct successor components of each component.
        var successorOffsets = [Int32](repeating: 0, count: componentCount + 1)
        var successors: [Int32] = []
        successors.reserveCapacity(down.targets.count)
        var hasPredecessor = Bitset(count: componentCount)
        do {
            var lastSeenBy = [Int32](repeating: -1, count: componentCount)
            for component in 0..<componentCount {
                for memberIndex in Int(memberOffsets[component])..<Int(memberOffsets[component + 1]) {
                    let member = Int(members[memberIndex])
                    for edge in Int(downOffsets[member])..<Int(downOffsets[member + 1]) {
                        let target = componentOf[Int(downTargets[edge])]
                        if Int(target) != component, lastSeenBy[Int(target)] != Int32(component) {
                            lastSeenBy[Int(target)] = Int32(component)
                            successors.append(target)
                            hasPredecessor.insert(Int(target))
                        }
                    }
                }
                successorOffsets[component + 1] = Int32(successors.count)
            }
        }

        // Ranks from a depth-first spanning forest of the DAG, iteratively (a chain of millions is heap, not stack).
        var componentStart = [Int32](repeating: -1, count: componentCount)
        var componentSubtreeEnd = [Int32](repeating: 0, count: componentCount)
        var rankOf = [Int32](repeating: 0, count: nodeCount)
        var nodeAt = [Int32](repeating: 0, count: nodeCount)
        do {
            var nextRank: Int32 = 0
            var frames: [(component: Int32, nextEdge: Int32)] = []
            func enter(_ component: Int) {
                componentStart[component] = nextRank
                for memberIndex in Int(memberOffsets[component])..<Int(memberOffsets[component + 1]) {
                    let node = Int(members[memberIndex])
                    rankOf[node] = nextRank
                    nodeAt[Int(nextRank)] = Int32(node)
                    nextRank += 1
                }
                frames.append((Int32(component), successorOffsets[component]))
            }
            for source in 0..<componentCount where !hasPredecessor.contains(source) {
                enter(source)
                while let frame = frames.last {
                    let component = Int(frame.component)
                    guard frame.nextEdge < successorOffsets[component + 1] else {
                        componentSubtreeEnd[component] = nextRank
                        frames.removeLast()
                        continue
                    }
                    frames[frames.count - 1].nextEdge += 1
                    let successor = Int(successors[Int(frame.nextEdge)])
                    if componentStart[successor] < 0 { enter(successor) }
                }
            }
            precondition(Int(nextRank) == nodeCount, "every component of a DAG is reachable from a source")
        }
        members = []

        // Component sizes from ranks; the members of larger components, for lookups by node.
        func size(_ component: Int) -> Int32 { memberOffsets[component + 1] - memberOffsets[component] }
        var onCycle = Bitset(count: nodeCount)
        var componentRanks: [Int32: Range<Int32>] = [:]
        var cycles: [[Int32]] = []
        for component in 0..<componentCount {
            let start = componentStart[component]
            let ranks = start..<(start + size(component))
            if ranks.count > 1 {
                var group: [Int32] = []
                for rank in ranks {
                    let node = nodeAt[Int(rank)]
                    onCycle.insert(Int(node))
                    componentRanks[node] = ranks
                    group.append(node)
                }
                cycles.append(group)
            } else if selfEdges.contains(Int(nodeAt[Int(start)])) {
                cycles.append([nodeAt[Int(start)]])
            }
        }
        cycles.sort { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }

        // Reach lists, sinks first (Tarjan numbers successors below their predecessors). A component whose merged
        // list is just its spanning subtree stores nothing.
        var subtreeEnd = [Int32](repeating: 0, count: nodeCount)
        var extraSlot = [Int32](repeating: -1, count: componentCount)
        var extraStarts: [Int32] = []
        var extraOffsets: [Int32] = [0]
        var extraLow: [Int32] = []
        var extraHigh: [Int32] = []
        var pending: [(low: Int32, high: Int32)] = []
        var merged: [(low: Int32, high: Int32)] = []
        for component in 0..<componentCount {
            let start = componentStart[component]
            let end = start + size(component)
            let treeEnd = componentSubtreeEnd[component]
            for rank in start..<end { subtreeEnd[Int(rank)] = treeEnd }
            let successorRange = Int(successorOffsets[component])..<Int(successorOffsets[component + 1])
            if successorRange.isEmpty { continue }
            pending.removeAll(keepingCapacity: true)
            for edge in successorRange {
                let successor = Int(successors[edge])
                let successorStart = componentStart[successor]
                let successorEnd = successorStart + size(successor)
                let slot = extraSlot[successor]
                if slot < 0 {
                    pending.append((successorStart, componentSubtreeEnd[successor]))
                } else {
                    pending.append((successorStart, successorEnd))
                    for index in Int(extraOffsets[Int(slot)])..<Int(extraOffsets[Int(slot) + 1]) {
                        pending.append((extraLow[index], extraHigh[index]))
                    }
                }
            }
            if pending.count > 1 { pending.sort { $0.low < $1.low } }
            merged.removeAll(keepingCapacity: true)
            for interval in pending where interval.low < interval.high {
                if let last = merged.last, interval.low <= last.high {
                    merged[merged.count - 1].high = max(last.high, interval.high)
                } else {
                    merged.append(interval)
                }
            }
            if merged.count == 1, merged[0].low == end, merged[0].high == treeEnd { continue }
            if merged.isEmpty, end == treeEnd { continue }
            extraSlot[component] = Int32(extraStarts.count)
            extraStarts.append(start)
            for interval in merged {
                extraLow.append(interval.low)
                extraHigh.append(interval.high)
            }
            extraOffsets.append(Int32(extraLow.count))
        }

        // The side table by first rank, ascending, for binary search.
        let order = extraStarts.indices.sorted { extraStarts[$0] < extraStarts[$1] }
        var hasExtra = Bitset(count: nodeCount)
        var sortedOffsets: [Int32] = [0]
        var sortedLow: [Int32] = []
        var sortedHigh: [Int32] = []
        sortedOffsets.reserveCapacity(order.count + 1)
        for slot in order {
            hasExtra.insert(Int(extraStarts[slot]))
            for index in Int(extraOffsets[slot])..<Int(extraOffsets[slot + 1]) {
                sortedLow.append(extraLow[index])
                sortedHigh.append(extraHigh[index])
            }
            sortedOffsets.append(Int32(sortedLow.count))
        }

        self.rankOf = AppendableArray(rankOf)
        self.nodeAt = AppendableArray(nodeAt)
        self.subtreeEnd = AppendableArray(subtreeEnd)
        self.onCycle = onCycle
        self.componentRanks = componentRanks
        self.hasExtra = hasExtra
        self.extraKeys = order.map { extraStarts[$0] }
        self.extraOffsets = sortedOffsets
        self.extraLow = sortedLow
        self.extraHigh = sortedHigh
        self.cycles = cycles
    }

    private init(
        nodeCount: Int, down: EdgeLists, up: EdgeLists, edgeCount: Int, selfEdges: [Int32],
        rankOf: AppendableArray<Int32>, nodeAt: AppendableArray<Int32>, subtreeEnd: AppendableArray<Int32>,
        onCycle: Bitset, componentRanks: [Int32: Range<Int32>], hasExtra: Bitset, extraKeys: [Int32],
        extraOffsets: [Int32], extraLow: [Int32], extraHigh: [Int32], cycles: [[Int32]]
    ) {
        self.nodeCount = nodeCount
        self.down = down
        self.up = up
        self.edgeCount = edgeCount
        self.selfEdges = selfEdges
        self.rankOf = rankOf
        self.nodeAt = nodeAt
        self.subtreeEnd = subtreeEnd
        self.onCycle = onCycle
        self.componentRanks = componentRanks
        self.hasExtra = hasExtra
        self.extraKeys = extraKeys
        self.extraOffsets = extraOffsets
        self.extraLow = extraLow
        self.extraHigh = extraHigh
        self.cycles = cycles
    }

    /// The hierarchy with `count` nodes appended (indexes `nodeCount ..< nodeCount + count`) and `edges` added,
    /// each into a new node (its child) from an old or a new one; `nil` when the new nodes' edges close a cycle or
    /// a self-edge (a build is then the way).
    ///
    /// Old ranks stay: the new nodes take the ranks after them, in the preorder of their own spanning forest, and
    /// every old component above a new node gets the new ranks it reaches as extra reach intervals. The per-node
    /// arrays grow in place (``AppendableArray``); the side tables are small and copied.
    func appendingLeaves(count: Int, edges: [(parent: Int32, child: Int32)]) throws(ModelIndexError)
        -> NodeHierarchy?
    {
        let base = Int32(nodeCount)
        var localParents: [Int32] = []
        var localChildren: [Int32] = []
        var parentsOfNew = [[Int32]](repeating: [], count: count)
        var childrenOfOld: [Int32: [Int32]] = [:]
        for edge in edges {
            precondition(edge.child >= base, "edges of appended leaves end at a new node")
            if edge.parent == edge.child { return nil }
            parentsOfNew[Int(edge.child - base)].append(edge.parent)
            if edge.parent >= base {
                localParents.append(edge.parent - base)
                localChildren.append(edge.child - base)
            } else {
                childrenOfOld[edge.parent, default: []].append(edge.child)
            }
        }
        let local = try NodeHierarchy(nodeCount: count, parents: localParents, children: localChildren)
        guard local.cycles.isEmpty else { return nil }
        for node in childrenOfOld.keys { childrenOfOld[node] = Array(Set(childrenOfOld[node]!)).sorted() }
        let upLists = parentsOfNew.map { Array(Set($0)).sorted() }
        let downLists = (0..<count).map { node in
            local.down.range(of: node).map { local.down.targets[$0] + base }
        }
        let newEdges = upLists.reduce(0) { $0 + $1.count }

        // What each old component above a new node reaches of the new ranks.
        var gained: [Int32: [Range<Int32>]] = [:]
        for (parent, children) in childrenOfOld {
            var reached: [Range<Int32>] = []
            for child in children {
                for interval in local.reachIntervals(of: Int(child - base), includingComponent: true) {
                    reached.append((interval.lowerBound + base)..<(interval.upperBound + base))
                }
            }
            for ancestor in ancestors(ofAny: [Int(parent)]) {
                gained[componentRanks(of: Int(ancestor)).lowerBound, default: []] += reached
            }
        }
        // The side table: old entries (replaced where a component gained), the gaining components and the new
        // components whose reach is more than their spanning subtree.
        var entries: [Int32: [Range<Int32>]] = [:]
        for (start, intervals) in gained {
            let component = componentRanks(of: Int(nodeAt[Int(start)]))
            var all = intervals
            forEachReachInterval(of: component) { all.append($0) }
            entries[start] = Self.merged(all)
        }
        for (index, start) in local.extraKeys.enumerated() {
            let range = Int(local.extraOffsets[index])..<Int(local.extraOffsets[index + 1])
            entries[start + base] = range.map { (local.extraLow[$0] + base)..<(local.extraHigh[$0] + base) }
        }
        // Old entries in order, replaced where a component gained; then the new ones, merged by key.
        let total = nodeCount + count
        var marks = hasExtra.resized(to: total)
        var offsets: [Int32] = [0]
        var low: [Int32] = []
        var high: [Int32] = []
        var keys: [Int32] = []
        let added = entries.keys.sorted()
        var nextAdded = 0
        func appendEntry(_ key: Int32, _ intervals: [Range<Int32>]) {
            for interval in intervals {
                low.append(interval.lowerBound)
                high.append(interval.upperBound)
            }
            keys.append(key)
            offsets.append(Int32(low.count))
            marks.insert(Int(key))
        }
        for (index, key) in extraKeys.enumerated() {
            while nextAdded < added.count, added[nextAdded] < key {
                appendEntry(added[nextAdded], entries[added[nextAdded]]!)
                nextAdded += 1
            }
            if entries[key] != nil { continue }
            low.append(contentsOf: extraLow[Int(extraOffsets[index])..<Int(extraOffsets[index + 1])])
            high.append(contentsOf: extraHigh[Int(extraOffsets[index])..<Int(extraOffsets[index + 1])])
            keys.append(key)
            offsets.append(Int32(low.count))
        }
        while nextAdded < added.count {
            appendEntry(added[nextAdded], entries[added[nextAdded]]!)
            nextAdded += 1
        }
        return NodeHierarchy(
            nodeCount: total, down: down.appending(lists: downLists, added: childrenOfOld),
            up: up.appending(lists: upLists, added: [:]), edgeCount: edgeCount + newEdges, selfEdges: selfEdges,
            rankOf: rankOf.appending(contentsOf: (0..<count).map { local.rankOf[$0] + base }),
            nodeAt: nodeAt.appending(contentsOf: (0..<count).map { local.nodeAt[$0] + base }),
            subtreeEnd: subtreeEnd.appending(contentsOf: (0..<count).map { local.subtreeEnd[$0] + base }),
            onCycle: onCycle.resized(to: total), componentRanks: componentRanks, hasExtra: marks, extraKeys: keys,
            extraOffsets: offsets, extraLow: low, extraHigh: high, cycles: cycles)
    }

    /// Intervals sorted, with overlapping and adjacent ones merged.
    private static func merged(_ intervals: [Range<Int32>]) -> [Range<Int32>] {
        let sorted = intervals.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int32>] = []
        for interval in sorted where !interval.isEmpty {
            if let last = merged.last, interval.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, interval.upperBound)
            } else {
                merged.append(interval)
            }
        }
        return merged
    }

    /// The ranks of `node`'s component (one rank for a node on no cycle).
    @inline(__always)
    func componentRanks(of node: Int) -> Range<Int32> {
        if onCycle.contains(node), let ranks = componentRanks[Int32(node)] { return ranks }
        let rank = rankOf[node]
        return rank..<(rank + 1)
    }

    /// Calls `body` with every rank interval reached from the component with ranks `component` (the component
    /// excluded), ascending and disjoint.
    @inline(__always)
    func forEachReachInterval(of component: Range<Int32>, _ body: (Range<Int32>) -> Void) {
        let start = component.lowerBound
        if hasExtra.contains(Int(start)) {
            var low = 0
            var high = extraKeys.count
            while low < high {
                let middle = (low + high) >> 1
                if extraKeys[middle] < start { low = middle + 1 } else { high = middle }
            }
            for index in Int(extraOffsets[low])..<Int(extraOffsets[low + 1]) {
                body(extraLow[index]..<extraHigh[index])
            }
            return
        }
        let end = subtreeEnd[Int(start)]
        if component.upperBound < end { body(component.upperBound..<end) }
    }

    /// The rank intervals of `node`'s descendants, with `node`'s own component (so `node` too) when
    /// `includingComponent`: ascending, disjoint and merged.
    func reachIntervals(of node: Int, includingComponent: Bool) -> [Range<Int32>] {
        let component = componentRanks(of: node)
        var intervals: [Range<Int32>] = includingComponent ? [component] : []
        forEachReachInterval(of: component) { intervals.append($0) }
        guard intervals.count > 1 else { return intervals }
        intervals.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int32>] = []
        merged.reserveCapacity(intervals.count)
        for interval in intervals {
            if let last = merged.last, interval.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, interval.upperBound)
            } else {
                merged.append(interval)
            }
        }
        return merged
    }

    /// Distinct descendants of `node` (`node` excluded even on a cycle).
    func downlineSize(of node: Int) -> Int {
        let component = componentRanks(of: node)
        var size = component.count - 1
        forEachReachInterval(of: component) { size += $0.count }
        return size
    }

    /// Whether the edge `parent` → `child` is stored.
    func hasEdge(from parent: Int, to child: Int) -> Bool {
        if parent == child {
            let position = Self.lowerBound(selfEdges, Int32(parent))
            return position < selfEdges.count && selfEdges[position] == Int32(parent)
        }
        let targets = down.range(of: parent)
        let position = down.targets.withUnsafeBufferPointer {
            Self.lowerBound(UnsafeBufferPointer(rebasing: $0[targets]), Int32(child))
        }
        if position < targets.count && down.targets[targets.lowerBound + position] == Int32(child) { return true }
        return down.extraTargets(of: parent)?.contains(Int32(child)) ?? false
    }

    private static func lowerBound(_ values: [Int32], _ value: Int32) -> Int {
        values.withUnsafeBufferPointer { lowerBound($0, value) }
    }

    private static func lowerBound(_ values: UnsafeBufferPointer<Int32>, _ value: Int32) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) >> 1
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Every node that reaches one of `seeds` (the seeds included), by breadth-first search over `up`.
    func ancestors(ofAny seeds: some Sequence<Int>) -> [Int32] {
        var visited = VisitedNodes(nodeCount: nodeCount, expected: nil)
        var found: [Int32] = []
        for seed in seeds where visited.insert(Int32(seed)) { found.append(Int32(seed)) }
        var position = 0
        while position < found.count {
            let node = Int(found[position])
            position += 1
            up.forEachTarget(of: node) { parent in
                if visited.insert(parent) { found.append(parent) }
            }
        }
        return found
    }

    var byteCount: Int {
        down.byteCount + up.byteCount + rankOf.byteCount + nodeAt.byteCount + subtreeEnd.byteCount
            + onCycle.words.capacity * 8 + hasExtra.words.capacity * 8 + componentRanks.capacity * 16
            + (extraKeys.capacity + extraOffsets.capacity + extraLow.capacity + extraHigh.capacity) * 4
            + cycles.reduce(0) { $0 + $1.capacity * 4 }
    }
}
