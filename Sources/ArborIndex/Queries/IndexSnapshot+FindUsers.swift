import ArborModel

extension IndexSnapshot {
    /// Users by name prefix and/or ids, ordered by name bytes then id (see ``FindUsersQuery``).
    ///
    /// A prefix is a binary search in the users sorted by ASCII-folded name; ordering uses ranks precomputed in
    /// (name bytes, id) order.
    /// - Throws: `invalidArgument` on `name_prefix` when neither a prefix nor ids are given.
    public func findUsers(_ query: FindUsersQuery) throws(QueryError) -> FindUsersResult {
        var candidates: [Int32]
        if let ids = query.ids {
            var seen = Set<Int32>()
            candidates = ids.compactMap { indexOf[$0] }.filter { seen.insert($0).inserted }
            if let prefix = query.namePrefix {
                let pattern = Array(prefix.utf8)
                candidates.removeAll { !names.hasPrefix(Int($0), pattern) }
            }
        } else if let prefix = query.namePrefix {
            candidates = Array(names.users(withPrefix: prefix))
        } else {
            throw QueryError(
                code: .invalidArgument, field: "name_prefix", message: "name_prefix: set name_prefix or ids")
        }
        let rank = names.rank
        candidates.sort { rank[Int($0)] < rank[Int($1)] }
        let users = candidates.prefix(Int(query.limit)).map { record(of: Int($0)) }
        return FindUsersResult(users: users)
    }

    func record(of user: Int) -> UserRecord {
        UserRecord(
            id: userIDs[user], name: names.name(of: user), role: columns.roles.key(columns.role[user]),
            state: columns.states.key(columns.state[user]), district: columns.districts.key(columns.district[user]),
            block: columns.blocks.key(columns.block[user]), village: columns.villages.key(columns.village[user]),
            active: columns.active[user], appInstalled: columns.appInstalled[user] == 2)
    }
}
