public import ArborModel

extension LiveModelQueries {
    /// Leaderboard over the transitive closure, built only where a metric needs it.
    ///
    /// `closure(ancestor, descendant)` (``ModelSQL/closure(from:)``) walks the hierarchy's own tables with `UNION`
    /// on the pair, so each pair is produced once however many paths join them; a node on a cycle gets the pair
    /// (u, u), which every metric leaves out. When the order needs the
    /// downline (TREE, DOWNLINE_SIZE, DOWNLINE_MATCHING) the closure starts from every ranked node; otherwise
    /// (SELF, DIRECT_CHILDREN) the page is chosen first and the closure starts from its rows only. Events are
    /// summed per node first (`own`, only for the nodes the answer involves), then per ancestor over its distinct
    /// descendants.
    ///
    /// - Throws: ``QueryError`` for an unknown closed value or `within`, or a sum past 64 bits in a ranked node's
    ///   ordering value or a returned row; ``StoreError``.
    public func rank(_ query: RankingQuery, on connection: PostgresConnection) throws -> RankingResult {
        try checkRequest(
            closedValues: query.closedValueChecks, nodes: query.within.map { [($0, "within")] } ?? [],
            on: connection)
        let statement = rankStatement(query)
        let rows = try connection.query(statement.sql, statement.binds)
        let source = query.events.map { model.sources[$0.source] }
        let hasEvents = source != nil
        guard let first = rows.first else { throw StoreError(.protocolViolation, "Leaderboard returned no row") }
        if try first.decode(Bool.self, at: 1), let source {
            throw QueryError.sumOutOfRange(source.measures[query.measure].name)
        }
        let names = source?.measures.map(\.name) ?? []
        var result = RankingResult(rows: [], totalRanked: UInt32(clamping: try first.decode(Int64.self, at: 0)))
        for row in rows {
            guard try row.decode(Int64?.self, at: 2) != nil else { continue }
            var column = 5
            func next<T: PostgresDecodable>(_: T.Type) throws -> T {
                defer { column += 1 }
                return try row.decode(T.self, at: column)
            }
            let nodeID = try NodeIDColumn.node(row[3], model.idType)
            let label = try row.decode(String.self, at: 4)
            let attributes = try query.attributes.map { _ in try next(String.self) }
            var selfValues: [Int64] = []
            var treeValues: [Int64] = []
            if hasEvents {
                selfValues = try names.map { try ExactSum.answer(try next(String?.self), measure: $0) }
                treeValues = try names.map { try ExactSum.answer(try next(String?.self), measure: $0) }
            }
            let children = try next(Int64?.self) ?? 0
            let size = try next(Int64?.self) ?? 0
            let matching = try next(Int64?.self) ?? 0
            var breakdownCounts: [KeyCount] = []
            if let keys = try next([String]?.self), let counts = try next([Int64]?.self), let index = query.breakdownBy
            {
                let type = model.attributes[index].type
                breakdownCounts = zip(keys, counts).map { KeyCount(key: $0, count: UInt32(clamping: $1)) }
                    .sorted { type.orders($0.key, before: $1.key) }
            }
            result.rows.append(
                RankingRow(
                    rank: UInt32(clamping: Int64(query.offset) + Int64(result.rows.count) + 1), id: nodeID,
                    label: label,
                    attributes: attributes, selfValues: selfValues, treeValues: treeValues,
                    directChildren: UInt32(clamping: children), downlineSize: UInt32(clamping: size),
                    downlineMatching: UInt32(clamping: matching), breakdown: breakdownCounts))
        }
        return result
    }

