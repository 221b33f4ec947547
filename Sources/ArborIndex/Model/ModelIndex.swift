public import ArborModel

/// An immutable in-memory copy of any model's data — nodes, hierarchy, event rollups — answering every query of the
/// contract exactly as the live SQL does.
///
/// Everything is columnar and indexed by a node's position in id order: ids stored compactly by type, attributes
/// and the label dictionary-encoded, the hierarchy as compressed adjacency plus rank intervals over its collapsed
/// cycles (``NodeHierarchy``), events as per-node runs sorted by day (``EventTable``). There is no object per node,
/// so tens of millions of nodes fit in a few gigabytes.
///
/// Queries are pure functions of the index and the request: no I/O, no clock, no shared mutable state, so an index
/// can be read from any number of threads while a newer one is built.
public final class ModelIndex: Sendable {
    /// The model the index was built for; queries must be built against it.
    public let model: ResolvedModel
    let ids: NodeIDColumn
    let label: EncodedColumn?
    /// One per attribute of the model, in model order.
    let attributes: [EncodedColumn]
    let hierarchy: NodeHierarchy
    /// One per event source of the model, in model order.
    let sources: [EventTable]
    let subtreeDays: [SubtreeDays]
    let labelOrder: LabelOrder?
    /// The allowed values of each closed attribute, by attribute name.
    let closedValues: [String: Set<String>]
    /// Components reaching at least this many nodes get per-day totals (``SubtreeDays``).
    let subtreeMinimumDownline: Int
    /// Running day totals per dense source, once prepared or carried over a refresh.
    let cumulativeDayTotals: CumulativeDayTotalsCache

    /// Builds the index from one snapshot's rows.
    ///
    /// Nodes may come in any order; a node listed twice keeps its first row. Edges and events naming ids that are no
    /// node are dropped, as everywhere in Arbor; event rows may repeat a key (they add up). A missing event source
    /// (fewer columns than the model has sources) holds no events.
    ///
    /// - Throws: ``ModelIndexError`` for rows that do not fit the model (an id of another type, a missing column)
    ///   or data beyond what the index can hold (more than 2^31 nodes, days spanning more than 179 years).
    public convenience init(model: ResolvedModel, rows: ModelRows) throws(ModelIndexError) {
        try self.init(model: model, rows: rows, subtreeMinimumDownline: SubtreeDays.minimumDownline)
    }

    /// `subtreeMinimumDownline` lets tests precompute the per-day totals of small downlines, and
    /// `runningTotalsOfEverySource` give sparse sources running day totals too.
    init(
        model: ResolvedModel, rows: ModelRows, subtreeMinimumDownline: Int, runningTotalsOfEverySource: Bool = false
    ) throws(ModelIndexError) {
        self.model = model
        self.subtreeMinimumDownline = subtreeMinimumDownline
        let (ids, indexOfRow) = try NodeIDColumn.build(rows.nodes, type: model.idType)
        let nodeCount = ids.count
        var firstRow = [Int32](repeating: -1, count: nodeCount)
        for (row, index) in indexOfRow.enumerated() where firstRow[Int(index)] < 0 { firstRow[Int(index)] = Int32(row) }
        for node in rows.nodes where node.attributes.count != model.attributes.count {
            throw .shape(
                "node \(ModelIndexError.shortened(node.id.canonical)) has \(node.attributes.count) attribute values; "
                    + "the model has \(model.attributes.count) attributes")
        }
        let nodes = rows.nodes
        self.ids = ids
        self.label =
            model.hasLabel
            ? try EncodedColumn(count: nodeCount, type: .text, what: "labels") { nodes[Int(firstRow[$0])].label }
            : nil
        var attributes: [EncodedColumn] = []
        for (index, attribute) in model.attributes.enumerated() {
            attributes.append(
                try EncodedColumn(count: nodeCount, type: attribute.type, what: "values of \(attribute.name)") {
                    nodes[Int(firstRow[$0])].attributes[index]
                })
        }
        self.attributes = attributes
        firstRow = []

        var parents: [Int32] = []
        var children: [Int32] = []
        parents.reserveCapacity(rows.edges.count)
        children.reserveCapacity(rows.edges.count)
        var lastParent: (id: NodeID, index: Int?)? = nil
        for edge in rows.edges {
            if lastParent?.id != edge.parent { lastParent = (edge.parent, ids.index(of: edge.parent)) }
            guard let parent = lastParent?.index, let child = ids.index(of: edge.child) else { continue }
            parents.append(Int32(parent))
            children.append(Int32(child))
        }
        let hierarchy = try NodeHierarchy(nodeCount: nodeCount, parents: parents, children: children)
        self.hierarchy = hierarchy
        parents = []
        children = []

        guard rows.events.count <= model.sources.count else {
            throw .shape("\(rows.events.count) event sources in the rows; the model has \(model.sources.count)")
        }
        var sources: [EventTable] = []
        for (index, source) in model.sources.enumerated() {
            let events = index < rows.events.count ? rows.events[index] : EventRollupRows.empty(for: source)
            sources.append(try EventTable(rows: events, source: source, ids: ids, hierarchy: hierarchy))
        }
        self.sources = sources
        self.subtreeDays = sources.map {
            SubtreeDays(table: $0, hierarchy: hierarchy, minimumDownline: subtreeMinimumDownline)
        }
        self.labelOrder = label.map { LabelOrder(label: $0) }
        self.closedValues = rows.closedValues
        self.cumulativeDayTotals = CumulativeDayTotalsCache(everySource: runningTotalsOfEverySource)
    }

