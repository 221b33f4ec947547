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
        let hasExtra = !edges.extra.isEmpty

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
        var sorter = LevelSorter(nodeCount: nodeCount)
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
                        // Targets a refresh appended to this node's list.
                        if hasExtra, let more = edges.extraTargets(of: Int(parent)) {
                            for child in more where visited.insert(child) {
                                level.append(UInt64(child) << 32 | UInt64(parent))
                            }
                        }
                    }
                }
            }
            sorter.sort(&level)
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
        var previousParent = -1
        var parentID = ids[root]
        for (position, entry) in picked.enumerated() {
            // Siblings come together, so the parent's id is usually the one just made.
            let parent = Int(entry & 0xFFFF_FFFF)
            if parent != previousParent {
                previousParent = parent
                parentID = ids[parent]
            }
            entries.append(TraversalEntry(id: ids[Int(entry >> 32)], depth: depths[position], parent: parentID))
        }
        let columns = query.columns.map { column in
            let values = values(of: column, count: picked.count)
            return picked.map { entry in values(Int(entry >> 32)) }
        }
        return NodeTraversalResult(entries: entries, columns: columns, total: total)
    }

    /// A returned column's value of each node, NULL as `""`.
    ///
    /// - Parameter count: how many values will be asked for: when that is more than the column has distinct values,
    ///   each value is decoded once up front.
    func values(of column: ResolvedModel.NodeColumn, count: Int = 0) -> (Int) -> String {
        let encoded: EncodedColumn
        switch column {
        case .label:
            guard let label else { return { _ in "" } }
            encoded = label
        case .attribute(let attribute):
            encoded = attributes[model.attributeIndex(named: attribute.name)!]
        }
        guard encoded.dictionary.codeCount < count else { return { encoded.text(of: $0) } }
        let texts = (0...encoded.dictionary.codeCount).map { encoded.dictionary.text(ofCode: UInt32($0)) }
        return { texts[Int(encoded.code(of: $0))] }
    }
}
