import ArborModel

extension IndexSnapshot {
    /// Descendants of `query.root` by shortest depth, then id (see ``DescendantsQuery``).
    ///
    /// Breadth-first search over the adjacency arrays; each level is put in id order before it is emitted, by
    /// sorting when the level is small and by marking a bitset and scanning it when the level is large.
    /// - Throws: `unknownRole` for a role in `filter.roles` that does not exist (checked first), then
    ///   `unknownUser(root, field: "root")`.
    public func descendants(_ query: DescendantsQuery) throws(QueryError) -> DescendantsResult {
        try query.validateRoles(knownRoles)
        let root = try index(of: query.root, field: "root")
        let filter = CompiledUserFilter(query.filter, columns)
        let limit = query.limit == 0 ? Int.max : Int(query.limit)
        var entries: [DescendantEntry] = []
        var total: UInt64 = 0

        if query.includeRoot, filter.matches(root) {
            total += 1
            if limit > 0 { entries.append(DescendantEntry(id: userIDs[root], depth: 0)) }
        }

        var levels = LevelOrder(userCount: userCount)
        var visited = [UInt64](repeating: 0, count: (userCount + 63) >> 6)
        visited[root >> 6] |= 1 << UInt64(root & 63)
        var frontier: [Int32] = [Int32(root)]
        var next: [Int32] = []
        var depth: UInt32 = 0
        while !frontier.isEmpty, query.maxDepth == 0 || depth < query.maxDepth {
            try QueryError.checkCancellation()
            depth += 1
            next.removeAll(keepingCapacity: true)
            hierarchy.childOffsets.withUnsafeBufferPointer { offsets in
                hierarchy.children.withUnsafeBufferPointer { children in
                    visited.withUnsafeMutableBufferPointer { visited in
                        for user in frontier {
                            for edge in Int(offsets[Int(user)])..<Int(offsets[Int(user) + 1]) {
                                let child = Int(children[edge])
                                let bit: UInt64 = 1 << UInt64(child & 63)
                                if visited[child >> 6] & bit == 0 {
                                    visited[child >> 6] |= bit
                                    next.append(Int32(child))
                                }
                            }
                        }
                    }
                }
            }
            levels.sort(&next)
            if filter.passesEveryone {
                total += UInt64(next.count)
                let room = max(0, min(next.count, limit - entries.count))
                for user in next.prefix(room) { entries.append(DescendantEntry(id: userIDs[Int(user)], depth: depth)) }
            } else {
                for user in next where filter.matches(Int(user)) {
                    total += 1
                    if entries.count < limit { entries.append(DescendantEntry(id: userIDs[Int(user)], depth: depth)) }
                }
            }
            swap(&frontier, &next)
        }
        return DescendantsResult(entries: entries, total: total)
    }
}

/// Puts one BFS level in index order: a comparison sort for small levels, a bitset scan for levels large
/// enough that scanning `userCount / 64` words is cheaper.
struct LevelOrder {
    private let userCount: Int
    private var marks: Bitset?

    init(userCount: Int) {
        self.userCount = userCount
    }

    mutating func sort(_ level: inout [Int32]) {
        guard level.count > 1 else { return }
        guard level.count > 64, level.count * 8 > userCount >> 6 else {
            level.sort()
            return
        }
        var bits = marks ?? Bitset(count: userCount)
        for user in level { bits.insert(Int(user)) }
        var write = 0
        level.withUnsafeMutableBufferPointer { buffer in
            bits.forEach { user in
                buffer[write] = Int32(user)
                write += 1
            }
        }
        for user in level { bits.remove(Int(user)) }
        marks = bits
    }
}
