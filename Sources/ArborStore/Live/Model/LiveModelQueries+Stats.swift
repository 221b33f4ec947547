public import ArborModel

extension LiveModelQueries {
    /// FilteredStats: the scope (the root unless excluded, plus its descendants: `reach` without a depth bound,
    /// the BFS with one), its nodes that pass the filter materialised once (`counted`, which also gives
    /// `nodes_in_scope`), joined with the source's events in the window (``ModelSQL/events(_:timeZone:from:to:)``)
    /// and summed in two steps: per key tuple and node, then per key tuple (so `nodes` is a count, not a
    /// `count(DISTINCT …)`). Totals and the 64-bit check cover every group; the page is the groups after `after`
    /// in the contract's key order, `LIMIT`ed in SQL.
    ///
    /// From the rollups, the first step reads each counted node's rows through the rollup's key `(node, day, …)`
    /// (a `LATERAL` range scan per node, its rows summed as they come, in key order): the scope is collected once
    /// and the rollup never scanned or hashed as a whole (see `docs/live-queries.md`, "Reading the rollups").
    ///
    /// - Throws: ``QueryError`` for an unknown closed value, an unknown root, or a sum past 64 bits
    ///   (``QueryError/sumOutOfRange(_:)``); ``StoreError``.
    public func stats(_ query: EventStatsQuery, on connection: PostgresConnection) throws -> EventStatsResult {
        try checkRequest(closedValues: query.closedValueChecks, nodes: [(query.root, "root")], on: connection)
        let statement = try statsStatement(query)
        let rows = try connection.query(statement.sql, statement.binds)
        guard let first = rows.first else { throw StoreError(.protocolViolation, "FilteredStats returned no row") }
        let source = model.sources[query.events.source]
        let names = query.measures.map { source.measures[$0].name }
        var totals: [Int64] = []
        for (index, name) in names.enumerated() {
            let total = try ExactSum.value(try first.decode(String?.self, at: 1 + index), measure: name)
            guard let total, !(try first.decode(Bool.self, at: 1 + names.count + index)) else {
                throw QueryError.sumOutOfRange(name)
            }
            totals.append(total)
        }
        let base = 1 + 2 * names.count
        var statsRows: [EventStatsRow] = []
        for row in rows {
            guard try row.decode(Int64?.self, at: base) != nil else { continue }
            var keyValues: [String] = []
            for (index, key) in query.groupBy.enumerated() {
                let column = base + 1 + index
                switch key {
                case .day, .week: keyValues.append(try row.decode(Day.self, at: column).isoString)
                case .month: keyValues.append(String(try row.decode(Day.self, at: column).isoString.prefix(7)))
                case .node, .attribute, .dimension: keyValues.append(try row.decode(String.self, at: column))
                }
            }
            let nodes = try row.decode(Int64.self, at: base + 1 + query.groupBy.count)
            let sums = try names.enumerated().map { index, name in
                try ExactSum.answer(
                    try row.decode(String?.self, at: base + 2 + query.groupBy.count + index), measure: name)
            }
            statsRows.append(EventStatsRow(keys: keyValues, values: sums, nodes: UInt32(clamping: nodes)))
        }
        let hasMore = query.limit != 0 && statsRows.count > Int(query.limit)
        if hasMore { statsRows.removeLast(statsRows.count - Int(query.limit)) }
        return EventStatsResult(
            rows: statsRows, totals: totals, nodesInScope: UInt32(clamping: try first.decode(Int64.self, at: 0)),
            hasMore: hasMore)
    }

