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
        try traversal(query).result()
    }

    /// ``traverse(_:)`` with the nodes kept as positions in this index, for encoders that write ids straight from
    /// it.
    public func traversal(_ query: NodeTraversalQuery) throws(QueryError) -> IndexedTraversal {
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
        if let expected, query.maxDepth == 0 {
            picked.reserveCapacity(min(expected, limit))
            depths.reserveCapacity(min(expected, limit))
        }
        var visited = VisitedNodes(nodeCount: nodeCount, expected: expected)
        _ = visited.insert(Int32(root))
        // The previous level's entries (`node << 32 | parent`), in node order, and the one being found.
        var frontier: [UInt64] = [UInt64(root) << 32 | UInt64(root)]
        var level: [UInt64] = []
        var sorter = LevelSorter(nodeCount: nodeCount)
        var depth: UInt32 = 0
        while !frontier.isEmpty, query.maxDepth == 0 || depth < query.maxDepth {
            try QueryError.checkCancellation()
            depth += 1
            level.removeAll(keepingCapacity: true)
            withExtendedLifetime(edges) {
                let offsets = edges.offsets.unsafeElements
                let targets = edges.targets.unsafeElements
                for entry in frontier {
                    let parent = Int(truncatingIfNeeded: entry >> 32)
                    for edge in Int(offsets[parent])..<Int(offsets[parent + 1]) {
                        let child = targets[edge]
                        if visited.insert(child) { level.append(UInt64(child) << 32 | UInt64(parent)) }
                    }
                    // Targets a refresh appended to this node's list.
                    if hasExtra, let more = edges.extraTargets(of: parent) {
                        for child in more where visited.insert(child) {
                            level.append(UInt64(child) << 32 | UInt64(parent))
                        }
                    }
                }
            }
            sorter.sort(&level)
            if filter.isEmpty {
                total += UInt64(level.count)
                let room = min(level.count, limit - picked.count)
                picked.append(contentsOf: level[..<room])
                depths.append(contentsOf: repeatElement(depth, count: room))
            } else {
                for entry in level where filter.passes(Int(truncatingIfNeeded: entry >> 32)) {
                    total += 1
                    if picked.count < limit {
                        picked.append(entry)
                        depths.append(depth)
                    }
                }
            }
            swap(&frontier, &level)
        }

        let columns = query.columns.map { column in
            let values = values(of: column, count: picked.count)
            return picked.map { entry in values(Int(entry >> 32)) }
        }
        return IndexedTraversal(index: self, entries: picked, depths: depths, columns: columns, total: total)
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
