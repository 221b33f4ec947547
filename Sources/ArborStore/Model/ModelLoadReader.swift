public import ArborModel

/// Reads one snapshot of a model for a full load, in the form ``ModelIndexBuilder`` (ArborIndex) takes: binary
/// `COPY` throughout, node ids decoded straight into flat arrays, labels and attributes dictionary-encoded as they
/// arrive (no string per row), and events from the packs (``SourcePack``), one row per node and month, handed over
/// as views of their bytes.
///
/// Every read runs in the caller's transaction; call them all in one REPEATABLE READ transaction so that they read
/// one snapshot. Needs the model installed (`migrate --model`).
public struct ModelLoadReader {
    public let model: ResolvedModel
    private let connection: PostgresConnection

    /// - Throws: ``StoreError`` `invalidArgument` outside a transaction.
    public init(_ model: ResolvedModel, on connection: PostgresConnection) throws {
        guard connection.isInTransaction else {
            throw StoreError(
                .invalidArgument, "ModelLoadReader runs inside a transaction, so that it reads one snapshot")
        }
        self.model = model
        self.connection = connection
    }

    private var q: (String) -> String { ModelSQL.quoted }

    /// The planner's row estimate of `table`, to size arrays once (0 when unknown).
    private func estimatedRows(_ table: DataModel.TableName) throws -> Int {
        let estimate = try connection.query(
            "SELECT greatest(reltuples, 0)::int8 FROM pg_class WHERE oid = to_regclass($1)",
            [.text(ModelSQL.qualified(table))]
        ).first?.decode(Int64?.self, at: 0)
        return Int(min(estimate ?? 0, 1 << 31))
    }

    /// Every node with a non-NULL id, in id order (the index's order, so that it keeps the array as it is).
    public func nodes() throws -> NodeColumns {
        let declaration = model.model.nodes
        let id = NodeIDColumn.select(q(declaration.id), model.idType)
        var columns = [id]
        if let label = declaration.label { columns.append("\(q(label))::text") }
        columns += model.attributes.map { "\(q($0.column))::text" }
        let order = model.idType == .text ? "\(id) COLLATE \"C\"" : q(declaration.id)
        var ids = NodeIDList(type: model.idType)
        var label = declaration.label.map { _ in EncodedValues() }
        var attributes = model.attributes.map { _ in EncodedValues() }
        let estimate = try estimatedRows(declaration.table)
        ids.reserveCapacity(estimate)
        label?.reserveCapacity(estimate)
        for index in attributes.indices { attributes[index].reserveCapacity(estimate) }
        let first = label == nil ? 1 : 2
        try connection.copyOut(
            """
            COPY (SELECT \(columns.joined(separator: ", ")) FROM \(ModelSQL.qualified(declaration.table))
                  WHERE \(q(declaration.id)) IS NOT NULL ORDER BY \(order))
            TO STDOUT (FORMAT binary)
            """
        ) { row in
            guard let node = try NodeIDColumn.decode(row[0], model.idType) else { return }
            ids.append(node)
            if label != nil { row.withBytes(at: 1) { label!.append($0) } }
            for index in attributes.indices { row.withBytes(at: first + index) { attributes[index].append($0) } }
        }
        label?.finish()
        for index in attributes.indices { attributes[index].finish() }
        return NodeColumns(ids: ids, label: label, attributes: attributes)
    }

    /// Every hierarchy pair with both ends set; references outside the id type's range are left out.
    public func edges() throws -> EdgeColumns {
        let table: DataModel.TableName
        let (parent, child): (String, String)
        switch model.model.hierarchy {
        case .edges(let edgeTable, let parentColumn, let childColumn):
            table = edgeTable
            (parent, child) = (q(parentColumn), q(childColumn))
        case .parentColumn(let parentColumn):
            table = model.model.nodes.table
            (parent, child) = (q(parentColumn), q(model.model.nodes.id))
        }
        var parents = NodeIDList(type: model.idType)
        var children = NodeIDList(type: model.idType)
        let estimate = try estimatedRows(table)
        parents.reserveCapacity(estimate)
        children.reserveCapacity(estimate)
        try connection.copyOut(
            """
            COPY (SELECT \(NodeIDColumn.select(parent, model.idType)), \(NodeIDColumn.select(child, model.idType))
                  FROM \(ModelSQL.qualified(table)) WHERE \(parent) IS NOT NULL AND \(child) IS NOT NULL)
            TO STDOUT (FORMAT binary)
            """
        ) { row in
            guard let from = try NodeIDColumn.decode(row[0], model.idType),
                let to = try NodeIDColumn.decode(row[1], model.idType)
            else { return }
            parents.append(from)
            children.append(to)
        }
        return EdgeColumns(parents: parents, children: children)
    }

