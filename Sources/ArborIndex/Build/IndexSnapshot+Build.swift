import ArborModel

extension IndexSnapshot {
    /// Builds a snapshot from the rows of one database snapshot.
    ///
    /// Edges naming a user that is not in `users` are ignored, and so are rollups of such users: without foreign
    /// keys the database could hold them, but no query can reach them (a traversal starts at a user, and a user
    /// reaches only users). Duplicate edges count once; a self-edge makes its user a cycle of one.
    ///
    /// Holding every rollup as a `RollupRow` costs about 64 bytes a row before the build starts; a loader that
    /// streams rows should use ``IndexSnapshotBuilder`` instead.
    ///
    /// - Throws: ``IndexBuildError`` when the rollups span more than 65536 days or hold more than 65536 distinct
    ///   (type, channel) pairs, the limits of the compact layout.
    public static func build(
        roles: [RoleRow], users: [UserRow], edges: [EdgeRow], rollups: [RollupRow]
    ) throws(IndexBuildError) -> IndexSnapshot {
        var builder = IndexSnapshotBuilder(roles: roles, users: users, edges: edges, expectedRollupRows: rollups.count)
        for row in rollups { builder.addRollup(row) }
        return try builder.build()
    }

    static func assemble(
        roles: [RoleRow], users: IndexedUsers, edges: [EdgeRow], rollups: RollupTable
    ) -> IndexSnapshot {
        let indexOf = users.indexOf
        var parents: [Int32] = []
        var children: [Int32] = []
        parents.reserveCapacity(edges.count)
        children.reserveCapacity(edges.count)
        for edge in edges {
            guard let parent = indexOf[edge.parent], let child = indexOf[edge.child] else { continue }
            parents.append(parent)
            children.append(child)
        }
        let hierarchy = Hierarchy(userCount: users.rows.count, parents: parents, childrenOfEdges: children)
        let columns = UserColumns(users: users.rows, roleNames: roles.map(\.name))
        let names = NameIndex(names: users.rows.map(\.name))

        let roleCount = columns.roles.count
        let componentCount = hierarchy.componentCount
        var rolePrefix = [UInt32](repeating: 0, count: roleCount * (componentCount + 1))
        var local = [UInt32](repeating: 0, count: roleCount)
        for position in 0..<componentCount {
            for member in hierarchy.members(of: Int(hierarchy.componentAt[position])) {
                local[Int(columns.role[Int(member)])] += 1
            }
            for role in 0..<roleCount {
                let base = role * (componentCount + 1) + position
                rolePrefix[base + 1] = rolePrefix[base] + local[role]
                local[role] = 0
            }
        }

        return IndexSnapshot(
            userIDs: users.rows.map(\.id), indexOf: indexOf,
            columns: columns, names: names, hierarchy: hierarchy, rollups: rollups,
            knownRoles: Set(roles.map(\.name)), rolePrefix: rolePrefix)
    }
}

/// Users sorted by id (their dense indexes) and the map from id to index.
struct IndexedUsers {
    let rows: [UserRow]
    let indexOf: [UserID: Int32]

    /// Users already in strictly increasing id order (a loader reading `ORDER BY id`) are kept as they are, with
    /// no second copy of the rows.
    init(_ users: [UserRow]) {
        var ordered = true
        for index in users.indices.dropFirst() where !(users[index - 1].id < users[index].id) {
            ordered = false
            break
        }
        if ordered {
            self.rows = users
            self.indexOf = Self.indexes(of: users)
            return
        }
        var sorted = users.sorted { $0.id < $1.id }
        // A primary key makes ids unique; if they were not, keep one row per id.
        var write = 0
        for read in sorted.indices where write == 0 || sorted[write - 1].id != sorted[read].id {
            sorted[write] = sorted[read]
            write += 1
        }
        sorted.removeLast(sorted.count - write)
        self.rows = sorted
        self.indexOf = Self.indexes(of: sorted)
    }

    private static func indexes(of rows: [UserRow]) -> [UserID: Int32] {
        var indexOf: [UserID: Int32] = [:]
        indexOf.reserveCapacity(rows.count)
        for (index, user) in rows.enumerated() { indexOf[user.id] = Int32(index) }
        return indexOf
    }
}
