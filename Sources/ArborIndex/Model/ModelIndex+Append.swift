import ArborModel

extension ModelIndex {
    /// The most label values appended in place (``AppendedValues``) before an append builds the label again:
    /// ordering them costs their number times its log on each append.
    static let appendedLabelLimit = 65_536

    /// New nodes appended as leaves, in place: their ids above every old one (integer or UUID ids), every added
    /// edge ending at a new node, no node removed and no edge dropped, their label and attribute values already in
    /// the attribute columns' dictionaries (new labels are appended to the label's). `nil` when the changes are not of that shape (a build of the changed parts then
    /// applies them).
    ///
    /// The cost is that of the new nodes, their runs and the components above them, plus copies of a few bitsets
    /// and side tables: ids, codes, ranks, edge lists and runs are appended to their buffers in place.
    func appendingLeaves(
        _ changes: NodeChanges, events: [EventRollupRows], closedValues: [String: Set<String>]
    ) throws(ModelIndexError) -> ModelIndex? {
        guard changes.removed.isEmpty, changes.dropped.isEmpty, !changes.inserted.isEmpty, nodeCount > 0,
            let newIDs = ids.appending(changes.inserted.map(\.id))
        else { return nil }
        let base = nodeCount
        let total = newIDs.count
        var edges: [(parent: Int32, child: Int32)] = []
        for pair in changes.added {
            guard let child = newIDs.index(of: pair.child), child >= base, let parent = newIDs.index(of: pair.parent)
            else { return nil }
            edges.append((Int32(parent), Int32(child)))
        }

        // Columns: updated old nodes first, then the new nodes' codes (values the dictionary has).
        func appended(_ column: EncodedColumn, _ values: [String?]) -> EncodedColumn? {
            var codes: [UInt32] = []
            codes.reserveCapacity(values.count)
            for value in values {
                guard let value else {
                    codes.append(0)
                    continue
                }
                guard let code = column.dictionary.code(of: value) else { return nil }
                codes.append(code)
            }
            return EncodedColumn(codes: column.codes.appending(codes), dictionary: column.dictionary)
        }
        var label = self.label
        var labelOrder = self.labelOrder
        if let old = label {
            let edits = changes.updated.map { (node: $0.index, value: $0.row.label) }
            var updated = try old.updating(edits, type: .text, what: "labels")
            let keysKept = edits.isEmpty || updated.sameCodes(as: old)
            // New labels (a log tree's every line has one) are appended to the dictionary rather than sorted in;
            // past a bound the build sorts them in again.
            let novel = changes.inserted.compactMap(\.label).filter { updated.dictionary.code(of: $0) == nil }
            if !novel.isEmpty {
                // `""` shares NULL's key, before every gap: only a build places it.
                guard !novel.contains(""), updated.dictionary.appended.count + novel.count <= Self.appendedLabelLimit
                else { return nil }
                updated = EncodedColumn(codes: updated.codes, dictionary: updated.dictionary.appending(novel))
            }
            guard let grown = appended(updated, changes.inserted.map(\.label)) else { return nil }
            label = grown
            if keysKept, let order = labelOrder {
                labelOrder = order.appending((base..<total).map { Int32($0) }, label: grown)
            } else {
                // Old nodes' keys moved: order the nodes from scratch.
                let sorted = try grown.withAppendedValuesSorted()
                label = sorted
                labelOrder = LabelOrder(label: sorted)
            }
        }
        var attributes: [EncodedColumn] = []
        for (index, attribute) in model.attributes.enumerated() {
            let edits = changes.updated.map { (node: $0.index, value: $0.row.attributes[index]) }
            let updated = try self.attributes[index].updating(
                edits, type: attribute.type, what: "values of \(attribute.name)")
            guard let grown = appended(updated, changes.inserted.map { $0.attributes[index] }) else { return nil }
            attributes.append(grown)
        }

        guard let newHierarchy = try hierarchy.appendingLeaves(count: total - base, edges: edges) else { return nil }

        // Runs: the new ranks start empty; deltas (a new node's whole rows) apply as usual.
        var sources: [EventTable] = []
        var subtreeDays: [SubtreeDays] = []
        var changesBySource: [[RunChange]] = []
        for (index, old) in self.sources.enumerated() {
            let source = model.sources[index]
            let rows = index < events.count ? events[index] : EventRollupRows.empty(for: source)
            let (table, runChanges) = try old.applying(
                rows, source: source, rankCount: total, node: { newIDs.index(of: $0) },
                rankOf: { newHierarchy.rankOf[$0] }, idOf: { newIDs[$0] })
            sources.append(table)
            changesBySource.append(runChanges)
            let days = self.subtreeDays[index]
            subtreeDays.append(
                days.updated(
                    oldFirstDay: old.firstDay, carried: days.keys.map { ($0, $0) }, recompute: [],
                    changes: runChanges, hierarchy: newHierarchy, table: table)
                    ?? SubtreeDays(table: table, hierarchy: newHierarchy, minimumDownline: subtreeMinimumDownline))
        }
        return ModelIndex(
            model: model, ids: newIDs, label: label, attributes: attributes, hierarchy: newHierarchy,
            sources: sources, subtreeDays: subtreeDays, labelOrder: labelOrder, closedValues: closedValues,
            subtreeMinimumDownline: subtreeMinimumDownline,
            runningTotals: carriedRunningTotals(
                to: sources, nodeCount: total, ranks: .kept, changes: changesBySource,
                rankOf: { newHierarchy.rankOf[$0] }))
    }
}
