import ArborModel

extension LiveQueries {
    /// FilteredStats: the scope (root unless excluded, plus descendants within `maxDepth`) joined with the rollups.
    ///
    /// Unbounded depth uses plain reachability (`UNION` on the id); a depth bound needs shortest distances, so it
    /// uses the BFS. One statement returns `users_in_scope` on every row, with the groups LEFT JOINed to it, so an
    /// empty result still carries the count.
    static func runFilteredStats(_ query: FilteredStatsQuery, on connection: PostgresConnection) throws
        -> FilteredStatsResult
    {
        var groupBy: [StatsDimension] = []
        for dimension in query.groupBy {
            guard !groupBy.contains(dimension) else {
                throw QueryError(
                    code: .invalidArgument, field: "group_by", message: "group_by: dimension \(dimension) is repeated")
            }
            groupBy.append(dimension)
        }
        var parameters = SQLParameters()
        let root = parameters.add(.userID(query.root))
        let traversal: String
        let descendants: String
        if query.maxDepth == 0 {
            traversal = TraversalSQL.reachable(root: root)
            descendants = "SELECT id FROM reach WHERE id <> \(root)::uuid"
        } else {
            let maxDepth = parameters.add(.int32(Int32(clamping: query.maxDepth)))
            traversal = TraversalSQL.breadthFirst(root: root, maxDepth: maxDepth)
            descendants = "SELECT f.id FROM bfs b CROSS JOIN LATERAL unnest(b.frontier) AS f(id) WHERE b.depth > 0"
        }
        let rootRow = query.excludeRoot ? "" : "UNION ALL SELECT \(root)::uuid"
        let userFilter = query.userFilter.sqlCondition(alias: "u", parameters: &parameters)
        let registrationFilter = query.registrations.sqlCondition(alias: "r", parameters: &parameters)
        let keys = groupBy.enumerated().map { "\($0.element.sqlKey) AS k\($0.offset)" }
        let keyColumns = groupBy.indices.map { "g.k\($0)" }
        let groupClause =
            groupBy.isEmpty ? "" : "GROUP BY " + groupBy.indices.map { "\($0 + 1)" }.joined(separator: ", ")
        let orderClause = keyColumns.isEmpty ? "" : "ORDER BY " + keyColumns.joined(separator: ", ")
        let sql = """
            WITH RECURSIVE \(traversal),
            scope(id) AS (\(descendants) \(rootRow)),
            counted AS MATERIALIZED (
                SELECT u.id, u.role, u.state, u.district, u.block, u.village
                FROM scope s
                JOIN users u ON u.id = s.id
                WHERE \(userFilter)
            ),
            grouped AS (
                SELECT \((keys + ["sum(r.registrations)::bigint AS registrations", "count(DISTINCT r.user_id) AS users"]).joined(separator: ", "))
                FROM counted u
                JOIN arbor.daily_rollups r ON r.user_id = u.id
                WHERE r.registrations > 0 AND \(registrationFilter)
                \(groupClause)
                HAVING sum(r.registrations) > 0
            )
            SELECT \((["(SELECT count(*) FROM counted) AS users_in_scope", "g.registrations", "g.users"] + keyColumns).joined(separator: ", "))
            FROM (SELECT 1) AS one
            LEFT JOIN grouped g ON true
            \(orderClause)
            """
        let rows = try connection.query(sql, parameters.binds)
        var usersInScope: UInt32 = 0
        var statsRows: [StatsRow] = []
        var total: UInt64 = 0
        for row in rows {
            usersInScope = UInt32(clamping: try row.decode(Int64.self, at: 0))
            guard let registrations = try row.decode(Int64?.self, at: 1) else { continue }
            let keys = try groupBy.indices.map { try row.decode(String.self, at: 3 + $0) }
            let users = try row.decode(Int64.self, at: 2)
            statsRows.append(
                StatsRow(keys: keys, registrations: UInt64(registrations), registeringUsers: UInt32(clamping: users)))
            total += UInt64(registrations)
        }
        return FilteredStatsResult(rows: statsRows, totalRegistrations: total, usersInScope: usersInScope)
    }
}
