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
            found = nodes.sorted { labelOrders($0, before: $1) }
            found = Array(found.prefix(limit + 1))
        } else if let prefix = query.labelPrefix, let labelOrder {
            let dictionary = label!.dictionary
            for code in labelCodes(withPrefix: prefix) {
                if let after, !after.mayPrecede(key: dictionary.key(ofCode: code)) { continue }
                _ = try labelOrder.forEachNode(ofCode: code, dictionary: dictionary) { node throws(QueryError) in
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
                let isStart = key == start.key
                _ = try labelOrder.forEachNode(ofKey: key, from: isStart ? start.firstIndex : 0) {
                    node throws(QueryError) in
                    // In the page's first key, values appended since the build may still lie before the position.
                    if isStart, !isAfter(Int(node)) { return true }
                    if filter.isEmpty || filter.passes(Int(node)) { found.append(Int(node)) }
                    return found.count <= limit
                }
                key += 1
            }
        } else {
            var position = after?.start(nodeCount: nodeCount) ?? 0
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

    /// Whether `a` comes before `b` in FindNodes order: label, then index (= id).
    func labelOrders(_ a: Int, before b: Int) -> Bool {
        guard let label else { return a < b }
        let order = label.dictionary.compareKeys(ofCodes: label.code(of: a), label.code(of: b))
        return order != 0 ? order < 0 : a < b
    }
}

/// Where a FindNodes page starts: strictly after a (label, id) that need not exist any more.
///
/// A position is a label key and, when the label lies among the values appended since the build
/// (``AppendedValues``) or is no value at all, the label itself within the gap after that key's sorted value.
struct FindPosition {
    private let key: UInt32
    /// The label, when the position lies in the gap after key `key`'s sorted value; `nil` at that value itself.
    private let gapValue: String?
    /// Whether some node holds the label: then its nodes from index `firstIndex` on come after.
    private let exact: Bool
    private let firstIndex: Int

    init(label text: String, id: NodeID, index: ModelIndex) {
        let lowerBound = index.ids.lowerBound(id)
        firstIndex = index.ids.index(of: id) != nil ? lowerBound + 1 : lowerBound
        if text.isEmpty {
            (key, gapValue, exact) = (0, nil, true)
        } else if let dictionary = index.label?.dictionary {
            if let code = dictionary.code(of: text) {
                (key, gapValue, exact) = (
                    dictionary.key(ofCode: code), dictionary.isAppended(code) ? text : nil, true
                )
            } else {
                // No node holds it: it lies in the gap after the sorted value below it.
                (key, gapValue, exact) = (dictionary.gap(of: text), text, false)
            }
        } else {
            // No label: every node's label is "", which orders before any other label.
            (key, gapValue, exact) = (UInt32.max, nil, false)
        }
    }

    /// Whether `node` comes strictly after this position.
    func precedes(_ node: Int, index: ModelIndex) -> Bool {
        let nodeKey = index.labelKey(of: node)
        if nodeKey != key { return nodeKey > key }
        let code = index.label?.code(of: node) ?? 0
        let nodeValue = index.label.flatMap { $0.dictionary.isAppended(code) ? $0.dictionary.value(ofCode: code) : nil }
        switch (gapValue, nodeValue) {
        case (nil, nil): return exact ? node >= firstIndex : true
        case (nil, _?): return true
        case (_?, nil): return false
        case (let position?, let value?):
            if value == position { return exact ? node >= firstIndex : true }
            return ByteString.precedes(position, value)
        }
    }

    /// Whether a node with label key `key` can come after this position.
    func mayPrecede(key nodeKey: UInt32) -> Bool { nodeKey >= key }

    /// Where the label order continues after this position: from label key `key`, nodes from index `firstIndex` on
    /// in that key's sorted value (none of them when the position lies in the key's gap; the appended nodes of the
    /// key still need ``precedes(_:index:)``).
    func start(in order: LabelOrder) -> (key: Int, firstIndex: Int) {
        guard key != UInt32.max else { return (order.keyCount, 0) }
        if gapValue != nil { return (Int(key), Int.max) }
        return (Int(key), exact ? firstIndex : 0)
    }

    /// The first node index that comes after this position when there is no label (every label is `""`).
    func start(nodeCount: Int) -> Int {
        key == 0 && exact ? firstIndex : nodeCount
    }
}
