import ArborModel

/// An immutable in-memory copy of the hierarchy, the users and the daily rollups, answering every query of the
/// contract exactly as the live SQL path does.
///
/// Users are dense indexes in id order; attributes are dictionary-encoded columns; the hierarchy is compressed
/// adjacency plus a collapsed-cycles reachability structure (see ``Hierarchy``); rollups are per-user runs sorted
/// by day. Queries are pure functions of the snapshot and the request: no I/O, no clock, no shared mutable state,
/// so a snapshot can be read from any number of threads while a newer one is being built.
public final class IndexSnapshot: Sendable {
    let userIDs: [UserID]
    let indexOf: [UserID: Int32]
    let columns: UserColumns
    let names: NameIndex
    let hierarchy: Hierarchy
    let rollups: RollupTable
    let knownRoles: Set<String>
    /// Role counts by preorder position: `rolePrefix[role * (componentCount + 1) + position]` is the number of
    /// users holding `role` in the components at positions below `position`.
    let rolePrefix: [UInt32]

    init(
        userIDs: [UserID], indexOf: [UserID: Int32], columns: UserColumns,
        names: NameIndex, hierarchy: Hierarchy, rollups: RollupTable, knownRoles: Set<String>, rolePrefix: [UInt32]
    ) {
        self.userIDs = userIDs
        self.indexOf = indexOf
        self.columns = columns
        self.names = names
        self.hierarchy = hierarchy
        self.rollups = rollups
        self.knownRoles = knownRoles
        self.rolePrefix = rolePrefix
    }

    /// Number of users.
    public var userCount: Int { userIDs.count }

    /// Whether `id` names a user of this snapshot.
    public func contains(_ id: UserID) -> Bool { indexOf[id] != nil }

    func index(of id: UserID, field: String) throws(QueryError) -> Int {
        guard let index = indexOf[id] else { throw .unknownUser(id, field: field) }
        return Int(index)
    }

    /// Bytes held by the snapshot's arrays (an estimate that leaves out dictionary and object overheads).
    public var approximateByteCount: Int {
        func size<T>(_ array: [T]) -> Int { array.capacity * MemoryLayout<T>.stride }
        var total = size(userIDs) + indexOf.capacity * (MemoryLayout<UserID>.stride + 4) * 2
        total += size(columns.role) * 5 + size(columns.active) + size(columns.appInstalled)
        total += size(names.offsets) + size(names.bytes) + size(names.isNull) + size(names.rank) + size(names.folded)
        total += size(hierarchy.childOffsets) + size(hierarchy.children) + size(hierarchy.componentOf)
        total += size(hierarchy.memberOffsets) + size(hierarchy.members) + size(hierarchy.positionOf)
        total += size(hierarchy.componentAt) + size(hierarchy.reachOffsets) + size(hierarchy.reachLow)
        total += size(hierarchy.reachHigh) + size(hierarchy.downlineSize)
        total += size(rollups.offsets) + size(rollups.days) + size(rollups.combinations) + size(rollups.counts)
        total += size(rollups.userTotals) + size(rolePrefix)
        return total
    }
}
