/// Strongly connected components of a graph in compressed adjacency form, by Tarjan's algorithm driven by an
/// explicit stack: a chain a million users deep needs heap memory, not a million native stack frames.
struct StronglyConnectedComponents {
    /// The component of each node. Components are numbered in the order Tarjan completes them, so every
    /// component reachable from component `c` has a number below `c` (sinks first).
    let componentOf: [Int32]
    let count: Int

    init(nodeCount: Int, offsets: [Int32], targets: [Int32]) {
        let unvisited: Int32 = -1
        var order = [Int32](repeating: unvisited, count: nodeCount)
        var lowlink = [Int32](repeating: 0, count: nodeCount)
        var onStack = [Bool](repeating: false, count: nodeCount)
        var componentOf = [Int32](repeating: -1, count: nodeCount)
        var stack: [Int32] = []
        // The recursion of textbook Tarjan, made explicit: each frame is a node and its next edge to follow.
        var frames: [(node: Int32, nextEdge: Int32)] = []
        var nextOrder: Int32 = 0
        var componentCount: Int32 = 0

        for start in 0..<nodeCount where order[start] == unvisited {
            order[start] = nextOrder
            lowlink[start] = nextOrder
            nextOrder += 1
            stack.append(Int32(start))
            onStack[start] = true
            frames.append((Int32(start), offsets[start]))

            while let frame = frames.last {
                let node = Int(frame.node)
                if frame.nextEdge < offsets[node + 1] {
                    frames[frames.count - 1].nextEdge = frame.nextEdge + 1
                    let target = Int(targets[Int(frame.nextEdge)])
                    if order[target] == unvisited {
                        order[target] = nextOrder
                        lowlink[target] = nextOrder
                        nextOrder += 1
                        stack.append(Int32(target))
                        onStack[target] = true
                        frames.append((Int32(target), offsets[target]))
                    } else if onStack[target] {
                        lowlink[node] = min(lowlink[node], order[target])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last {
                    lowlink[Int(parent.node)] = min(lowlink[Int(parent.node)], lowlink[node])
                }
                if lowlink[node] == order[node] {
                    while true {
                        let member = Int(stack.removeLast())
                        onStack[member] = false
                        componentOf[member] = componentCount
                        if member == node { break }
                    }
                    componentCount += 1
                }
            }
        }
        self.componentOf = componentOf
        self.count = Int(componentCount)
    }
}