    /// The statement of ``stats(_:on:)`` and its bound parameters: the scope's size, then one entry per measure
    /// for the totals and for "some group passes 64 bits", then the page's rows (`ord`, keys, `nodes`, values),
    /// one row with NULL there when the page is empty.
    func statsStatement(_ query: EventStatsQuery) throws(QueryError) -> (sql: String, binds: [PostgresBind]) {
        let source = model.sources[query.events.source]
        var parameters = SQLParameters()
        let root = parameters.add(sql.bind(query.root))
        let id = sql.idSQLType
        let traversal: String
        let scope: String
        if query.maxDepth == 0 {
            traversal = sql.reachable(root: root)
            scope =
                query.excludeRoot
                ? "SELECT id FROM reach WHERE id <> \(root)::\(id)" : "SELECT id FROM reach UNION SELECT \(root)::\(id)"
        } else {
            let maxDepth = parameters.add(.int32(Int32(clamping: query.maxDepth)))
            traversal = sql.breadthFirst(root: root, maxDepth: maxDepth) + ",\n" + sql.levels
            scope = "SELECT id FROM levels" + (query.excludeRoot ? " WHERE depth > 0" : "")
        }
        let filter = filterCondition(query.filter, alias: "n", parameters: &parameters)
        let events = eventsRelation(source, window: query.events, parameters: &parameters)
        let dimensions = dimensionCondition(query.events.matches, source: source, alias: "ev", parameters: &parameters)

        // Keys are k<i> throughout: grouped per (keys, node), then per keys; ordered and returned from there.
        // `fromEvents` tells the keys computed from the event row (`ev`) from those of the counted node (`c`).
        var countedColumns = ["\(sql.nodeID("n")) AS id"]
        var keys: [(group: String, fromEvents: Bool, order: String, returned: String)] = []
        for (index, key) in query.groupBy.enumerated() {
            let (g, p) = ("g.k\(index)", "p.k\(index)")
            switch key {
            case .day:
                keys.append(("ev.day", true, g, p))
            case .week:
                keys.append(("(ev.day - (EXTRACT(ISODOW FROM ev.day)::int4 - 1))", true, g, p))
            case .month:
                keys.append(("(ev.day - (EXTRACT(DAY FROM ev.day)::int4 - 1))", true, g, p))
            case .node:
                keys.append(("c.id", false, "\(g) \(sql.idOrder)", "\(p)::text"))
            case .attribute(let attribute):
                countedColumns.append("n.\(ModelSQL.quoted(attribute.column)) AS a\(index)")
                let type = attribute.type
                keys.append((type.groupExpression("c.a\(index)"), false, type.orderTerm(g), type.returnedKey(p)))
            case .dimension(let dimension):
                let column = source.dimensions.firstIndex(of: dimension)!
                let type = dimension.type
                keys.append((type.groupExpression("ev.d\(column)"), true, type.orderTerm(g), type.returnedKey(p)))
            }
        }
        let measures = query.measures
        let values = measures.indices.map { "v\($0)" }
        let sums = measures.enumerated().map { "sum(ev.m\($0.element)) AS v\($0.offset)" }
        let perNode: String
        if sql.eventReading == .rollups {
            // Per counted node, its rollup rows in the window through the key (node, day, …), which includes the
            // count and sums: an index-only range scan whose rows are summed as they come. The join this replaces
            // fetched every row from the table and hashed or sorted all of them at once (5–21 s on the demo, where
            // this takes 0.8–3.2 s).
            let eventKeys = keys.enumerated().filter(\.element.fromEvents)
            let inner = eventKeys.map { "\($0.element.group) AS e\($0.offset)" } + sums
            let grouping =
                eventKeys.isEmpty ? "" : "GROUP BY \((1...eventKeys.count).map(String.init).joined(separator: ", "))"
            let columns =
                keys.enumerated().map {
                    "\($0.element.fromEvents ? "x.e\($0.offset)" : $0.element.group) AS k\($0.offset)"
                }
                + ["c.id AS node"] + values.map { "x.\($0)" }
            perNode = """
                per_node AS (
                    SELECT \(columns.joined(separator: ", "))
                    FROM counted c
                    CROSS JOIN LATERAL (
                        SELECT \(inner.joined(separator: ", "))
                        FROM \(events) ev
                        WHERE ev.node = c.id AND \(dimensions)
                        \(grouping)
                        HAVING sum(ev.m0) > 0
                    ) x
                )
                """
        } else {
            // The sources' own tables may have no index on the node: one join, planned by PostgreSQL.
            let columns = keys.enumerated().map { "\($0.element.group) AS k\($0.offset)" } + ["c.id AS node"] + sums
            perNode = """
                per_node AS (
                    SELECT \(columns.joined(separator: ", "))
                    FROM counted c
                    JOIN \(events) ev ON ev.node = c.id
                    WHERE \(dimensions)
                    GROUP BY \((1...(keys.count + 1)).map(String.init).joined(separator: ", "))
                    HAVING sum(ev.m0) > 0
                )
                """
        }
        let keyColumns = keys.indices.map { "k\($0)" }
        let groupedColumns = keyColumns + ["count(*) AS nodes"] + values.map { "sum(\($0)) AS \($0)" }
        let order = keys.isEmpty ? "" : "ORDER BY " + keys.map(\.order).joined(separator: ", ")
        let after = try afterCondition(query.after, groupBy: query.groupBy, parameters: &parameters)
        let limit = query.limit == 0 ? "" : "LIMIT \(parameters.add(.int64(Int64(query.limit) + 1)))"
        let summary =
            ["(SELECT count(*) FROM counted) AS in_scope"]
            + values.map { "sum(g.\($0))::text AS total_\($0)" }
            + values.map { "coalesce(bool_or(NOT (g.\($0) BETWEEN \(Self.int64Range))), false) AS over_\($0)" }
        let returned =
            ["s.in_scope"] + values.map { "s.total_\($0)" } + values.map { "s.over_\($0)" } + ["p.ord"]
            + keys.map(\.returned) + ["p.nodes"] + values.map { "p.\($0)::text" }
        let statement = """
            WITH RECURSIVE \(traversal),
            counted AS MATERIALIZED (
                SELECT \(countedColumns.joined(separator: ", "))
                FROM (\(scope)) s
                JOIN \(sql.nodesTable) n ON n.\(sql.idColumn) = s.id
                WHERE \(filter)
            ),
            \(perNode),
            grouped AS MATERIALIZED (
                SELECT \(groupedColumns.joined(separator: ", "))
                FROM per_node
                \(keys.isEmpty ? "" : "GROUP BY \(keyColumns.joined(separator: ", "))")
                HAVING count(*) > 0
            ),
            summary AS (
                SELECT \(summary.joined(separator: ", ")) FROM grouped g
            ),
            page AS (
                SELECT g.*, row_number() OVER (\(order)) AS ord
                FROM grouped g
                WHERE \(after)
                \(order)
                \(limit)
            )
            SELECT \(returned.joined(separator: ", "))
            FROM summary s
            LEFT JOIN page p ON true
            ORDER BY p.ord
            """
        return (statement, parameters.binds)
    }

