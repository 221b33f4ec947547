public import ArborModel

extension ModelIndex {
    /// Descendants or Ancestors of a node (see ``NodeTraversalQuery``).
    ///
    /// Breadth-first search over the adjacency, one level at a time: the level is sorted by node index (id order),
    /// and the frontier is expanded in that order, so the first node that reaches a new one is its smallest parent
    /// one level up — the tree parent, from the unfiltered traversal. The filter only decides what is returned.
    ///
    /// - Throws: INVALID_ARGUMENT for an unknown value of a closed attribute (checked first), then
    ///   ``QueryError/unknownNode(_:field:)`` for `root`; ``QueryError/cancelled`` between levels.
    public func traverse(_ query: NodeTraversalQuery) throws(QueryError) -> NodeTraversalResult {
        try checkClosedValues(query.closedValueChecks)
        let root = try index(of: query.root, field: "root")
        let filter = NodeFilter(query.filter, attributes: attributes)
        let limit = query.limit == 0 ? Int.max : Int(query.limit)
        let edges = query.direction == .descendants ? hierarchy.down : hierarchy.up

        // (node << 32 | parent) and depth of each returned node.
        var picked: [UInt64] = []
        var depths: [UInt32] = []
        var total: UInt64 = 0
        if query.includeRoot, filter.passes(root) {
            total += 1
            if limit > 0 {
                picked.append(UInt64(root) << 32 | UInt64(root))
                depths.append(0)
            }
        }

        let expected = query.direction == .descendants ? hierarchy.downlineSize(of: root) + 1 : nil
        var visited = VisitedNodes(nodeCount: nodeCount, expected: expected)
        _ = visited.insert(Int32(root))
        var frontier: [Int32] = [Int32(root)]
        var level: [UInt64] = []
        var depth: UInt32 = 0
        while !frontier.isEmpty, query.maxDepth == 0 || depth < query.maxDepth {
            try QueryError.checkCancellation()
            depth += 1
            level.removeAll(keepingCapacity: true)
            edges.offsets.withUnsafeBufferPointer { offsets in
                edges.targets.withUnsafeBufferPointer { targets in
                    for parent in frontier {
                        for edge in Int(offsets[Int(parent)])..<Int(offsets[Int(parent) + 1]) {
                            let child = targets[edge]
                            if visited.insert(child) { level.append(UInt64(child) << 32 | UInt64(parent)) }
                        }
                    }
                }
            }
            level.sort()
            frontier.removeAll(keepingCapacity: true)
            for entry in level {
                let node = Int32(truncatingIfNeeded: entry >> 32)
                frontier.append(node)
                guard filter.isEmpty || filter.passes(Int(node)) else { continue }
                total += 1
                if picked.count < limit {
                    picked.append(entry)
                    depths.append(depth)
                }
            }
        }

        var entries: [TraversalEntry] = []
        entries.reserveCapacity(picked.count)
        for (position, entry) in picked.enumerated() {
            entries.append(
                TraversalEntry(
                    id: ids[Int(entry >> 32)], depth: depths[position], parent: ids[Int(entry & 0xFFFF_FFFF)]))
        }
        let columns = query.columns.map { column in
            let values = values(of: column)
            return picked.map { entry in values(Int(entry >> 32)) }
        }
        return NodeTraversalResult(entries: entries, columns: columns, total: total)
    }

    /// A returned column's value of each node, NULL as `""`.
    func values(of column: ResolvedModel.NodeColumn) -> (Int) -> String {
        switch column {
        case .label:
            return { self.labelText(of: $0) }
        case .attribute(let attribute):
            let column = attributes[model.attributeIndex(named: attribute.name)!]
            return { column.text(of: $0) }
        }
    }
}
