import ArborModel

extension IndexSnapshot {
    /// Builds a snapshot from the rows of one database snapshot.
    ///
    /// Edges naming a user that is not in `users` are ignored, and so are rollups of such users: without foreign
    /// keys the database could hold them, but no query can reach them (a traversal starts at a user, and a user
    /// reaches only users). Duplicate edges count once; a self-edge makes its user a cycle of one.
    ///
    /// - Throws: ``IndexBuildError`` when the rollups span more than 65536 days or hold more than 65536 distinct
    ///   (type, channel) pairs, the limits of the compact layout.
    public static func build(
        roles: [RoleRow], users: [UserRow], edges: [EdgeRow], rollups: [RollupRow], version: UInt64,
        asOfUnixMs: Int64
    ) throws(IndexBuildError) -> IndexSnapshot {
        var sortedUsers = users.sorted { $0.id < $1.id }
        // A primary key makes ids unique; if they were not, keep one row per id.
        var write = 0
        for read in sortedUsers.indices where write == 0 || sortedUsers[write - 1].id != sortedUsers[read].id {
            sortedUsers[write] = sortedUsers[read]
            write += 1
        }
        sortedUsers.removeLast(sortedUsers.count - write)

        let userIDs = sortedUsers.map(\.id)
        var indexOf: [UserID: Int32] = [:]
        indexOf.reserveCapacity(userIDs.count)
        for (index, id) in userIDs.enumerated() { indexOf[id] = Int32(index) }

        var parents: [Int32] = []
        var children: [Int32] = []
        parents.reserveCapacity(edges.count)
        children.reserveCapacity(edges.count)
        for edge in edges {
            guard let parent = indexOf[edge.parent], let child = indexOf[edge.child] else { continue }
            parents.append(parent)
            children.append(child)
        }
        let hierarchy = Hierarchy(userCount: userIDs.count, parents: parents, childrenOfEdges: children)
        let columns = UserColumns(users: sortedUsers, roleNames: roles.map(\.name))
        let names = NameIndex(names: sortedUsers.map(\.name))
        let rollupTable = try RollupTable(rows: rollups, userCount: userIDs.count, indexOf: indexOf)

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
            version: version, asOfUnixMs: asOfUnixMs, userIDs: userIDs, indexOf: indexOf, columns: columns,
            names: names, hierarchy: hierarchy, rollups: rollupTable, knownRoles: Set(roles.map(\.name)),
            rolePrefix: rolePrefix)
    }
}
