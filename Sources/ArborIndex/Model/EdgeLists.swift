/// Distinct targets per node, ascending, in one flat array (compressed sparse rows): the targets of node `n` are
/// `targets[offsets[n] ..< offsets[n + 1]]`, followed by `extra[n]` for the few nodes marked in `hasExtra`. Self-edges
/// are left out (they reach nothing new).
///
/// An incremental refresh that appends nodes appends their lists in place (``AppendableArray``); the new targets of
/// an existing node (always nodes above every old one, so the list stays ascending) go to `extra`, since its run
/// sits in the middle of `targets`.
struct EdgeLists: Sendable {
    let offsets: AppendableArray<Int32>
    let targets: AppendableArray<Int32>
    /// Targets appended to existing nodes' lists, and the nodes that have some.
    let extra: [Int32: [Int32]]
    let hasExtra: Bitset

    /// - Throws: ``ModelIndexError`` when there are more distinct edges than 32-bit offsets address.
    init(nodeCount: Int, from sources: [Int32], to destinations: [Int32]) throws(ModelIndexError) {
        let (offsets, targets) = try Self.lists(nodeCount: nodeCount, from: sources, to: destinations)
        self.init(offsets: offsets, targets: targets)
    }

    init(offsets: [Int32], targets: [Int32]) {
        self.offsets = AppendableArray(offsets)
        self.targets = AppendableArray(targets)
        self.extra = [:]
        self.hasExtra = Bitset(count: 0)
    }

    /// The compressed rows of the edges `sources[i]` → `destinations[i]`: offsets and targets.
    static func lists(nodeCount: Int, from sources: [Int32], to destinations: [Int32]) throws(ModelIndexError) -> (
        offsets: [Int32], targets: [Int32]
    ) {
        var offsets = [Int32](repeating: 0, count: nodeCount + 1)
        var edgeCount = 0
        for (source, destination) in zip(sources, destinations) where source != destination {
            offsets[Int(source) + 1] += 1
            edgeCount += 1
        }
        guard edgeCount < Int(Int32.max) else {
            throw .tooLarge("\(edgeCount) edges; the index holds at most \(Int32.max - 1)")
        }
        for node in 0..<nodeCount { offsets[node + 1] += offsets[node] }
        var targets = [Int32](repeating: 0, count: edgeCount)
        var cursor = offsets
        for (source, destination) in zip(sources, destinations) where source != destination {
            targets[Int(cursor[Int(source)])] = destination
            cursor[Int(source)] += 1
        }
        cursor = []
        // Sort and deduplicate each row in place, compacting as we go.
        var write = 0
        targets.withUnsafeMutableBufferPointer { buffer in
            offsets.withUnsafeMutableBufferPointer { offsets in
                var start = 0
                for node in 0..<nodeCount {
                    let end = Int(offsets[node + 1])
                    if end - start > 1 { buffer[start..<end].sort() }
                    var previous: Int32 = -1
                    for index in start..<end where buffer[index] != previous {
                        previous = buffer[index]
                        buffer[write] = previous
                        write += 1
                    }
                    start = end
                    offsets[node + 1] = Int32(write)
                }
            }
        }
        targets.removeLast(targets.count - write)
        return (offsets, targets)
    }

    private init(
        offsets: AppendableArray<Int32>, targets: AppendableArray<Int32>, extra: [Int32: [Int32]], hasExtra: Bitset
    ) {
        self.offsets = offsets
        self.targets = targets
        self.extra = extra
        self.hasExtra = hasExtra
    }

    /// The positions in `targets` of the node's base list (its ``extra`` targets come after them).
    @inline(__always)
    func range(of node: Int) -> Range<Int> { Int(offsets[node])..<Int(offsets[node + 1]) }

    /// The targets appended to `node`'s list by a refresh, if any.
    @inline(__always)
    func extraTargets(of node: Int) -> [Int32]? {
        guard !extra.isEmpty, node < hasExtra.count, hasExtra.contains(node) else { return nil }
        return extra[Int32(node)]
    }

    /// Calls `body` with every target of `node`, ascending.
    @inline(__always)
    func forEachTarget(of node: Int, _ body: (Int32) -> Void) {
        for edge in range(of: node) { body(targets[edge]) }
        if let more = extraTargets(of: node) { for target in more { body(target) } }
    }

    func count(of node: Int) -> Int { Int(offsets[node + 1] - offsets[node]) + (extraTargets(of: node)?.count ?? 0) }

    /// The lists with nodes appended (`lists`: each new node's targets, ascending) and targets appended to existing
    /// nodes' lists (`added`: node, then its new targets, each above every target it had).
    func appending(lists: [[Int32]], added: [Int32: [Int32]]) -> EdgeLists {
        var offsetsTail: [Int32] = []
        var targetsTail: [Int32] = []
        var next = offsets[offsets.count - 1]
        for list in lists {
            targetsTail += list
            next += Int32(list.count)
            offsetsTail.append(next)
        }
        var extra = self.extra
        var hasExtra = self.hasExtra
        let nodeCount = offsets.count - 1 + lists.count
        if !added.isEmpty {
            hasExtra = hasExtra.resized(to: nodeCount)
            for (node, targets) in added {
                extra[node, default: []] += targets
                hasExtra.insert(Int(node))
            }
        }
        return EdgeLists(
            offsets: offsets.appending(contentsOf: offsetsTail), targets: targets.appending(contentsOf: targetsTail),
            extra: extra, hasExtra: hasExtra)
    }

    var byteCount: Int {
        offsets.byteCount + targets.byteCount + extra.values.reduce(0) { $0 + $1.count * 4 } + hasExtra.words.count * 8
    }
}
