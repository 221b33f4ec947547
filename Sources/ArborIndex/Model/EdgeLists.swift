/// Distinct targets per node, ascending, in one flat array (compressed sparse rows): the targets of node `n` are
/// `targets[offsets[n] ..< offsets[n + 1]]`. Self-edges are left out (they reach nothing new).
struct EdgeLists: Sendable {
    let offsets: [Int32]
    let targets: [Int32]

    /// - Throws: ``ModelIndexError`` when there are more distinct edges than 32-bit offsets address.
    init(nodeCount: Int, from sources: [Int32], to destinations: [Int32]) throws(ModelIndexError) {
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
        self.offsets = offsets
        self.targets = targets
    }

    @inline(__always)
    func range(of node: Int) -> Range<Int> { Int(offsets[node])..<Int(offsets[node + 1]) }

    func count(of node: Int) -> Int { Int(offsets[node + 1] - offsets[node]) }

    var byteCount: Int { offsets.capacity * 4 + targets.capacity * 4 }
}
