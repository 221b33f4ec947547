import ArborModel

extension LiveQueries {
    /// FindUsers: ids by `= ANY`, the prefix as an exact byte comparison after folding only ASCII A–Z.
    ///
    /// `lower(name) LIKE …` would be wrong twice over: `lower` folds non-ASCII letters too, and `%`/`_` in the prefix
    /// would be wildcards. `starts_with` on `translate(…, 'A–Z', 'a–z')` folds exactly ASCII and treats every
    /// character literally.
    static func runFindUsers(_ query: FindUsersQuery, on connection: PostgresConnection) throws -> FindUsersResult {
        var parameters = SQLParameters()
        var conditions: [String] = []
        if let ids = query.ids {
            conditions.append("u.id = ANY(\(parameters.add(.userIDArray(ids)))::uuid[])")
        }
        if let prefix = query.namePrefix {
            let placeholder = parameters.add(.text(prefix))
            conditions.append(
                "starts_with(\(Self.foldASCII("u.name")), \(Self.foldASCII("\(placeholder)::text")))")
        }
        guard !conditions.isEmpty else {
            throw QueryError(
                code: .invalidArgument, field: "name_prefix", message: "name_prefix: set name_prefix or ids")
        }
        let limit = parameters.add(.int64(Int64(query.limit)))
        let sql = """
            SELECT u.id, coalesce(u.name, ''), coalesce(u.role, ''), coalesce(u.state, ''), coalesce(u.district, ''),
                coalesce(u.block, ''), coalesce(u.village, ''), coalesce(u.status = 'active', false),
                coalesce(u.app_installed, false)
            FROM users u
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY coalesce(u.name, '') COLLATE "C", u.id
            LIMIT \(limit)
            """
        let rows = try connection.query(sql, parameters.binds)
        let users = try rows.map { row in
            UserRecord(
                id: try row.userID(at: 0), name: try row.decode(String.self, at: 1),
                role: try row.decode(String.self, at: 2), state: try row.decode(String.self, at: 3),
                district: try row.decode(String.self, at: 4), block: try row.decode(String.self, at: 5),
                village: try row.decode(String.self, at: 6), active: try row.decode(Bool.self, at: 7),
                appInstalled: try row.decode(Bool.self, at: 8))
        }
        return FindUsersResult(users: users)
    }

    /// `expression` with ASCII A–Z folded to a–z and every other character unchanged.
    private static func foldASCII(_ expression: String) -> String {
        "translate(\(expression), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }
}
