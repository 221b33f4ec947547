public import ArborModel

extension ModelIndex {
    /// ``cycles(limit:)`` counted against the response size limit as the groups are spelled out: RESOURCE_EXHAUSTED
    /// stops the work once they pass it.
    public func cycles(limit: UInt32, responseLimit: ResponseLimit) throws(QueryError) -> CycleGroupsResult {
        let count = limit == 0 ? hierarchy.cycles.count : min(Int(limit), hierarchy.cycles.count)
        var groups: [[NodeID]] = []
        groups.reserveCapacity(count)
        var used = 0
        for group in hierarchy.cycles.prefix(count) {
            let members = group.map { ids[Int($0)] }
            var size = 2
            for member in members {
                switch member {
                case .uuid: size += 16
                case .integer: size += 1
                case .text(let text): size += text.utf8.count + 1
                }
            }
            try responseLimit.spend(size, from: &used)
            groups.append(members)
        }
        return CycleGroupsResult(groups: groups, total: UInt32(hierarchy.cycles.count))
    }
}
