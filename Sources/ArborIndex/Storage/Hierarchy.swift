/// The supervision graph in the forms the queries need.
///
/// - Users are dense indexes in id order, so "ties by id" is "ties by index".
/// - `children` is compressed adjacency (CSR): the distinct children of user `u` other than `u` itself are
///   `children[childOffsets[u] ..< childOffsets[u + 1]]`, ascending. Breadth-first search with depths runs on it.
/// - Strongly connected components are collapsed into a condensation DAG; components get preorder positions from
///   a depth-first spanning forest of that DAG. Everything a component reaches (itself excluded) is then a short
///   sorted list of position intervals: its spanning subtree is one interval, and only edges that leave the
///   subtree add more. On a tree, a chain or a ladder of diamonds that list stays one or two intervals long, so
///   sums over a downline are a few prefix-sum differences, not a traversal.
struct Hierarchy: Sendable {
    let userCount: Int
    let childOffsets: [Int32]
    let children: [Int32]

    let componentCount: Int
    let componentOf: [Int32]
    /// Members of component `c`, ascending: `members[memberOffsets[c] ..< memberOffsets[c + 1]]`.
    let memberOffsets: [Int32]
    let members: [Int32]

    /// Preorder position of each component, and the component at each position.
    let positionOf: [Int32]
    let componentAt: [Int32]
    /// Positions reached from component `c` (`c` excluded), as half-open intervals sorted and disjoint:
    /// `reachLow[i] ..< reachHigh[i]` for `i` in `reachOffsets[c] ..< reachOffsets[c + 1]`.
    let reachOffsets: [Int32]
    let reachLow: [Int32]
    let reachHigh: [Int32]

    /// Distinct descendants of any member of component `c` (the member itself excluded).
    let downlineSize: [UInt32]
    /// Groups of users that reach each other (size ≥ 2, or a self-edge): largest first, then by first member.
    let cycles: [[Int32]]

