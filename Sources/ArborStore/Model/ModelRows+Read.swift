public import ArborModel

extension ModelRows {
    /// Reads every node (id, label, attributes as text), every hierarchy pair, every source's events summed per
    /// (node, day, dimension values) and the allowed values of each closed attribute of `model`, in the caller's
    /// transaction, so all of it comes from one snapshot.
    ///
    /// References that cannot be a node (a value outside the id column's range) are left out here; ids that are
    /// simply unknown are kept, for the index to drop. Events whose node or time is NULL are not read.
    ///
    /// - Throws: ``StoreError`` — `invalidArgument` when called outside a transaction; `protocolViolation`
    ///   naming the source and the measure when one (node, day, dimensions) row's sum does not fit in 64 bits; any
    ///   database failure.
    ///
    /// - Parameter events: where events are read from (``ModelSQL/EventReading``).
    public static func read(
        _ model: ResolvedModel, events: ModelSQL.EventReading = .sourceTables, on connection: PostgresConnection
    ) throws -> ModelRows {
        guard connection.isInTransaction else {
            throw StoreError(
                .invalidArgument, "ModelRows.read runs inside a transaction, so that it reads one snapshot")
        }
        let q = ModelSQL.quoted
        let nodes = model.model.nodes
        var columns = [
            NodeIDColumn.select(q(nodes.id), model.idType), nodes.label.map { "\(q($0))::text" } ?? "NULL::text",
        ]
        columns += model.attributes.map { "\(q($0.column))::text" }
        let nodeRows = try connection.query(
            "SELECT \(columns.joined(separator: ", ")) FROM \(ModelSQL.qualified(nodes.table))")
        var result = ModelRows(nodes: [], edges: [])
        result.nodes.reserveCapacity(nodeRows.count)
        for row in nodeRows {
            guard let id = try NodeIDColumn.decode(row[0], model.idType) else { continue }  // a NULL id names no node
            result.nodes.append(
                Node(
                    id: id, label: try row.decode(String?.self, at: 1),
                    attributes: try (0..<model.attributes.count).map { try row.decode(String?.self, at: 2 + $0) }))
        }
        let edgeSQL: String
        switch model.model.hierarchy {
        case .edges(let table, let parent, let child):
            edgeSQL = """
                SELECT \(NodeIDColumn.select(q(parent), model.idType)), \(NodeIDColumn.select(q(child), model.idType))
                FROM \(ModelSQL.qualified(table)) WHERE \(q(parent)) IS NOT NULL AND \(q(child)) IS NOT NULL
                """
        case .parentColumn(let parent):
            edgeSQL = """
                SELECT \(NodeIDColumn.select(q(parent), model.idType)), \(NodeIDColumn.select(q(nodes.id), model.idType))
                FROM \(ModelSQL.qualified(nodes.table)) WHERE \(q(parent)) IS NOT NULL AND \(q(nodes.id)) IS NOT NULL
                """
        }
        for row in try connection.query(edgeSQL) {
            // A reference outside the id type's range (an int8 edge column under int2 ids) names no node.
            guard let parent = try NodeIDColumn.decode(row[0], model.idType),
                let child = try NodeIDColumn.decode(row[1], model.idType)
            else {
                continue
            }
            result.edges.append((parent, child))
        }
        result.events = try model.sources.map {
            try readEvents(of: $0, model: model, reading: events, on: connection)
        }
        result.closedValues = try readClosedValues(model, on: connection)
        return result
    }

    /// The setting that carries the model's time zone into `COPY`, which takes no parameters.
    static let timeZoneSetting = "arbor.model_time_zone"

    /// One source's events, summed per (node, day, dimension values) in SQL and streamed with `COPY`.
    static func readEvents(
        of source: ResolvedModel.Source, model: ResolvedModel, reading: ModelSQL.EventReading,
        on connection: PostgresConnection
    ) throws -> EventRollupRows {
        if source.time == .timestamptz {
            try connection.execute(
                "SELECT set_config('\(timeZoneSetting)', $1, true)", [.text(model.model.timeZone)])
        }
        // A scalar subquery is evaluated once per statement, not per event.
        let events = ModelSQL(model, events: reading).events(
            source, timeZone: "(SELECT current_setting('\(timeZoneSetting)'))")
        let dimensions = source.dimensions.indices.map { "ev.d\($0)" }
        let columns =
            [NodeIDColumn.select("ev.node", model.idType), "ev.day"] + dimensions.map { "\($0)::text" } + [
                "sum(ev.m0)::int8"
            ]
            + source.measures.indices.dropFirst().map { "sum(ev.m\($0))::text" }
        var rows = EventRollupRows(
            dimensions: Array(repeating: [], count: source.dimensions.count),
            measures: Array(repeating: [], count: source.measures.count))
        try connection.copyOut(
            """
            COPY (
                SELECT \(columns.joined(separator: ", "))
                FROM \(events) ev
                GROUP BY \((["ev.node", "ev.day"] + dimensions).joined(separator: ", "))
            ) TO STDOUT (FORMAT binary)
            """
        ) { row in
            // A node value outside the id type's range names no node.
            guard let node = try NodeIDColumn.decode(row[0], model.idType) else { return }
            rows.nodes.append(node)
            rows.days.append(try row.decode(Day.self, at: 1))
            for index in source.dimensions.indices {
                rows.dimensions[index].append(try row.decode(String?.self, at: 2 + index))
            }
            let sums = 2 + source.dimensions.count
            rows.measures[0].append(try row.decode(Int64.self, at: sums))
            for index in source.measures.indices.dropFirst() {
                let name = source.measures[index].name
                guard let value = try ExactSum.value(try row.decode(String?.self, at: sums + index), measure: name)
                else {
                    throw StoreError(
                        .protocolViolation,
                        "events.\(source.name): the sum of \(name) for one node and day does not fit in 64 bits")
                }
                rows.measures[index].append(value)
            }
        }
        return rows
    }

    /// The non-NULL values of each closed attribute's `values_from` column, as text.
    static func readClosedValues(
        _ model: ResolvedModel, on connection: PostgresConnection
    ) throws -> [String: Set<String>] {
        var sets: [String: Set<String>] = [:]
        for attribute in model.model.nodes.attributes {
            guard let reference = attribute.valuesFrom else { continue }
            let column = "t.\(ModelSQL.quoted(reference.column))"
            let values = try connection.query(
                "SELECT DISTINCT \(column)::text FROM \(ModelSQL.qualified(reference.table)) t WHERE \(column) IS NOT NULL"
            )
            sets[attribute.name] = Set(try values.map { try $0.decode(String.self, at: 0) })
        }
        return sets
    }
}