    /// `BETWEEN` bounds of a 64-bit integer, for the overflow checks of numeric sums.
    static let int64Range = "-9223372036854775808 AND 9223372036854775807"

    /// The events of `source` in `window`'s days, with the model's time zone, dates and bounds bound as typed
    /// parameters once: the relation ``ModelSQL/events(_:timeZone:from:to:)`` in parentheses.
    func eventsRelation(
        _ source: ResolvedModel.Source, window: EventWindow, parameters: inout SQLParameters
    ) -> String {
        let timeZone = source.time == .timestamptz ? parameters.add(.text(model.model.timeZone)) : "NULL"
        let from = window.from.map { parameters.add(.date($0)) }
        let to = window.to.map { parameters.add(.date($0)) }
        return sql.events(source, timeZone: timeZone, from: from, to: to)
    }

    /// "The grouped row `g` comes strictly after the keys `after`" in the contract's key order; `TRUE` on the
    /// first page. A tuple compares key by key, so the condition nests: after the first key, or equal to it and
    /// after the rest.
    ///
    /// - Throws: ``QueryError`` INVALID_ARGUMENT (`page_token`) for keys that no row of this request could have.
    func afterCondition(
        _ after: [String]?, groupBy: [ResolvedModel.GroupKey], parameters: inout SQLParameters
    ) throws(QueryError) -> String {
        guard let after else { return "TRUE" }
        let foreign = QueryError(
            code: .invalidArgument, field: "page_token",
            message: "page_token: the token was not issued for this request")
        guard after.count == groupBy.count else { throw foreign }
        var comparisons: [(after: String, equal: String)] = []
        for (index, key) in groupBy.enumerated() {
            let k = "g.k\(index)"
            let value = after[index]
            switch key {
            case .day, .week, .month:
                let day: Day?
                if case .month = key {
                    day = value.utf8.count == 7 ? Day(iso: value + "-01") : nil
                } else {
                    day = Day(iso: value)
                }
                guard let day else { throw foreign }
                let bound = parameters.add(.date(day))
                comparisons.append(("\(k) > \(bound)::date", "\(k) = \(bound)::date"))
            case .node:
                guard let id = try? model.nodeID(value, field: "page_token") else { throw foreign }
                let bound = "\(parameters.add(sql.bind(id)))::\(sql.idSQLType)"
                comparisons.append(("\(k) \(sql.idOrder) > \(bound)", "\(k) = \(bound)"))
            case .attribute(let attribute):
                guard let comparison = attribute.type.keyComparison(k, value: value, parameters: &parameters) else {
                    throw foreign
                }
                comparisons.append(comparison)
            case .dimension(let dimension):
                guard let comparison = dimension.type.keyComparison(k, value: value, parameters: &parameters) else {
                    throw foreign
                }
                comparisons.append(comparison)
            }
        }
        guard var condition = comparisons.last?.after else { return "FALSE" }
        for comparison in comparisons.dropLast().reversed() {
            condition = "(\(comparison.after) OR (\(comparison.equal) AND \(condition)))"
        }
        return condition
    }
}
