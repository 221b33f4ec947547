import ArborModel

extension LiveQueries {
    /// Leaderboard over the transitive closure of the ranked users.
    ///
    /// `closure(ancestor, descendant)` starts from the edges of the ranked users and follows children with `UNION`
    /// on the pair, so each (ancestor, descendant) pair is produced once however many paths join them; a user on a
    /// cycle gets the pair (user, user), which the metrics leave out. Registrations are summed per user from the
    /// rollups first (filters and window applied), then per ancestor over its distinct descendants.
    static func runLeaderboard(_ query: LeaderboardQuery, on connection: PostgresConnection) throws
        -> LeaderboardResult
    {
        var parameters = SQLParameters()
        let rankedSource: String
        var traversal = ""
        // Every descendant of a ranked user is in `reach` too, so with `within` only those users' rollups count.
        var ownScope = ""
        if let within = query.within {
            let root = parameters.add(.userID(within))
            traversal = TraversalSQL.reachable(root: root) + ","
            rankedSource = "(SELECT id FROM reach WHERE id <> \(root)::uuid) AS scope JOIN users u ON u.id = scope.id"
            ownScope = "AND r.user_id IN (SELECT id FROM reach)"
        } else {
            rankedSource = "users u"
        }
        let filter = query.filter.sqlCondition(alias: "u", parameters: &parameters)
        let registrationFilter = query.registrations.sqlCondition(alias: "r", parameters: &parameters)
        let metric: String
        var roleCount = "0"
        switch query.metric {
        case .selfRegistrations: metric = "self_registrations"
        case .treeRegistrations: metric = "tree_registrations"
        case .directChildren: metric = "direct_children"
        case .downlineSize: metric = "downline_size"
        case .downlineRole(let role):
            metric = "downline_role"
            roleCount = "count(*) FILTER (WHERE du.role = \(parameters.add(.text(role))))"
        }
        let direction = query.ascending ? "ASC" : "DESC"
        let limit = parameters.add(.int64(Int64(query.limit)))
        let offset = parameters.add(.int64(Int64(query.offset)))
        let sql = """
            WITH RECURSIVE \(traversal)
            ranked AS MATERIALIZED (
                SELECT u.id, u.name, u.role FROM \(rankedSource) WHERE \(filter)
            ),
            closure(ancestor, descendant) AS (
                SELECT e.parent_id, e.child_id FROM ranked JOIN user_hierarchy e ON e.parent_id = ranked.id
                UNION
                SELECT c.ancestor, e.child_id FROM closure c JOIN user_hierarchy e ON e.parent_id = c.descendant
            ),
            own AS (
                SELECT r.user_id, sum(r.registrations)::bigint AS registrations
                FROM arbor.daily_rollups r
                WHERE \(registrationFilter) \(ownScope)
                GROUP BY r.user_id
            ),
            downline AS (
                SELECT c.ancestor AS id, count(*) AS size, coalesce(sum(own.registrations), 0)::bigint AS registrations,
                    \(roleCount) AS role_count
                FROM closure c
                LEFT JOIN own ON own.user_id = c.descendant
                \(query.metric.needsDescendantRoles ? "JOIN users du ON du.id = c.descendant" : "")
                WHERE c.descendant <> c.ancestor
                GROUP BY c.ancestor
            ),
            children AS (
                SELECT e.parent_id AS id, count(*) AS direct_children
                FROM ranked JOIN user_hierarchy e ON e.parent_id = ranked.id
                WHERE e.child_id <> e.parent_id
                GROUP BY e.parent_id
            ),
            board AS MATERIALIZED (
                SELECT ranked.id, ranked.name, ranked.role,
                    coalesce(own.registrations, 0) AS self_registrations,
                    coalesce(downline.registrations, 0) AS tree_registrations,
                    coalesce(children.direct_children, 0) AS direct_children,
                    coalesce(downline.size, 0) AS downline_size,
                    coalesce(downline.role_count, 0) AS downline_role
                FROM ranked
                LEFT JOIN own ON own.user_id = ranked.id
                LEFT JOIN downline ON downline.id = ranked.id
                LEFT JOIN children ON children.id = ranked.id
            ),
            page AS (
                SELECT * FROM board ORDER BY \(metric) \(direction), id LIMIT \(limit) OFFSET \(offset)
            ),
            page_roles AS (
                SELECT c.ancestor AS id, coalesce(du.role, '') COLLATE "C" AS role, count(*) AS users
                FROM closure c
                JOIN page ON page.id = c.ancestor
                JOIN users du ON du.id = c.descendant
                WHERE c.descendant <> c.ancestor
                GROUP BY 1, 2
            )
            SELECT (SELECT count(*) FROM board), page.id, coalesce(page.name, ''), coalesce(page.role, ''),
                page.self_registrations, page.tree_registrations, page.direct_children, page.downline_size,
                ARRAY(SELECT pr.role FROM page_roles pr WHERE pr.id = page.id ORDER BY pr.role),
                ARRAY(SELECT pr.users FROM page_roles pr WHERE pr.id = page.id ORDER BY pr.role)
            FROM (SELECT 1) AS one
            LEFT JOIN page ON true
            ORDER BY page.\(metric) \(direction), page.id
            """
        let rows = try connection.query(sql, parameters.binds)
        var totalRanked: UInt32 = 0
        var board: [LeaderboardRow] = []
        for row in rows {
            totalRanked = UInt32(clamping: try row.decode(Int64.self, at: 0))
            guard !row[1].isNull else { continue }
            let roles = try row.decode([String].self, at: 8)
            let counts = try row.decode([Int64].self, at: 9)
            board.append(
                LeaderboardRow(
                    rank: query.offset + UInt32(board.count) + 1,
                    userID: try row.userID(at: 1),
                    name: try row.decode(String.self, at: 2),
                    role: try row.decode(String.self, at: 3),
                    selfRegistrations: UInt64(try row.decode(Int64.self, at: 4)),
                    treeRegistrations: UInt64(try row.decode(Int64.self, at: 5)),
                    directChildren: UInt32(clamping: try row.decode(Int64.self, at: 6)),
                    downlineSize: UInt32(clamping: try row.decode(Int64.self, at: 7)),
                    downlineByRole: zip(roles, counts).map { RoleCount(role: $0, count: UInt32(clamping: $1)) }))
        }
        return LeaderboardResult(rows: board, totalRanked: totalRanked)
    }
}

extension LeaderboardMetric {
    /// Whether the ranking needs each descendant's role (DOWNLINE_ROLE).
    fileprivate var needsDescendantRoles: Bool {
        if case .downlineRole = self { return true }
        return false
    }
}