    /// The dimension values of every combination code of `source`'s packs.
    public func combinations(of source: ResolvedModel.Source) throws -> EventCombinations {
        let pack = SourcePack(source)
        guard pack.hasCombinations else { return EventCombinations() }
        let rollup = SourceRollup(source)
        let columns = [q(SourcePack.codeColumn)] + rollup.dimensionColumns.map { "\(q($0))::text" }
        var combinations = EventCombinations(values: source.dimensions.map { _ in [] })
        for row in try connection.query(
            "SELECT \(columns.joined(separator: ", ")) FROM \(pack.qualifiedCombinationsTable)")
        {
            combinations.codes.append(UInt32(try row.decode(Int32.self, at: 0)))
            for index in source.dimensions.indices {
                combinations.values[index].append(try row.decode(String?.self, at: 1 + index))
            }
        }
        return combinations
    }

    /// About how many entries the packs of `source` hold, from the planner's statistics (0 when unknown): enough
    /// to size arrays once.
    public func estimatedEntries(of source: ResolvedModel.Source) throws -> Int {
        let pack = SourcePack(source)
        let estimate = try connection.query(
            """
            SELECT (greatest(c.reltuples, 0) * coalesce(s.avg_width, 0))::float8 FROM pg_class c
            LEFT JOIN pg_stats s ON s.schemaname = 'arbor' AND s.tablename = $1 AND s.attname = $2
            WHERE c.oid = to_regclass($3)
            """, [.text(pack.tableName), .text(SourcePack.entriesColumn), .text(pack.qualifiedTable)]
        ).first?.decode(Double?.self, at: 0)
        return Int(min((estimate ?? 0) / Double(pack.layout.width), Double(1 << 32)))
    }

    /// Streams every pack of `source` to `body`, in (node id, month) order. Returns `false` when a pack says
    /// nothing (its `entries` are NULL: a value passed 64 bits) or is malformed: the caller then reads the rollup
    /// instead (``ModelRows/read(_:events:on:)``). The rest of the stream is then read and ignored, so that the
    /// transaction stays usable.
    public func packs(of source: ResolvedModel.Source, _ body: (EventPack) throws -> Void) throws -> Bool {
        let pack = SourcePack(source)
        let layout = pack.layout
        let node = NodeIDColumn.select(q(SourcePack.nodeColumn), model.idType)
        let order = model.idType == .text ? "\(node) COLLATE \"C\"" : q(SourcePack.nodeColumn)
        var usable = true
        try connection.copyOut(
            """
            COPY (SELECT \(node), \(q(SourcePack.monthColumn)), \(q(SourcePack.entriesColumn))
                  FROM \(pack.qualifiedTable) ORDER BY \(order), \(q(SourcePack.monthColumn)))
            TO STDOUT (FORMAT binary)
            """
        ) { row in
            guard usable else { return }
            guard let id = try NodeIDColumn.decode(row[0], model.idType) else { return }
            let month = try row.decode(Day.self, at: 1)
            try row.withBytes(at: 2) { entries in
                guard let entries else {
                    usable = false
                    return
                }
                let view = EventPack(node: id, month: month, layout: layout, entries: entries)
                guard view.isWellFormed else {
                    usable = false
                    return
                }
                try body(view)
            }
        }
        return usable
    }

    /// The allowed values of each closed attribute.
    public func closedValues() throws -> [String: Set<String>] {
        try ModelRows.readClosedValues(model, on: connection)
    }
}
