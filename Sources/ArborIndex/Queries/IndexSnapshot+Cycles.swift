import ArborModel

extension IndexSnapshot {
    /// Every group of users that reach each other, largest first, then by first member (see ``CyclesQuery``).
    /// The groups are the strongly connected components found at build time, so this only copies them out.
    public func cycles(_ query: CyclesQuery) -> CyclesResult {
        let groups = hierarchy.cycles
        let count = query.limit == 0 ? groups.count : min(groups.count, Int(query.limit))
        return CyclesResult(
            cycles: groups[..<count].map { group in group.map { userIDs[Int($0)] } }, total: UInt32(groups.count))
    }
}