    /// An index made of its parts (an incremental refresh's result).
    init(
        model: ResolvedModel, ids: NodeIDColumn, label: EncodedColumn?, attributes: [EncodedColumn],
        hierarchy: NodeHierarchy, sources: [EventTable], subtreeDays: [SubtreeDays], labelOrder: LabelOrder?,
        closedValues: [String: Set<String>], subtreeMinimumDownline: Int,
        runningTotals: CumulativeDayTotalsCache = CumulativeDayTotalsCache()
    ) {
        self.model = model
        self.ids = ids
        self.label = label
        self.attributes = attributes
        self.hierarchy = hierarchy
        self.sources = sources
        self.subtreeDays = subtreeDays
        self.labelOrder = labelOrder
        self.closedValues = closedValues
        self.subtreeMinimumDownline = subtreeMinimumDownline
        self.cumulativeDayTotals = runningTotals
    }

    /// Number of nodes.
    public var nodeCount: Int { ids.count }

    /// Whether `id` names a node.
    public func contains(_ id: NodeID) -> Bool { ids.index(of: id) != nil }

    /// The index of `id`, or NOT_FOUND naming `field`.
    func index(of id: NodeID, field: String) throws(QueryError) -> Int {
        guard let index = ids.index(of: id) else { throw .unknownNode(id, field: field) }
        return index
    }

    /// Checks the values of closed attributes in a query against the sets the rows brought.
    func checkClosedValues(_ checks: [ClosedValueCheck]) throws(QueryError) {
        for check in checks {
            try model.checkClosedValues(check.matches, field: check.field) { closedValues[$0] }
        }
    }

    /// Groups of nodes that reach each other (Cycles): every strongly connected component of two or more nodes and
    /// every node with an edge to itself, members ascending, largest first, then by first member.
    ///
    /// - Parameter limit: groups returned at most; 0 returns all. `total` counts them all.
    public func cycles(limit: UInt32) -> CycleGroupsResult {
        let count = limit == 0 ? hierarchy.cycles.count : min(Int(limit), hierarchy.cycles.count)
        let groups = hierarchy.cycles.prefix(count).map { group in group.map { ids[Int($0)] } }
        return CycleGroupsResult(groups: groups, total: UInt32(hierarchy.cycles.count))
    }

    /// What Describe reports about the data.
    public func facts() -> ModelFacts {
        ModelFacts(
            nodes: UInt64(nodeCount), edges: UInt64(hierarchy.edgeCount), cycleGroups: UInt32(hierarchy.cycles.count),
            distinctValues: attributes.map { UInt32($0.dictionary.count) },
            sources: sources.map {
                ModelFacts.SourceFacts(events: $0.eventCount, firstDay: $0.firstEventDay, lastDay: $0.lastEventDay)
            })
    }

    /// Bytes held by the index's arrays: an estimate that leaves out object and dictionary overheads.
    public var approximateByteCount: Int {
        ids.byteCount + (label?.byteCount ?? 0) + attributes.reduce(0) { $0 + $1.byteCount } + hierarchy.byteCount
            + sources.reduce(0) { $0 + $1.byteCount } + subtreeDays.reduce(0) { $0 + $1.byteCount }
            + (labelOrder?.byteCount ?? 0) + cumulativeDayTotals.byteCount
    }

    /// The label of `node` as the wire shows it: `""` without a label or when it is NULL.
    func labelText(of node: Int) -> String { label?.text(of: node) ?? "" }
}

extension EventRollupRows {
    /// No events, in the shape of `source`.
    static func empty(for source: ResolvedModel.Source) -> EventRollupRows {
        EventRollupRows(
            nodes: [], days: [], dimensions: source.dimensions.map { _ in [] },
            measures: source.measures.map { _ in [] })
    }
}
