public import ArborModel

/// Builds a ``ModelIndex`` from a full load's columns as they are read: nodes and edges first (ids, attributes,
/// hierarchy), then each source's packs streamed straight into its columns (``add(_:)``), then ``build(closedValues:)``.
///
/// It answers exactly as ``ModelIndex/init(model:rows:)`` would for the same snapshot, without a value per row:
/// ids are taken as read when they ascend, attributes arrive dictionary-encoded, and event rows go into packed
/// columns in the order they come. Use it from one thread.
public struct ModelIndexBuilder {
    public let model: ResolvedModel
    private let subtreeMinimumDownline: Int
    private let ids: NodeIDColumn
    private let label: EncodedColumn?
    private let attributes: [EncodedColumn]
    private let hierarchy: NodeHierarchy
    private var sources: [EventTable] = []
    private var current: EventTableBuilder?

    /// Lays out the nodes and the hierarchy.
    ///
    /// - Throws: ``ModelIndexError`` as ``ModelIndex/init(model:rows:)`` does for nodes and edges.
    public init(model: ResolvedModel, nodes: consuming NodeColumns, edges: consuming EdgeColumns)
        throws(ModelIndexError)
    {
        try self.init(model: model, nodes: nodes, edges: edges, subtreeMinimumDownline: SubtreeDays.minimumDownline)
    }

    init(model: ResolvedModel, nodes: consuming NodeColumns, edges: consuming EdgeColumns, subtreeMinimumDownline: Int)
        throws(ModelIndexError)
    {
        self.model = model
        self.subtreeMinimumDownline = subtreeMinimumDownline
        guard nodes.attributes.count == model.attributes.count, (nodes.label != nil) == model.hasLabel else {
            throw .shape(
                "nodes have \(nodes.attributes.count) attribute columns; the model has \(model.attributes.count)")
        }
        let rowCount = nodes.ids.count
        for column in nodes.attributes + (nodes.label.map { [$0] } ?? []) where column.codes.count != rowCount {
            throw .shape("a node column has \(column.codes.count) values for \(rowCount) ids")
        }
        let (ids, indexOfRow) = try NodeIDColumn.build(nodes.ids)
        nodes.ids = NodeIDList(type: model.idType)
        // The row of each node: the first row of its id.
        var firstRow: [Int32]? = nil
        if let indexOfRow {
            var rows = [Int32](repeating: -1, count: ids.count)
            for (row, index) in indexOfRow.enumerated() where rows[Int(index)] < 0 { rows[Int(index)] = Int32(row) }
            firstRow = rows
        }
        self.ids = ids
        if let values = nodes.label {
            self.label = try Self.column(values, type: .text, what: "labels", count: ids.count, firstRow: firstRow)
            nodes.label = EncodedValues()
        } else {
            self.label = nil
        }
        var attributes: [EncodedColumn] = []
        for (index, attribute) in model.attributes.enumerated() {
            attributes.append(
                try Self.column(
                    nodes.attributes[index], type: attribute.type, what: "values of \(attribute.name)",
                    count: ids.count, firstRow: firstRow))
            nodes.attributes[index] = EncodedValues()
        }
        self.attributes = attributes

        var parents: [Int32] = []
        var children: [Int32] = []
        parents.reserveCapacity(edges.parents.count)
        children.reserveCapacity(edges.parents.count)
        var lastParent = (id: nil as NodeID?, index: nil as Int?)
        var lastChild = -1
        for pair in 0..<min(edges.parents.count, edges.children.count) {
            let parentID = edges.parents[pair]
            if lastParent.id != parentID { lastParent = (parentID, ids.index(of: parentID)) }
            guard let parent = lastParent.index, let child = ids.index(of: edges.children[pair], hint: lastChild + 1)
            else { continue }
            lastChild = child
            parents.append(Int32(parent))
            children.append(Int32(child))
        }
        edges = EdgeColumns(parents: NodeIDList(type: model.idType), children: NodeIDList(type: model.idType))
        self.hierarchy = try NodeHierarchy(nodeCount: ids.count, parents: parents, children: children)
    }

