/// Keeping the per-day downline totals exact through an incremental refresh.
///
/// A listed component whose set of descendants did not change keeps its totals, plus the changes of the rows of
/// the nodes it reaches (each changed node's ancestors are found by a breadth-first search upwards); a component
/// whose descendants changed (an edge or a removed node below it) is totalled again from the rows. Components
/// that became large enough stay unlisted until the next build: a listing only makes a query faster.
extension SubtreeDays {
    /// The totals after a refresh, or `nil` when walking up from every changed node would cost more than building
    /// them again (the caller then builds them).
    ///
    /// - Parameters:
    ///   - oldFirstDay: the first day of the table the totals were made for (days are offsets from it).
    ///   - carried: listed components whose descendants did not change, by their first rank before and after.
    ///   - recompute: components of the new hierarchy to total from the rows of `table`.
    ///   - changes: how the rows of each changed node changed.
    func updated(
        oldFirstDay: Int32, carried: [(old: Int32, new: Int32)], recompute: [Range<Int32>], changes: [RunChange],
        hierarchy: NodeHierarchy, table: EventTable
    ) -> SubtreeDays? {
        let measureCount = table.measures.count
        guard table.dayCount > 0, !(carried.isEmpty && recompute.isEmpty) else { return .empty }

        // Per carried component (by new first rank): its entries before, as absolute days.
        var slotOf: [Int32: Int] = [:]
        var oldEntries: [Range<Int>] = []
        for (old, new) in carried {
            guard let entries = entries(ofComponentStartingAt: old) else { continue }
            slotOf[new] = oldEntries.count
            oldEntries.append(entries)
        }
        // Changes per slot and absolute day: the sums' deltas and the change of distinct nodes.
        var edited: [Int: [Int32: (sums: [Int128], nodes: Int)]] = [:]
        if !slotOf.isEmpty {
            var budget = 4 * hierarchy.nodeCount + 65536
            for change in changes {
                let ancestors = hierarchy.ancestors(ofAny: [change.node])
                budget -= ancestors.count
                if budget < 0 { return nil }
                let own = hierarchy.componentRanks(of: change.node)
                var seen = Set<Int32>()
                for ancestor in ancestors {
                    let component = hierarchy.componentRanks(of: Int(ancestor))
                    guard component != own, seen.insert(component.lowerBound).inserted,
                        let slot = slotOf[component.lowerBound]
                    else { continue }
                    var days = edited[slot] ?? [:]
                    for (position, day) in change.days.enumerated() {
                        var entry = days[day] ?? ([Int128](repeating: 0, count: measureCount), 0)
                        for measure in 0..<measureCount {
                            entry.sums[measure] += change.sums[position * measureCount + measure]
                        }
                        entry.nodes += Int(change.presence[position])
                        days[day] = entry
                    }
                    edited[slot] = days
                }
            }
        }

        // Untouched components are copied as slices; changed and recomputed ones are made anew.
        enum Part {
            case old(Range<Int>)
            case new(Totals)
        }
        var parts: [(key: Int32, part: Part)] = []
        parts.reserveCapacity(slotOf.count + recompute.count)
        for (_, new) in carried {
            guard let slot = slotOf[new] else { continue }
            guard let changed = edited[slot] else {
                parts.append((new, .old(oldEntries[slot])))
                continue
            }
            var totals = Totals()
            totals.sums = [[Int64]](repeating: [], count: measureCount)
            var merged: [Int32: (sums: [Int128], nodes: Int)] = [:]
            for entry in oldEntries[slot] {
                merged[Int32(days[entry]) + oldFirstDay] = (
                    (0..<measureCount).map { Int128(sums[$0][entry]) }, Int(nodes[entry])
                )
            }
            for (day, change) in changed {
                var entry = merged[day] ?? ([Int128](repeating: 0, count: measureCount), 0)
                for measure in 0..<measureCount { entry.sums[measure] += change.sums[measure] }
                entry.nodes += change.nodes
                merged[day] = entry
            }
            for day in merged.keys.sorted() {
                let entry = merged[day]!
                guard entry.nodes > 0 else { continue }
                totals.days.append(UInt16(day - table.firstDay))
                totals.nodes.append(UInt32(entry.nodes))
                for measure in 0..<measureCount {
                    guard let value = Int64(exactly: entry.sums[measure]) else { return .empty }
                    totals.sums[measure].append(value)
                }
            }
            parts.append((new, .new(totals)))
        }
        let fresh = Self.totals(of: recompute, table: table, hierarchy: hierarchy)
        for (component, totals) in zip(recompute, fresh) {
            if totals.overflow { return .empty }
            parts.append((component.lowerBound, .new(totals)))
        }
        if !zip(parts, parts.dropFirst()).allSatisfy({ $0.key < $1.key }) { parts.sort { $0.key < $1.key } }

        let shift = Int32(oldFirstDay - table.firstDay)
        var allDays: [UInt16] = []
        var allSums = [[Int64]](repeating: [], count: measureCount)
        var allNodes: [UInt32] = []
        var offsets: [UInt32] = [0]
        allDays.reserveCapacity(self.days.count)
        allNodes.reserveCapacity(self.nodes.count)
        for measure in 0..<measureCount { allSums[measure].reserveCapacity(self.days.count) }
        offsets.reserveCapacity(parts.count + 1)
        for (_, part) in parts {
            switch part {
            case .old(let entries):
                if shift == 0 {
                    allDays.append(contentsOf: self.days[entries])
                } else {
                    allDays.append(contentsOf: self.days[entries].map { UInt16(Int32($0) + shift) })
                }
                allNodes.append(contentsOf: self.nodes[entries])
                for measure in 0..<measureCount { allSums[measure].append(contentsOf: self.sums[measure][entries]) }
            case .new(let totals):
                allDays += totals.days
                allNodes += totals.nodes
                for measure in 0..<measureCount { allSums[measure] += totals.sums[measure] }
            }
            offsets.append(UInt32(allDays.count))
        }
        return SubtreeDays(keys: parts.map(\.key), offsets: offsets, days: allDays, sums: allSums, nodes: allNodes)
    }
}