    /// The statement of ``rank(_:on:)`` and its bound parameters: the ranked count and "an ordering value passes
    /// 64 bits", then the page's rows (`ord`, id, label, attributes, self and tree sums, children, downline size,
    /// matching, breakdown keys and counts), one row with NULL there when the page is empty.
    func rankStatement(_ query: RankingQuery) -> (sql: String, binds: [PostgresBind]) {
        var parameters = SQLParameters()
        let id = sql.idSQLType
        let nodes = sql.nodesTable
        let nodeID = sql.idColumn
        var ctes: [String] = []
        var ranked = "\(nodes) n"
        var rankedConditions = [filterCondition(query.filter, alias: "n", parameters: &parameters)]
        if let within = query.within {
            let root = parameters.add(sql.bind(within))
            ctes.append(sql.reachable(root: root))
            ranked = "reach r JOIN \(nodes) n ON n.\(nodeID) = r.id"
            rankedConditions.append("n.\(nodeID) <> \(root)::\(id)")
        }
        ctes.append(
            """
            ranked AS MATERIALIZED (
                SELECT \(sql.nodeID("n")) AS id FROM \(ranked) WHERE \(rankedConditions.joined(separator: " AND "))
            )
            """)

        let source = query.events.map { model.sources[$0.source] }
        let measureCount = source?.measures.count ?? 0
        let sums = (0..<measureCount)
        let closureFromRanked = [.treeMeasure, .downlineSize, .downlineMatching].contains(query.metric)
        let closure = sql.closure(from: closureFromRanked ? "ranked" : "page")
        let matching: (column: String, join: String)
        if let downline = query.downlineFilter {
            let condition = filterCondition(downline, alias: "d", parameters: &parameters)
            matching = ("count(*) FILTER (WHERE \(condition))", "JOIN \(nodes) d ON d.\(nodeID) = c.descendant")
        } else {
            matching = ("0", "")
        }
        // Downline counts for every ranked node when they order it, else for the page only.
        let downlineOrders = query.metric == .downlineSize || query.metric == .downlineMatching
        let downline = """
            downline AS (
                SELECT c.ancestor AS id, count(*) AS size, \(matching.column) AS matching
                FROM closure c \(matching.join)
                WHERE c.descendant <> c.ancestor
                    \(downlineOrders || !closureFromRanked ? "" : "AND c.ancestor IN (SELECT id FROM page)")
                GROUP BY c.ancestor
            )
            """
        // Distinct children other than the node, for the page (or every ranked node when they order it).
        let child = sql.hop(from: "\(query.metric == .directChildren ? "ranked" : "page") f")
        let children = """
            children AS (
                SELECT f.id, count(DISTINCT \(child.target)) AS n
                FROM \(child.joins)
                WHERE \(child.target) <> f.id
                GROUP BY f.id
            )
            """
        // `own`: events per node, for the nodes whose own or downline numbers the answer shows or orders by.
        var own: String?
        var tree: String?
        if let source, let window = query.events {
            let events = eventsRelation(source, window: window, parameters: &parameters)
            let dimensions = dimensionCondition(window.matches, source: source, alias: "ev", parameters: &parameters)
            // Over everyone, every node may be involved: a filter on the events' node would only cost.
            let involved: String?
            switch query.metric {
            case .selfMeasure, .treeMeasure: involved = query.within == nil ? nil : "SELECT id FROM reach"
            case .directChildren, .downlineSize, .downlineMatching:
                involved =
                    "SELECT id FROM page UNION ALL SELECT c.descendant FROM closure c WHERE c.ancestor IN (SELECT id FROM page)"
            }
            own = """
                own AS MATERIALIZED (
                    SELECT ev.node AS id, \(sums.map { "sum(ev.m\($0)) AS s\($0)" }.joined(separator: ", "))
                    FROM \(events) ev
                    WHERE \(dimensions) \(involved.map { "AND ev.node IN (\($0))" } ?? "")
                    GROUP BY ev.node
                )
                """
            tree = """
                tree AS (
                    SELECT c.ancestor AS id, \(sums.map { "sum(o.s\($0)) AS t\($0)" }.joined(separator: ", "))
                    FROM closure c JOIN own o ON o.id = c.descendant
                    WHERE c.descendant <> c.ancestor
                        \(query.metric == .treeMeasure ? "" : "AND c.ancestor IN (SELECT id FROM page)")
                    GROUP BY c.ancestor
                )
                """
        }
        let metric: (value: String, join: String, isSum: Bool)
        switch query.metric {
        case .selfMeasure: metric = ("coalesce(x.s\(query.measure), 0)", "LEFT JOIN own x ON x.id = r.id", true)
        case .treeMeasure: metric = ("coalesce(x.t\(query.measure), 0)", "LEFT JOIN tree x ON x.id = r.id", true)
        case .directChildren: metric = ("coalesce(x.n, 0)", "LEFT JOIN children x ON x.id = r.id", false)
        case .downlineSize: metric = ("coalesce(x.size, 0)", "LEFT JOIN downline x ON x.id = r.id", false)
        case .downlineMatching: metric = ("coalesce(x.matching, 0)", "LEFT JOIN downline x ON x.id = r.id", false)
        }
        let direction = query.ascending ? "ASC" : "DESC"
        let order = "b.metric \(direction), b.id \(sql.idOrder)"
        let overflow =
            metric.isSum ? "coalesce(bool_or(NOT (b.metric BETWEEN \(Self.int64Range))), false)" : "false"
        let limit = parameters.add(.int64(Int64(query.limit)))
        let offset = parameters.add(.int64(Int64(query.offset)))
        let board = """
            board AS MATERIALIZED (
                SELECT r.id, \(metric.value) AS metric FROM ranked r \(metric.join)
            ),
            summary AS (
                SELECT count(*) AS total, \(overflow) AS overflow FROM board b
            ),
            page AS MATERIALIZED (
                SELECT b.id, row_number() OVER (ORDER BY \(order)) AS ord
                FROM board b
                ORDER BY \(order)
                LIMIT \(limit) OFFSET \(offset)
            )
            """
        var breakdown: String?
        if let index = query.breakdownBy {
            let column = ModelSQL.quoted(model.attributes[index].column)
            breakdown = """
                breakdown AS (
                    SELECT x.id, array_agg(x.key) AS keys, array_agg(x.n) AS counts
                    FROM (
                        SELECT c.ancestor AS id, coalesce(d.\(column)::text, '') AS key, count(*) AS n
                        FROM closure c JOIN \(nodes) d ON d.\(nodeID) = c.descendant
                        WHERE c.descendant <> c.ancestor AND c.ancestor IN (SELECT id FROM page)
                        GROUP BY 1, 2
                    ) x
                    GROUP BY x.id
                )
                """
        }
        // In dependency order: what orders the board comes before it, what only the page shows after it.
        switch query.metric {
        case .treeMeasure: ctes += [closure, own, tree, board, downline, children].compactMap { $0 }
        case .downlineSize, .downlineMatching:
            ctes += [closure, downline, board, children, own, tree].compactMap { $0 }
        case .selfMeasure: ctes += [own, board, closure, downline, children, tree].compactMap { $0 }
        case .directChildren: ctes += [children, board, closure, downline, own, tree].compactMap { $0 }
        }
        if let breakdown { ctes.append(breakdown) }

        let label = model.model.nodes.label.map { returnedValue($0, alias: "n") } ?? "''"
        var columns = ["s.total", "s.overflow", "p.ord", NodeIDColumn.select("p.id", model.idType), label]
        columns += query.attributes.map { returnedValue(model.attributes[$0].column, alias: "n") }
        if own != nil {
            columns += sums.map { "o.s\($0)::text" } + sums.map { "t.t\($0)::text" }
        }
        columns += ["ch.n", "d.size", "d.matching"]
        columns += breakdown == nil ? ["NULL::text[]", "NULL::int8[]"] : ["bk.keys", "bk.counts"]
        let statement = """
            WITH RECURSIVE \(ctes.joined(separator: ",\n"))
            SELECT \(columns.joined(separator: ", "))
            FROM summary s
            LEFT JOIN (
                page p
                JOIN \(nodes) n ON n.\(nodeID) = p.id
                \(own == nil ? "" : "LEFT JOIN own o ON o.id = p.id LEFT JOIN tree t ON t.id = p.id")
                LEFT JOIN children ch ON ch.id = p.id
                LEFT JOIN downline d ON d.id = p.id
                \(breakdown == nil ? "" : "LEFT JOIN breakdown bk ON bk.id = p.id")
            ) ON true
            ORDER BY p.ord
            """
        return (statement, parameters.binds)
    }
}