    /// A node column from its read form: codes renumbered so that they follow byte order, one per node.
    private static func column(
        _ values: EncodedValues, type: ValueType, what: String, count: Int, firstRow: [Int32]?
    ) throws(ModelIndexError) -> EncodedColumn {
        let distinct = values.distinctCount
        var order = Array(1...max(distinct, 1)).map { UInt32($0) }
        if distinct == 0 { order = [] }
        order.sort { a, b in
            values.withValue(a) { x in values.withValue(b) { y in x.lexicographicallyPrecedes(y) } }
        }
        var renumbered = [UInt32](repeating: 0, count: distinct + 1)
        for (position, code) in order.enumerated() { renumbered[Int(code)] = UInt32(position + 1) }
        let dictionary = try ValueDictionary(distinct: order.map { values.value($0) }, type: type, what: what)
        var codes = [UInt32](repeating: 0, count: count)
        values.codes.withUnsafeBufferPointer { rowCodes in
            if let firstRow {
                for node in 0..<count { codes[node] = renumbered[Int(rowCodes[Int(firstRow[node])])] }
            } else {
                for node in 0..<count { codes[node] = renumbered[Int(rowCodes[node])] }
            }
        }
        return EncodedColumn(codes: PackedCodes(codes), dictionary: dictionary)
    }

    /// Starts the events of the next source (model order), whose packs name `combinations`; `expectedRows`
    /// (an estimate of the entries to come, 0 if unknown) sizes the columns once.
    ///
    /// - Throws: ``ModelIndexError`` when the layout or combinations do not match the source.
    public mutating func beginSource(
        combinations: EventCombinations, layout: EventPack.Layout, expectedRows: Int = 0
    ) throws(ModelIndexError) {
        if let current {
            sources.append(current.build())
            self.current = nil
        }
        guard sources.count < model.sources.count else {
            throw .shape("more event sources than the model's \(model.sources.count)")
        }
        current = try EventTableBuilder(
            source: model.sources[sources.count], combinations: combinations, layout: layout, ids: ids,
            hierarchy: hierarchy)
        if expectedRows > 0 { current!.reserveCapacity(min(expectedRows, Int(UInt32.max))) }
    }

    /// Adds one pack of the current source. Packs come in (node id, month) order.
    ///
    /// - Throws: ``ModelIndexError`` for packs out of order or malformed, or a negative count.
    public mutating func add(_ pack: EventPack) throws(ModelIndexError) {
        guard current != nil else { throw .shape("a pack before any source") }
        try current!.add(pack)
    }

    /// The index. Sources not begun hold no events.
    public consuming func build(closedValues: [String: Set<String>]) -> ModelIndex {
        if let current { sources.append(current.build()) }
        current = nil
        while sources.count < model.sources.count {
            let source = model.sources[sources.count]
            let empty = try? EventTableBuilder(
                source: source, combinations: EventCombinations(values: source.dimensions.map { _ in [] }),
                layout: EventPack.Layout(
                    hasCombination: !source.dimensions.isEmpty, measureCount: source.measures.count),
                ids: ids, hierarchy: hierarchy)
            sources.append(empty!.build())
        }
        let hierarchy = self.hierarchy
        let minimum = subtreeMinimumDownline
        let subtreeDays = sources.map {
            SubtreeDays(table: $0, hierarchy: hierarchy, minimumDownline: minimum)
        }
        return ModelIndex(
            model: model, ids: ids, label: label, attributes: attributes, hierarchy: hierarchy, sources: sources,
            subtreeDays: subtreeDays, labelOrder: label.map { LabelOrder(label: $0) }, closedValues: closedValues,
            subtreeMinimumDownline: minimum)
    }
}
