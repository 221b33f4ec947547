extension ModelIndex {
    /// Whether a leaderboard over a window asked this index (or the one it was refreshed from) for running day
    /// totals: the refresher then builds them with ``prepareRunningTotals()`` after publishing.
    public var runningTotalsWanted: Bool { cumulativeDayTotals.wanted }

    /// Whether every source has its running day totals, or is known not to get them (too sparse).
    public var runningTotalsReady: Bool { sources.indices.allSatisfy { cumulativeDayTotals.isSettled($0) } }

    /// Builds the running day totals of every dense source that lacks them (``CumulativeDayTotals``): on the demo
    /// about 125 ms and 9 MB, after which a leaderboard over any window reads two entries a node instead of its
    /// rows. Safe to call from any thread while queries run; queries use the totals once they are there.
    public func prepareRunningTotals() {
        for (index, table) in sources.enumerated() {
            cumulativeDayTotals.prepare(index, table: table, nodeCount: nodeCount)
        }
    }

    /// The running totals the index after an incremental refresh takes over from this one: each source's totals
    /// carried to its new table (see ``CumulativeDayTotals/carried(oldFirstDay:to:nodeCount:ranks:changes:rankOf:)``),
    /// the same totals when the source did not change; a source whose totals cannot be carried (or that grew too
    /// sparse for them) starts unsettled.
    ///
    /// - Parameters:
    ///   - tables: the new index's tables, one per source.
    ///   - changes: per source, the changed (node, day)s.
    func carriedRunningTotals(
        to tables: [EventTable], nodeCount newNodeCount: Int, ranks: CumulativeDayTotals.RankMapping,
        changes: [[RunChange]], rankOf: (Int) -> Int32
    ) -> CumulativeDayTotalsCache {
        var carried: [Int: CumulativeDayTotals?] = [:]
        for (index, old) in sources.enumerated() {
            guard let settled = cumulativeDayTotals.settled(index), let totals = settled else { continue }
            let table = tables[index]
            // A table that grew sparse (a far-off day) would make the totals outgrow the rows.
            guard cumulativeDayTotals.worthBuilding(table, nodeCount: newNodeCount) else { continue }
            if case .kept = ranks, newNodeCount == nodeCount, changes[index].isEmpty, table.firstDay == old.firstDay,
                table.dayCount == old.dayCount
            {
                carried[index] = totals
            } else if let moved = totals.carried(
                oldFirstDay: old.firstDay, to: table, nodeCount: newNodeCount, ranks: ranks,
                changes: changes[index], rankOf: rankOf)
            {
                carried[index] = moved
            }
        }
        return CumulativeDayTotalsCache(
            carried: carried, wanted: cumulativeDayTotals.wanted, everySource: cumulativeDayTotals.everySource)
    }
}
