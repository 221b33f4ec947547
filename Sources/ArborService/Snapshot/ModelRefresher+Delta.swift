import ArborIndex
import ArborModel
import ArborStore

extension ModelIndexDelta {
    /// The delta that turns `current` (an index of an older snapshot) into one of the snapshot of `connection`'s
    /// transaction, from the change log's `changes` between them; `nil` when only a full load will do (a `reset`,
    /// or closed value sets that changed).
    ///
    /// Besides the log, it reads in the same snapshot, with one bound query each: the rows of the changed nodes;
    /// whether each pair whose multiplicity changed is still stored; and, for nodes `current` does not hold, every
    /// edge touching them and their whole rollup rows (edges and events naming an id that was no node are in no
    /// log entry, yet count once it is one). Identifiers come from the model and are quoted; ids travel as a bound
    /// `text[]` cast to the id type.
    static func read(
        _ changes: [ModelChange], model: ResolvedModel, current: ModelIndex, on connection: PostgresConnection
    ) throws -> ModelIndexDelta? {
        var changedNodes: [NodeID] = []
        var seenNodes = Set<NodeID>()
        var pairChanges: [PairKey: Int64] = [:]
        var pairOrder: [PairKey] = []
        var eventChanges: [(source: Int, key: ModelChange.EventKey, deltas: [Int64])] = []
        let sourceIndex = Dictionary(uniqueKeysWithValues: model.sources.enumerated().map { ($1.name, $0) })
        for change in changes {
            switch change.kind {
            case .reset, .closedValues:
                return nil
            case .node(let id):
                if seenNodes.insert(id).inserted { changedNodes.append(id) }
            case .edge(let parent, let child, let delta):
                let key = PairKey(parent: parent, child: child)
                if pairChanges[key] == nil { pairOrder.append(key) }
                pairChanges[key, default: 0] &+= delta
            case .event(let source, let key, let deltas):
                guard let index = sourceIndex[source] else { return nil }
                eventChanges.append((index, key, deltas))
            }
        }
        let reads = DeltaReads(model: model, connection: connection)
        var delta = ModelIndexDelta()
        let rows = try reads.nodeRows(changedNodes)
        var present = Set<NodeID>()
        for row in rows where present.insert(row.id).inserted { delta.nodes.append(row) }
        delta.removedNodes = changedNodes.filter { !present.contains($0) }
        let inserted = Set(present.filter { !current.contains($0) })

        // Pairs whose multiplicity changed (a net zero leaves the presence as it was).
        let changedPairs = pairOrder.filter {
            pairChanges[$0] != 0 && !inserted.contains($0.parent) && !inserted.contains($0.child)
        }
        let stored = try reads.storedPairs(changedPairs)
        for pair in changedPairs {
            delta.edges.append(Edge(parent: pair.parent, child: pair.child, present: stored.contains(pair)))
        }
        let newIDs = inserted.sorted()
        for pair in try reads.edges(touching: newIDs) {
            delta.edges.append(Edge(parent: pair.parent, child: pair.child, present: true))
        }

        delta.events = model.sources.map { source in
            EventRollupRows(
                dimensions: source.dimensions.map { _ in [] }, measures: source.measures.map { _ in [] })
        }
        for (source, key, deltas) in eventChanges where !inserted.contains(key.node) {
            delta.events[source].nodes.append(key.node)
            delta.events[source].days.append(key.day)
            for (index, value) in key.dimensions.enumerated() { delta.events[source].dimensions[index].append(value) }
            for (index, value) in deltas.enumerated() { delta.events[source].measures[index].append(value) }
        }
        if !newIDs.isEmpty {
            for (index, source) in model.sources.enumerated() {
                try reads.appendRollupRows(of: newIDs, source: source, to: &delta.events[index])
            }
        }
        return delta
    }

    /// A (parent, child) pair of ids.
    struct PairKey: Hashable {
        var parent: NodeID
        var child: NodeID
    }
}

/// The bound queries behind ``ModelIndexDelta/read(_:model:current:on:)``.
private struct DeltaReads {
    let model: ResolvedModel
    let connection: PostgresConnection

    private var sql: ModelSQL { ModelSQL(model) }
    private var q: (String) -> String { ModelSQL.quoted }
    /// A bound `text[]` of ids as an array of the id type.
    private var ids: String { "$1::text[]::\(sql.idSQLType)[]" }

    private func id(_ text: String?) -> NodeID? {
        text.flatMap { try? NodeID.parse($0, as: model.idType, field: "id") }
    }