    /// Builds from edges given as user indexes (`parents[i]` supervises `childrenOfEdges[i]`).
    init(userCount: Int, parents: [Int32], childrenOfEdges: [Int32]) {
        self.userCount = userCount
        var hasSelfEdge = [Bool](repeating: false, count: userCount)

        // Compressed adjacency by counting sort on the parent; duplicates and self-edges dropped.
        var offsets = [Int32](repeating: 0, count: userCount + 1)
        for (parent, child) in zip(parents, childrenOfEdges) where parent != child { offsets[Int(parent) + 1] += 1 }
        for user in 0..<userCount { offsets[user + 1] += offsets[user] }
        var cursor = offsets
        var targets = [Int32](repeating: 0, count: Int(offsets[userCount]))
        for (parent, child) in zip(parents, childrenOfEdges) {
            if parent == child {
                hasSelfEdge[Int(parent)] = true
                continue
            }
            targets[Int(cursor[Int(parent)])] = child
            cursor[Int(parent)] += 1
        }
        var deduplicated = [Int32](repeating: 0, count: userCount + 1)
        var write = 0
        targets.withUnsafeMutableBufferPointer { buffer in
            for user in 0..<userCount {
                let start = Int(offsets[user])
                let end = Int(offsets[user + 1])
                if end - start > 1 { buffer[start..<end].sort() }
                var previous: Int32 = -1
                for index in start..<end where buffer[index] != previous {
                    previous = buffer[index]
                    buffer[write] = previous
                    write += 1
                }
                deduplicated[user + 1] = Int32(write)
            }
        }
        targets.removeLast(targets.count - write)
        self.childOffsets = deduplicated
        self.children = targets

        let components = StronglyConnectedComponents(nodeCount: userCount, offsets: deduplicated, targets: targets)
        let componentCount = components.count
        self.componentCount = componentCount
        self.componentOf = components.componentOf

        var memberOffsets = [Int32](repeating: 0, count: componentCount + 1)
        for component in components.componentOf { memberOffsets[Int(component) + 1] += 1 }
        for component in 0..<componentCount { memberOffsets[component + 1] += memberOffsets[component] }
        var memberCursor = memberOffsets
        var members = [Int32](repeating: 0, count: userCount)
        for user in 0..<userCount {
            let component = Int(components.componentOf[user])
            members[Int(memberCursor[component])] = Int32(user)
            memberCursor[component] += 1
        }
        self.memberOffsets = memberOffsets
        self.members = members

        // Condensation DAG: distinct successor components of each component.
        var successorOffsets = [Int32](repeating: 0, count: componentCount + 1)
        var successors: [Int32] = []
        var lastSeenBy = [Int32](repeating: -1, count: componentCount)
        var hasPredecessor = [Bool](repeating: false, count: componentCount)
        for component in 0..<componentCount {
            for memberIndex in Int(memberOffsets[component])..<Int(memberOffsets[component + 1]) {
                let user = Int(members[memberIndex])
                for edge in Int(deduplicated[user])..<Int(deduplicated[user + 1]) {
                    let target = components.componentOf[Int(targets[edge])]
                    if Int(target) != component, lastSeenBy[Int(target)] != Int32(component) {
                        lastSeenBy[Int(target)] = Int32(component)
                        successors.append(target)
                        hasPredecessor[Int(target)] = true
                    }
                }
            }
            successorOffsets[component + 1] = Int32(successors.count)
        }

        // Preorder positions from a depth-first spanning forest of the DAG, iteratively.
        var positionOf = [Int32](repeating: -1, count: componentCount)
        var componentAt = [Int32](repeating: 0, count: componentCount)
        var nextPosition: Int32 = 0
        var frames: [(component: Int32, nextEdge: Int32)] = []
        for source in 0..<componentCount where !hasPredecessor[source] {
            positionOf[source] = nextPosition
            componentAt[Int(nextPosition)] = Int32(source)
            nextPosition += 1
            frames.append((Int32(source), successorOffsets[source]))
            while let frame = frames.last {
                let component = Int(frame.component)
                guard frame.nextEdge < successorOffsets[component + 1] else {
                    frames.removeLast()
                    continue
                }
                frames[frames.count - 1].nextEdge += 1
                let successor = Int(successors[Int(frame.nextEdge)])
                if positionOf[successor] < 0 {
                    positionOf[successor] = nextPosition
                    componentAt[Int(nextPosition)] = Int32(successor)
                    nextPosition += 1
                    frames.append((Int32(successor), successorOffsets[successor]))
                }
            }
        }
        precondition(Int(nextPosition) == componentCount, "every component of a DAG is reachable from a source")
        self.positionOf = positionOf
        self.componentAt = componentAt

        // Reach intervals, sinks first: a component's successors are finished before it (Tarjan numbering).
        var reachOffsets = [Int32](repeating: 0, count: componentCount + 1)
        var reachLow: [Int32] = []
        var reachHigh: [Int32] = []
        var pending: [(low: Int32, high: Int32)] = []
        for component in 0..<componentCount {
            pending.removeAll(keepingCapacity: true)
            for edge in Int(successorOffsets[component])..<Int(successorOffsets[component + 1]) {
                let successor = Int(successors[edge])
                let position = positionOf[successor]
                pending.append((position, position + 1))
                for interval in Int(reachOffsets[successor])..<Int(reachOffsets[successor + 1]) {
                    pending.append((reachLow[interval], reachHigh[interval]))
                }
            }
            if pending.count > 1 { pending.sort { $0.low < $1.low } }
            var current: (low: Int32, high: Int32)? = nil
            for interval in pending {
                if let open = current, interval.low <= open.high {
                    current = (open.low, max(open.high, interval.high))
                } else {
                    if let open = current {
                        reachLow.append(open.low)
                        reachHigh.append(open.high)
                    }
                    current = interval
                }
            }
            if let open = current {
                reachLow.append(open.low)
                reachHigh.append(open.high)
            }
            reachOffsets[component + 1] = Int32(reachLow.count)
        }
        self.reachOffsets = reachOffsets
        self.reachLow = reachLow
        self.reachHigh = reachHigh

        // Downline sizes from member-count prefix sums over positions.
        var sizePrefix = [UInt32](repeating: 0, count: componentCount + 1)
        for position in 0..<componentCount {
            let component = Int(componentAt[position])
            sizePrefix[position + 1] =
                sizePrefix[position] + UInt32(memberOffsets[component + 1] - memberOffsets[component])
        }
        var downlineSize = [UInt32](repeating: 0, count: componentCount)
        for component in 0..<componentCount {
            var size: UInt32 = 0
            for interval in Int(reachOffsets[component])..<Int(reachOffsets[component + 1]) {
                size += sizePrefix[Int(reachHigh[interval])] - sizePrefix[Int(reachLow[interval])]
            }
            let own = UInt32(memberOffsets[component + 1] - memberOffsets[component])
            downlineSize[component] = size + (own > 1 ? own - 1 : 0)
        }
        self.downlineSize = downlineSize

        var cycles: [[Int32]] = []
        for component in 0..<componentCount {
            let group = Array(members[Int(memberOffsets[component])..<Int(memberOffsets[component + 1])])
            if group.count > 1 || hasSelfEdge[Int(group[0])] { cycles.append(group) }
        }
        cycles.sort { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
        self.cycles = cycles
    }

    /// The members of component `c`.
    func members(of component: Int) -> ArraySlice<Int32> {
        members[Int(memberOffsets[component])..<Int(memberOffsets[component + 1])]
    }

    /// Calls `body` with every descendant of `user` (distinct, `user` excluded, any order).
    func forEachDescendant(of user: Int, _ body: (Int) -> Void) {
        let component = Int(componentOf[user])
        for member in members(of: component) where Int(member) != user { body(Int(member)) }
        for interval in Int(reachOffsets[component])..<Int(reachOffsets[component + 1]) {
            for position in Int(reachLow[interval])..<Int(reachHigh[interval]) {
                for member in members(of: Int(componentAt[position])) { body(Int(member)) }
            }
        }
    }

    /// Whether `user` is a descendant of `ancestor` (never of itself unless on a cycle, and never reported here
    /// for `user == ancestor`).
    func isDescendant(_ user: Int, of ancestor: Int) -> Bool {
        guard user != ancestor else { return false }
        let component = Int(componentOf[ancestor])
        let target = Int(componentOf[user])
        if target == component { return true }
        let position = positionOf[target]
        var low = Int(reachOffsets[component])
        var high = Int(reachOffsets[component + 1])
        while low < high {
            let middle = (low + high) >> 1
            if reachHigh[middle] <= position { low = middle + 1 } else { high = middle }
        }
        return low < Int(reachOffsets[component + 1]) && reachLow[low] <= position
    }
}
