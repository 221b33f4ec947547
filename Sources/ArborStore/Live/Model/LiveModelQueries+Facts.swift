public import ArborModel

extension LiveModelQueries {
    /// Describe's numbers: nodes, distinct edges between nodes (self-edges included), cycle groups, distinct
    /// non-NULL values per attribute (in their text form), and per source the events whose node is a node and
    /// whose time is not NULL, with their first and last day.
    public func facts(on connection: PostgresConnection) throws -> ModelFacts {
        let distinct = model.attributes.map { "count(DISTINCT \(ModelSQL.quoted($0.column))::text)" }
        guard
            let row = try connection.query(
                """
                WITH \(sql.edges)
                SELECT (SELECT count(*) FROM edges), \((["count(\(sql.idColumn))"] + distinct).joined(separator: ", "))
                FROM \(sql.nodesTable)
                """
            ).first
        else { throw StoreError(.protocolViolation, "Describe's node count returned no row") }
        var facts = ModelFacts(
            nodes: UInt64(try row.decode(Int64.self, at: 1)), edges: UInt64(try row.decode(Int64.self, at: 0)),
            cycleGroups: try cycles(limit: 1, on: connection).total,
            distinctValues: try model.attributes.indices.map {
                UInt32(clamping: try row.decode(Int64.self, at: 2 + $0))
            },
            sources: [])
        for source in model.sources {
            var parameters = SQLParameters()
            let timeZone = source.time == .timestamptz ? parameters.add(.text(model.model.timeZone)) : "NULL"
            guard
                let row = try connection.query(
                    """
                    SELECT coalesce(sum(ev.m0), 0), min(ev.day), max(ev.day)
                    FROM \(sql.events(source, timeZone: timeZone)) ev
                    WHERE EXISTS (SELECT 1 FROM \(sql.nodesTable) n WHERE n.\(sql.idColumn) = ev.node)
                    """, parameters.binds
                ).first
            else { throw StoreError(.protocolViolation, "Describe's event count returned no row") }
            facts.sources.append(
                ModelFacts.SourceFacts(
                    events: UInt64(try row.decode(Int64.self, at: 0)), firstDay: try row.decode(Day?.self, at: 1),
                    lastDay: try row.decode(Day?.self, at: 2)))
        }
        return facts
    }
}
