public import ArborModel

extension ModelIndex {
    /// Nodes by label prefix, ids and filter (see ``FindNodesQuery``), by label bytes then id, a page at a time.
    ///
    /// A label prefix is a run of values in case-folded order (``LabelOrder``), and the nodes of each value are a run
    /// of the label order; ids are binary searches; a filter alone walks the label order from the page's start.
    /// Each path stops once a node past the page is found.
    ///
    /// - Throws: INVALID_ARGUMENT for an unknown value of a closed attribute.
    public func find(_ query: FindNodesQuery) throws(QueryError) -> FindNodesResult {
        try checkClosedValues(query.closedValueChecks)
        let filter = NodeFilter(query.filter, attributes: attributes)
        let limit = Int(query.limit)
        let after = query.after.map { FindPosition(label: $0.label, id: $0.id, index: self) }
        func isAfter(_ node: Int) -> Bool { after?.precedes(node, index: self) ?? true }

        var found: [Int] = []
        if let ids = query.ids {
            let codes = query.labelPrefix.map { Set(labelCodes(withPrefix: $0)) }
            var nodes = Set<Int>()
            for id in ids {
                guard let node = self.ids.index(of: id) else { continue }
                if let codes, !codes.contains(label!.code(of: node)) { continue }
                if filter.isEmpty || filter.passes(node), isAfter(node) { nodes.insert(node) }
            }
            found = nodes.sorted {
                labelKey(of: $0) != labelKey(of: $1) ? labelKey(of: $0) < labelKey(of: $1) : $0 < $1
            }
            found = Array(found.prefix(limit + 1))
        } else if let prefix = query.labelPrefix, let labelOrder {
            let dictionary = label!.dictionary
            for code in labelCodes(withPrefix: prefix) {
                let key = Int(dictionary.key(ofCode: code))
                if let after, !after.mayPrecede(key: UInt32(key)) { continue }
                _ = try labelOrder.forEachNode(ofKey: key, from: 0) { node throws(QueryError) in
                    guard isAfter(Int(node)), filter.isEmpty || filter.passes(Int(node)) else { return true }
                    found.append(Int(node))
                    return found.count <= limit
                }
                if found.count > limit { break }
            }
        } else if let labelOrder {
            let start = after?.start(in: labelOrder) ?? (key: 0, firstIndex: 0)
            var key = start.key
            while key < labelOrder.keyCount, found.count <= limit {
                _ = try labelOrder.forEachNode(ofKey: key, from: key == start.key ? start.firstIndex : 0) {
                    node throws(QueryError) in
                    if filter.isEmpty || filter.passes(Int(node)) { found.append(Int(node)) }
                    return found.count <= limit
                }
                key += 1
            }
        } else {
            var position = after?.start(in: nil, nodeCount: nodeCount) ?? 0
            while position < nodeCount, found.count <= limit {
                if position & 65535 == 65535 { try QueryError.checkCancellation() }
                if filter.isEmpty || filter.passes(position) { found.append(position) }
                position += 1
            }
        }

        let hasMore = found.count > limit
        let nodes = found.prefix(limit).map { node in
            FoundNode(
                id: ids[node], label: labelText(of: node),
                attributes: query.attributes.map { attributes[$0].text(of: node) })
        }
        return FindNodesResult(nodes: nodes, hasMore: hasMore)
    }

    /// The label codes matching a prefix, ascending.
    private func labelCodes(withPrefix prefix: String) -> [UInt32] {
        guard let label, let labelOrder else { return [] }
        return labelOrder.codes(withPrefix: prefix, dictionary: label.dictionary)
    }

    /// The label's key number of `node` (0 without a label).
    func labelKey(of node: Int) -> UInt32 { label?.key(of: node) ?? 0 }
}

/// Where a FindNodes page starts: strictly after a (label, id) that need not exist any more.
struct FindPosition {
    /// Label keys above `key` come after; with `exact`, key `key` itself comes after from node `firstIndex` on.
    private let key: UInt32
    private let exact: Bool
    private let firstIndex: Int

    init(label text: String, id: NodeID, index: ModelIndex) {
        let lowerBound = index.ids.lowerBound(id)
        firstIndex = index.ids.index(of: id) != nil ? lowerBound + 1 : lowerBound
        if text.isEmpty {
            (key, exact) = (0, true)
        } else if let dictionary = index.label?.dictionary {
            if let code = dictionary.code(of: text) {
                (key, exact) = (dictionary.key(ofCode: code), true)
            } else {
                // The first value above the label: its key and every key above it come after.
                let code = UInt32(dictionary.values.lowerBound(text) + 1)
                (key, exact) = (
                    code > UInt32(dictionary.count) ? UInt32(dictionary.keyCount) : dictionary.key(ofCode: code), false
                )
            }
        } else {
            // No label: every node's label is "", which orders before any other label.
            (key, exact) = (1, false)
        }
    }

    /// Whether `node` comes strictly after this position.
    func precedes(_ node: Int, index: ModelIndex) -> Bool {
        let nodeKey = index.labelKey(of: node)
        if nodeKey != key { return nodeKey > key }
        return exact ? node >= firstIndex : true
    }

    /// Whether a node with label key `key` can come after this position.
    func mayPrecede(key nodeKey: UInt32) -> Bool { nodeKey >= key }

    /// Where the label order continues after this position: from label key `key`, nodes from index `firstIndex` on
    /// in that key (every node of the keys above it).
    func start(in order: LabelOrder) -> (key: Int, firstIndex: Int) {
        (Int(key), exact ? firstIndex : 0)
    }

    /// The first position of the label order (or of node order, without a label) that comes after this one.
    func start(in order: LabelOrder?, nodeCount: Int) -> Int {
        guard let order else { return key == 0 && exact ? firstIndex : (key == 0 ? 0 : nodeCount) }
        guard Int(key) < order.keyOffsets.count - 1 else { return nodeCount }
        let start = Int(order.keyOffsets[Int(key)])
        let end = Int(order.keyOffsets[Int(key) + 1])
        guard exact else { return start }
        // Nodes of the key are ascending: skip those before `firstIndex`.
        var low = start
        var high = end
        while low < high {
            let middle = (low + high) >> 1
            if Int(order.nodes[middle]) < firstIndex { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
