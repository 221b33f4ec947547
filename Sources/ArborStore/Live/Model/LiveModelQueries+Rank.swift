public import ArborModel

extension LiveModelQueries {
    /// Leaderboard over the transitive closure, built only where a metric needs it.
    ///
    /// `closure(ancestor, descendant)` (``ModelSQL/closure(from:skipping:)``) walks the hierarchy's own tables with
    /// `UNION` on the pair, so each pair is produced once however many paths join them; a node on a cycle gets the
    /// pair (u, u), which every metric leaves out. When the order needs the downline (TREE, DOWNLINE_SIZE,
    /// DOWNLINE_MATCHING) the closure starts from every ranked node and skips the leaves below a single parent,
    /// which their parent carries instead (``foldedRankParts(_:matches:sums:)``); otherwise (SELF,
    /// DIRECT_CHILDREN) the page is chosen first and the closure starts from its rows only. Events are summed per
    /// node first (`own`, only for the nodes the answer involves), then per ancestor over its distinct
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
        let sums = 0..<(source?.measures.count ?? 0)
        let matches = query.downlineFilter.map { filterCondition($0, alias: "d", parameters: &parameters) }
        let closureFromRanked = [.treeMeasure, .downlineSize, .downlineMatching].contains(query.metric)
        let page =
            closureFromRanked
            ? foldedRankParts(query, matches: matches, sums: sums) : pageRankParts(query, matches: matches)

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
        if let source, let window = query.events {
            let events = eventsRelation(source, window: window, parameters: &parameters)
            let dimensions = dimensionCondition(window.matches, source: source, alias: "ev", parameters: &parameters)
            // Over everyone, every node may be involved: a filter on the events' node would only cost.
            let involved: String?
            switch query.metric {
            case .selfMeasure, .treeMeasure: involved = query.within == nil ? nil : "SELECT id FROM reach"
            case .directChildren, .downlineSize, .downlineMatching: involved = page.involved
            }
            own = """
                own AS MATERIALIZED (
                    SELECT ev.node AS id, \(sums.map { "sum(ev.m\($0)) AS s\($0)" }.joined(separator: ", "))
                    FROM \(events) ev
                    WHERE \(dimensions) \(involved.map { "AND ev.node IN (\($0))" } ?? "")
                    GROUP BY ev.node
                )
                """
        }
        let metric: (value: String, join: String, isSum: Bool)
        switch query.metric {
        case .selfMeasure: metric = ("coalesce(x.s\(query.measure), 0)", "LEFT JOIN own x ON x.id = r.id", true)
        case .treeMeasure: metric = ("coalesce(x.t\(query.measure), 0)", "LEFT JOIN downline x ON x.id = r.id", true)
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
        // The tree sums of the page: from `downline` when it has them (TREE), else summed over the page's
        // descendants.
        let pageTree = page.treeSums ? "downline" : "tree"
        let tree = """
            tree AS (
                SELECT c.ancestor AS id, \(sums.map { "sum(o.s\($0)) AS t\($0)" }.joined(separator: ", "))
                FROM \(page.descendants) c JOIN own o ON o.id = c.descendant
                GROUP BY c.ancestor
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
                        FROM \(page.descendants) c JOIN \(nodes) d ON d.\(nodeID) = c.descendant
                        GROUP BY 1, 2
                    ) x
                    GROUP BY x.id
                )
                """
        }
        // In dependency order: what orders the board comes before it, what only the page shows after it.
        let trees = own == nil || page.treeSums ? [] : [tree]
        switch query.metric {
        case .treeMeasure: ctes += page.ordering + [own].compactMap { $0 } + page.downline + [board] + page.details
        case .downlineSize, .downlineMatching:
            ctes += page.ordering + page.downline + [board] + page.details + [own].compactMap { $0 } + trees
        case .selfMeasure: ctes += [own].compactMap { $0 } + [board] + page.details + page.downline + trees
        case .directChildren:
            ctes += [children, board] + page.details + page.downline + [own].compactMap { $0 } + trees
        }
        if query.metric != .directChildren { ctes.append(children) }
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
                \(own == nil ? "" : "LEFT JOIN own o ON o.id = p.id LEFT JOIN \(pageTree) t ON t.id = p.id")
                LEFT JOIN children ch ON ch.id = p.id
                LEFT JOIN downline d ON d.id = p.id
                \(breakdown == nil ? "" : "LEFT JOIN breakdown bk ON bk.id = p.id")
            ) ON true
            ORDER BY p.ord
            """
        return (statement, parameters.binds)
    }

    /// The closure and the downline numbers of a Leaderboard, and what the page needs of them.
    struct RankParts {
        /// What is computed before `own` and the board: the closure and what it needs.
        var ordering: [String]
        /// `downline(id, size, matching[, t<i>])`.
        var downline: [String]
        /// What only the page shows (e.g. its expanded descendants); after the board.
        var details: [String]
        /// A relation `(ancestor, descendant)` of every page row's distinct descendants, itself left out.
        var descendants: String
        /// The nodes `own` must cover when the order does not need everyone's (the page and its descendants).
        var involved: String
        /// Whether `downline` also has the tree sums `t<i>` (the TREE order needs them for every ranked node).
        var treeSums: Bool
    }

    /// For an order by the downline (TREE, DOWNLINE_SIZE, DOWNLINE_MATCHING): the closure from every ranked node,
    /// with single-parent leaves folded into their parents (``ModelSQL/singleParentLeaves(among:key:)``: a third
    /// of the pairs on the demo). Per node, `fold` carries its folded leaves (how many, how many match the downline
    /// filter, their events); a node's downline is then, over its closure's pairs (itself left out), each
    /// descendant plus what it carries, plus what the node itself carries. The page's descendants are the
    /// closure's pairs and the folded leaves below them.
    func foldedRankParts(_ query: RankingQuery, matches: String?, sums: Range<Int>) -> RankParts {
        let nodes = sql.nodesTable
        let nodeID = sql.idColumn
        let treeSums = query.metric == .treeMeasure && query.events != nil
        // Under `within` every descendant of a ranked node is in `reach`: only those can be folded.
        let candidates = query.within == nil ? ("\(nodes) f", "f.\(nodeID)") : ("reach f", "f.id")
        let folded = sql.singleParentLeaves(among: candidates.0, key: candidates.1)
        let closure = sql.closure(from: "ranked", skipping: "folded")
        var foldColumns = [
            "count(*) AS n", matches.map { "count(*) FILTER (WHERE \($0)) AS matching" } ?? "0 AS matching",
        ]
        var foldJoins = matches == nil ? "" : "JOIN \(nodes) d ON d.\(nodeID) = f.id"
        var pairColumns = [
            "1 + coalesce(w.n, 0) AS size",
            (matches.map { "(CASE WHEN \($0) THEN 1 ELSE 0 END)" } ?? "0") + " + coalesce(w.matching, 0) AS matching",
        ]
        var pairJoins = ""
        var carried = ["w.id", "w.n", "w.matching"]
        var totals = ["sum(x.size)::int8 AS size", "sum(x.matching)::int8 AS matching"]
        if treeSums {
            foldColumns += sums.map { "sum(o.s\($0)) AS s\($0)" }
            foldJoins += " LEFT JOIN own o ON o.id = f.id"
            pairColumns += sums.map { "coalesce(o.s\($0), 0) + coalesce(w.s\($0), 0) AS t\($0)" }
            pairJoins = "LEFT JOIN own o ON o.id = d.\(nodeID)"
            carried += sums.map { "w.s\($0)" }
            totals += sums.map { "sum(x.t\($0)) AS t\($0)" }
        }
        // The pairs join the nodes table first: its statistics (unique ids) let the planner hash `fold` and `own`
        // rather than sort the closure.
        let fold = """
            fold AS MATERIALIZED (
                SELECT f.parent AS id, \(foldColumns.joined(separator: ", "))
                FROM folded f \(foldJoins)
                GROUP BY f.parent
            )
            """
        let downline = """
            downline AS MATERIALIZED (
                SELECT x.id, \(totals.joined(separator: ", "))
                FROM (
                    SELECT c.ancestor AS id, \(pairColumns.joined(separator: ", "))
                    FROM closure c
                    JOIN \(nodes) d ON d.\(nodeID) = c.descendant
                    LEFT JOIN fold w ON w.id = c.descendant
                    \(pairJoins)
                    WHERE c.descendant <> c.ancestor
                    UNION ALL
                    SELECT \(carried.joined(separator: ", ")) FROM fold w
                ) x
                GROUP BY x.id
            )
            """
        let descendants = """
            page_descendants(ancestor, descendant) AS MATERIALIZED (
                SELECT c.ancestor, c.descendant
                FROM closure c
                WHERE c.ancestor IN (SELECT id FROM page) AND c.descendant <> c.ancestor
                UNION ALL
                SELECT x.ancestor, f.id
                FROM (
                    SELECT c.ancestor, c.descendant AS via FROM closure c WHERE c.ancestor IN (SELECT id FROM page)
                    UNION
                    SELECT id, id FROM page
                ) x
                JOIN folded f ON f.parent = x.via
            )
            """
        let needsDescendants = query.breakdownBy != nil || (query.events != nil && !treeSums)
        return RankParts(
            ordering: [folded, closure], downline: [fold, downline], details: needsDescendants ? [descendants] : [],
            descendants: "page_descendants",
            involved: "SELECT id FROM page UNION ALL SELECT descendant FROM page_descendants", treeSums: treeSums)
    }

    /// For an order by the node itself (SELF, DIRECT_CHILDREN): the page is chosen first, and the closure starts
    /// from its rows only.
    func pageRankParts(_ query: RankingQuery, matches: String?) -> RankParts {
        let nodes = sql.nodesTable
        let nodeID = sql.idColumn
        let matching: (column: String, join: String) =
            matches.map { ("count(*) FILTER (WHERE \($0))", "JOIN \(nodes) d ON d.\(nodeID) = c.descendant") }
            ?? ("0", "")
        let downline = """
            downline AS (
                SELECT c.ancestor AS id, count(*) AS size, \(matching.column) AS matching
                FROM closure c \(matching.join)
                WHERE c.descendant <> c.ancestor
                GROUP BY c.ancestor
            )
            """
        return RankParts(
            ordering: [], downline: [downline], details: [sql.closure(from: "page")],
            descendants: "(SELECT * FROM closure WHERE descendant <> ancestor)",
            involved: "SELECT id FROM page UNION ALL SELECT c.descendant FROM closure c", treeSums: false)
    }
}