    /// The rows of `nodes` that exist (a node listed twice comes twice).
    func nodeRows(_ nodes: [NodeID]) throws -> [ModelRows.Node] {
        guard !nodes.isEmpty else { return [] }
        let declaration = model.model.nodes
        var columns = ["n.\(q(declaration.id))::text", declaration.label.map { "n.\(q($0))::text" } ?? "NULL::text"]
        columns += model.attributes.map { "n.\(q($0.column))::text" }
        let result = try connection.query(
            """
            SELECT \(columns.joined(separator: ", ")) FROM \(ModelSQL.qualified(declaration.table)) n
            WHERE n.\(q(declaration.id)) = ANY(\(ids))
            """, [.textArray(nodes.map(\.canonical))])
        return try result.compactMap { row in
            guard let node = id(try row.decode(String?.self, at: 0)) else { return nil }
            return ModelRows.Node(
                id: node, label: try row.decode(String?.self, at: 1),
                attributes: try model.attributes.indices.map { try row.decode(String?.self, at: 2 + $0) })
        }
    }

    /// The hierarchy as a relation of (parent, child) values, and the columns to compare.
    private var hierarchy: (table: String, parent: String, child: String) {
        switch model.model.hierarchy {
        case .edges(let table, let parent, let child):
            (ModelSQL.qualified(table), "e.\(q(parent))", "e.\(q(child))")
        case .parentColumn(let parent):
            (ModelSQL.qualified(model.model.nodes.table), "e.\(q(parent))", "e.\(q(model.model.nodes.id))")
        }
    }

    /// Which of `pairs` are stored at least once.
    func storedPairs(_ pairs: [ModelIndexDelta.PairKey]) throws -> Set<ModelIndexDelta.PairKey> {
        guard !pairs.isEmpty else { return [] }
        let (table, parent, child) = hierarchy
        let type = sql.idSQLType
        let result = try connection.query(
            """
            SELECT DISTINCT \(parent)::text, \(child)::text
            FROM \(table) e JOIN unnest($1::text[], $2::text[]) AS u(parent, child)
                ON \(parent) = u.parent::\(type) AND \(child) = u.child::\(type)
            """, [.textArray(pairs.map(\.parent.canonical)), .textArray(pairs.map(\.child.canonical))])
        var stored = Set<ModelIndexDelta.PairKey>()
        for row in result {
            guard let from = id(try row.decode(String?.self, at: 0)), let to = id(try row.decode(String?.self, at: 1))
            else { continue }
            stored.insert(ModelIndexDelta.PairKey(parent: from, child: to))
        }
        return stored
    }

    /// Every stored pair with `nodes` at either end.
    func edges(touching nodes: [NodeID]) throws -> [ModelIndexDelta.PairKey] {
        guard !nodes.isEmpty else { return [] }
        let (table, parent, child) = hierarchy
        let result = try connection.query(
            """
            SELECT DISTINCT \(parent)::text, \(child)::text FROM \(table) e
            WHERE \(parent) IS NOT NULL AND \(child) IS NOT NULL
              AND (\(parent) = ANY(\(ids)) OR \(child) = ANY(\(ids)))
            """, [.textArray(nodes.map(\.canonical))])
        return try result.compactMap { row in
            guard let from = id(try row.decode(String?.self, at: 0)), let to = id(try row.decode(String?.self, at: 1))
            else { return nil }
            return ModelIndexDelta.PairKey(parent: from, child: to)
        }
    }

    /// Appends the rollup rows of `nodes` in `source` to `rows`.
    func appendRollupRows(
        of nodes: [NodeID], source: ResolvedModel.Source, to rows: inout EventRollupRows
    ) throws {
        let rollup = SourceRollup(source)
        var columns = ["r.\(q(SourceRollup.nodeColumn))::text", "r.\(q(SourceRollup.dayColumn))"]
        columns += rollup.dimensionColumns.map { "r.\(q($0))::text" }
        columns += rollup.measureColumns.map { "r.\(q($0))::text" }
        let result = try connection.query(
            """
            SELECT \(columns.joined(separator: ", ")) FROM \(rollup.qualifiedTable) r
            WHERE r.\(q(SourceRollup.nodeColumn)) = ANY(\(ids))
            """, [.textArray(nodes.map(\.canonical))])
        let dimensionCount = source.dimensions.count
        for row in result {
            guard let node = id(try row.decode(String?.self, at: 0)) else { continue }
            var values: [Int64] = []
            for index in source.measures.indices {
                let text = try row.decode(String?.self, at: 2 + dimensionCount + index)
                guard let value = text.flatMap({ Int64($0) }) else {
                    throw StoreError(
                        .decodingFailed,
                        "events.\(source.name): a rollup sum of \(source.measures[index].name) does not fit in 64 bits")
                }
                values.append(value)
            }
            rows.nodes.append(node)
            rows.days.append(try row.decode(Day.self, at: 1))
            for index in 0..<dimensionCount {
                rows.dimensions[index].append(try row.decode(String?.self, at: 2 + index))
            }
            for (index, value) in values.enumerated() { rows.measures[index].append(value) }
        }
    }
}
