public import ArborModel

extension ModelIndex {
    /// The index of the newer snapshot that `delta` leads to, built from this one without reading everything again:
    /// every call answers exactly as an index built from the newer snapshot's rows would.
    ///
    /// What it costs depends on what changed:
    /// - **events only, or node rows updated** (no node inserted or removed, no edge changed): each changed node's
    ///   rows are merged with their deltas and written after the table's last row (``EventTable``), and the per-day
    ///   downline totals of the components above each changed node are adjusted (``SubtreeDays``); a changed
    ///   attribute or label column is encoded again (linear in the nodes);
    /// - **new nodes appended as leaves** (integer or UUID ids above every existing one, edges only into new nodes,
    ///   no edge among old nodes changed, nothing removed): the ids, columns, hierarchy and runs of the new nodes
    ///   are appended in place (``AppendableArray``); old ranks stay, and the components above the new nodes get
    ///   their new ranks as extra reach intervals — the common case of a log tree or an organisation that grows;
    /// - **anything else** (a removed node or edge, an edge between existing nodes, ids in the middle of the
    ///   order): the nodes' columns and the hierarchy are built again from this index's own data, the event runs
    ///   keep their rows and only move to the new ranks, and the per-day totals of the components whose downline
    ///   changed are computed again. Linear in nodes and edges, independent of the number of event rows.
    ///
    /// - Throws: ``ModelIndexError`` as a build of the newer rows would (a negative count, days too far apart, rows
    ///   of the wrong shape), and ``ModelIndexError/Code/notIncremental`` when the change cannot be applied exactly
    ///   here (a rollup row's sum past 64 bits): build the index from the rows instead.
    public func applying(_ delta: ModelIndexDelta) throws(ModelIndexError) -> ModelIndex {
        guard delta.events.count <= model.sources.count else {
            throw .shape("\(delta.events.count) event sources in the delta; the model has \(model.sources.count)")
        }
        var rowOf: [NodeID: ModelRows.Node] = [:]
        for node in delta.nodes where rowOf[node.id] == nil {
            guard Self.id(node.id, hasType: model.idType) else {
                throw .shape(
                    "node id \(ModelIndexError.shortened(node.id.canonical)) is not of the model's id type "
                        + model.idType.name)
            }
            guard node.attributes.count == model.attributes.count else {
                throw .shape(
                    "node \(ModelIndexError.shortened(node.id.canonical)) has \(node.attributes.count) attribute "
                        + "values; the model has \(model.attributes.count) attributes")
            }
            rowOf[node.id] = node
        }
        var removed = Set<Int>()
        for id in delta.removedNodes where rowOf[id] == nil {
            if let index = ids.index(of: id) { removed.insert(index) }
        }
        var inserted: [ModelRows.Node] = []
        var updated: [(index: Int, row: ModelRows.Node)] = []
        for (id, row) in rowOf {
            if let index = ids.index(of: id) { updated.append((index, row)) } else { inserted.append(row) }
        }
        inserted.sort { $0.id < $1.id }
        updated.sort { $0.index < $1.index }
        let insertedIDs = Set(inserted.map(\.id))
        func isNodeAfter(_ id: NodeID) -> Bool {
            if insertedIDs.contains(id) { return true }
            guard let index = ids.index(of: id) else { return false }
            return !removed.contains(index)
        }

        // Edges whose presence changes, between nodes of the newer snapshot (the last word on a pair wins).
        var finalEdges: [PairKey: Bool] = [:]
        var order: [PairKey] = []
        for edge in delta.edges where isNodeAfter(edge.parent) && isNodeAfter(edge.child) {
            let key = PairKey(parent: edge.parent, child: edge.child)
            if finalEdges.updateValue(edge.present, forKey: key) == nil { order.append(key) }
        }
        var added: [PairKey] = []
        var dropped: [(parent: Int, child: Int)] = []
        for key in order {
            let present = finalEdges[key]!
            if let parent = ids.index(of: key.parent), let child = ids.index(of: key.child) {
                let stored = hierarchy.hasEdge(from: parent, to: child)
                if stored, !present { dropped.append((parent, child)) }
                if !stored, present { added.append(key) }
            } else if present {
                added.append(key)
            }
        }

        let changes = NodeChanges(
            rowOf: rowOf, removed: removed, inserted: inserted, updated: updated, added: added, dropped: dropped)
        let closedValues = delta.closedValues ?? self.closedValues
        if inserted.isEmpty, removed.isEmpty, added.isEmpty, dropped.isEmpty {
            return try applyingInPlace(changes, events: delta.events, closedValues: closedValues)
        }
        if let appended = try appendingLeaves(changes, events: delta.events, closedValues: closedValues) {
            return appended
        }
        return try rebuilding(changes, events: delta.events, closedValues: closedValues)
    }

    static func id(_ id: NodeID, hasType type: NodeIDType) -> Bool {
        switch (id, type) {
        case (.integer, .integer), (.uuid, .uuid), (.text, .text): true
        default: false
        }
    }

    /// A (parent, child) pair of ids.
    struct PairKey: Hashable {
        var parent: NodeID
        var child: NodeID
    }

    /// A delta resolved against this index.
    struct NodeChanges {
        /// The row now of every changed node that has one.
        let rowOf: [NodeID: ModelRows.Node]
        /// Indexes of nodes that have no row now.
        let removed: Set<Int>
        /// Rows of ids this index does not hold, ascending by id.
        let inserted: [ModelRows.Node]
        /// Indexes of nodes whose row may have changed, ascending, and their rows.
        let updated: [(index: Int, row: ModelRows.Node)]
        /// Edges to add (at least one end is not in this index, or the pair is not stored).
        let added: [PairKey]
        /// Stored edges to drop, as indexes of this index.
        let dropped: [(parent: Int, child: Int)]
    }

    /// Node rows changed, nothing inserted or removed, no edge changed: the same hierarchy and ranks.
    private func applyingInPlace(
        _ changes: NodeChanges, events: [EventRollupRows], closedValues: [String: Set<String>]
    ) throws(ModelIndexError) -> ModelIndex {
        var label = self.label
        var attributes = self.attributes
        var labelChanged = false
        if !changes.updated.isEmpty {
            if let old = label {
                let edits = changes.updated.map { (node: $0.index, value: $0.row.label) }
                let new = try old.updating(edits, type: .text, what: "labels")
                labelChanged = !new.sameCodes(as: old)
                label = labelChanged ? try new.withAppendedValuesSorted() : new
            }
            for (index, attribute) in model.attributes.enumerated() {
                let edits = changes.updated.map { (node: $0.index, value: $0.row.attributes[index]) }
                attributes[index] = try attributes[index].updating(
                    edits, type: attribute.type, what: "values of \(attribute.name)")
            }
        }
        var sources = self.sources
        var subtreeDays = self.subtreeDays
        var changesBySource = [[RunChange]](repeating: [], count: sources.count)
        for (index, rows) in events.enumerated() where rows.count > 0 {
            let old = sources[index]
            let (table, runChanges) = try old.applying(
                rows, source: model.sources[index], rankCount: nodeCount, node: { ids.index(of: $0) },
                rankOf: { hierarchy.rankOf[$0] }, idOf: { ids[$0] })
            sources[index] = table
            changesBySource[index] = runChanges
            guard !runChanges.isEmpty || table.firstDay != old.firstDay else { continue }
            let keys = self.subtreeDays[index].keys
            subtreeDays[index] =
                self.subtreeDays[index].updated(
                    oldFirstDay: old.firstDay, carried: keys.map { ($0, $0) }, recompute: [], changes: runChanges,
                    hierarchy: hierarchy, table: table)
                ?? SubtreeDays(table: table, hierarchy: hierarchy, minimumDownline: subtreeMinimumDownline)
        }
        return ModelIndex(
            model: model, ids: ids, label: label, attributes: attributes, hierarchy: hierarchy, sources: sources,
            subtreeDays: subtreeDays, labelOrder: labelChanged ? label.map { LabelOrder(label: $0) } : labelOrder,
            closedValues: closedValues, subtreeMinimumDownline: subtreeMinimumDownline,
            runningTotals: carriedRunningTotals(
                to: sources, nodeCount: nodeCount, ranks: .kept, changes: changesBySource,
                rankOf: { hierarchy.rankOf[$0] }))
    }

    /// Nodes inserted or removed, or edges changed: node columns and hierarchy built again from this index's data,
    /// event runs moved to the new ranks without copying their rows.
    private func rebuilding(
        _ changes: NodeChanges, events: [EventRollupRows], closedValues: [String: Set<String>]
    ) throws(ModelIndexError) -> ModelIndex {
        // The new ids: the old ones that stay, merged with the inserted ones (both ascending).
        var newIDs: [NodeID] = []
        var oldOfNew: [Int32] = []
        var newOfOld = [Int32](repeating: -1, count: nodeCount)
        newIDs.reserveCapacity(nodeCount + changes.inserted.count)
        var next = 0
        for old in 0..<nodeCount {
            let id = ids[old]
            while next < changes.inserted.count, changes.inserted[next].id < id {
                newIDs.append(changes.inserted[next].id)
                oldOfNew.append(-1)
                next += 1
            }
            guard !changes.removed.contains(old) else { continue }
            newOfOld[old] = Int32(newIDs.count)
            newIDs.append(id)
            oldOfNew.append(Int32(old))
        }
        while next < changes.inserted.count {
            newIDs.append(changes.inserted[next].id)
            oldOfNew.append(-1)
            next += 1
        }
        let (newColumn, _) = try NodeIDColumn.build(count: newIDs.count, type: model.idType) { newIDs[$0] }
        let count = newIDs.count

        // Columns: old values (decoded once per code) unless the node's row changed.
        func column(_ old: EncodedColumn, type: ValueType, what: String, value: (ModelRows.Node) -> String?)
            throws(ModelIndexError) -> EncodedColumn
        {
            let texts = (0...old.dictionary.codeCount).map { old.dictionary.value(ofCode: UInt32($0)) }
            return try EncodedColumn(count: count, type: type, what: what) { node in
                if let row = changes.rowOf[newIDs[node]] { return value(row) }
                return texts[Int(old.code(of: Int(oldOfNew[node])))]
            }
        }
        let label = try self.label.map { old throws(ModelIndexError) in
            try column(old, type: .text, what: "labels") { $0.label }
        }
        var attributes: [EncodedColumn] = []
        for (index, attribute) in model.attributes.enumerated() {
            attributes.append(
                try column(self.attributes[index], type: attribute.type, what: "values of \(attribute.name)") {
                    $0.attributes[index]
                })
        }

        // Edges: the old ones between nodes that stay, less the dropped ones, plus the added ones.
        var droppedPairs = Set<UInt64>()
        for pair in changes.dropped { droppedPairs.insert(UInt64(pair.parent) << 32 | UInt64(pair.child)) }
        var parents: [Int32] = []
        var children: [Int32] = []
        parents.reserveCapacity(hierarchy.edgeCount + changes.added.count)
        children.reserveCapacity(hierarchy.edgeCount + changes.added.count)
        func keep(_ parent: Int, _ child: Int) {
            let (newParent, newChild) = (newOfOld[parent], newOfOld[child])
            guard newParent >= 0, newChild >= 0, !droppedPairs.contains(UInt64(parent) << 32 | UInt64(child)) else {
                return
            }
            parents.append(newParent)
            children.append(newChild)
        }
        for parent in 0..<nodeCount {
            hierarchy.down.forEachTarget(of: parent) { keep(parent, Int($0)) }
        }
        for node in hierarchy.selfEdges { keep(Int(node), Int(node)) }
        for pair in changes.added {
            guard let parent = newColumn.index(of: pair.parent), let child = newColumn.index(of: pair.child) else {
                continue
            }
            parents.append(Int32(parent))
            children.append(Int32(child))
        }
        let newHierarchy = try NodeHierarchy(nodeCount: count, parents: parents, children: children)

        // Components whose downline changed: above a changed edge's parent or a removed node, before and after.
        var oldSeeds = Set<Int>(changes.removed)
        var newSeeds = Set<Int>()
        for pair in changes.dropped {
            oldSeeds.insert(pair.parent)
            if newOfOld[pair.parent] >= 0 { newSeeds.insert(Int(newOfOld[pair.parent])) }
        }
        // New nodes that lead to no old node only add themselves below their ancestors: those ancestors' totals
        // gain the new nodes' rows (the run changes below), no component needs totalling again.
        let insertedIDs = Set(changes.inserted.map(\.id))
        let newNodesAreLeaves = !changes.added.contains {
            insertedIDs.contains($0.parent) && !insertedIDs.contains($0.child)
        }
        for pair in changes.added where !(newNodesAreLeaves && insertedIDs.contains(pair.child)) {
            if let parent = ids.index(of: pair.parent) { oldSeeds.insert(parent) }
            if let parent = newColumn.index(of: pair.parent) { newSeeds.insert(parent) }
        }
        var affectedBefore = Set<Int32>()
        for node in hierarchy.ancestors(ofAny: oldSeeds) {
            affectedBefore.insert(hierarchy.componentRanks(of: Int(node)).lowerBound)
        }
        var affectedAfter: [Int32: Range<Int32>] = [:]
        for node in newHierarchy.ancestors(ofAny: newSeeds) {
            let component = newHierarchy.componentRanks(of: Int(node))
            affectedAfter[component.lowerBound] = component
        }
        let recompute = affectedAfter.values.filter { component in
            var reached = 0
            newHierarchy.forEachReachInterval(of: component) { reached += $0.count }
            return reached >= subtreeMinimumDownline
        }.sorted { $0.lowerBound < $1.lowerBound }

        // Events: each new rank takes its node's old run, then the deltas apply.
        var oldRankOfRank = [Int32](repeating: -1, count: count)
        for rank in 0..<count {
            let old = oldOfNew[Int(newHierarchy.nodeAt[rank])]
            if old >= 0 { oldRankOfRank[rank] = hierarchy.rankOf[Int(old)] }
        }
        var sources: [EventTable] = []
        var subtreeDays: [SubtreeDays] = []
        var changesBySource: [[RunChange]] = []
        for (index, old) in self.sources.enumerated() {
            var table = old.remapped(oldRankOfRank: oldRankOfRank)
            var runChanges: [RunChange] = []
            if index < events.count, events[index].count > 0 {
                (table, runChanges) = try table.applying(
                    events[index], source: model.sources[index], rankCount: count,
                    node: { newColumn.index(of: $0) }, rankOf: { newHierarchy.rankOf[$0] }, idOf: { newColumn[$0] })
            }
            changesBySource.append(runChanges)
            var carried: [(old: Int32, new: Int32)] = []
            for key in self.subtreeDays[index].keys where !affectedBefore.contains(key) {
                let node = newOfOld[Int(hierarchy.nodeAt[Int(key)])]
                guard node >= 0 else { continue }
                let component = newHierarchy.componentRanks(of: Int(node))
                guard affectedAfter[component.lowerBound] == nil else { continue }
                carried.append((key, component.lowerBound))
            }
            sources.append(table)
            subtreeDays.append(
                self.subtreeDays[index].updated(
                    oldFirstDay: old.firstDay, carried: carried, recompute: recompute, changes: runChanges,
                    hierarchy: newHierarchy, table: table)
                    ?? SubtreeDays(table: table, hierarchy: newHierarchy, minimumDownline: subtreeMinimumDownline))
        }
        return ModelIndex(
            model: model, ids: newColumn, label: label, attributes: attributes, hierarchy: newHierarchy,
            sources: sources, subtreeDays: subtreeDays, labelOrder: label.map { LabelOrder(label: $0) },
            closedValues: closedValues, subtreeMinimumDownline: subtreeMinimumDownline,
            runningTotals: carriedRunningTotals(
                to: sources, nodeCount: count, ranks: .moved(oldRankOfRank: oldRankOfRank),
                changes: changesBySource, rankOf: { newHierarchy.rankOf[$0] }))
    }
}

extension EncodedColumn {
    /// The column with some nodes' values replaced, encoded exactly as a build of the new values would be (a
    /// value no node holds any more leaves the dictionary): only the changed codes are written when the dictionary
    /// stays the same, else the column is encoded again.
    func updating(_ edits: [(node: Int, value: String?)], type: ValueType, what: String) throws(ModelIndexError)
        -> EncodedColumn
    {
        guard !edits.isEmpty else { return self }
        var uses = [Int](repeating: 0, count: dictionary.codeCount + 1)
        codes.withReader { reader in
            for node in 0..<codes.count { uses[Int(reader[node])] += 1 }
        }
        var newValue: [Int: String?] = [:]
        var codeChanges: [(index: Int, code: UInt32)] = []
        var sameDictionary = true
        for edit in edits {
            newValue[edit.node] = .some(edit.value)
            let code: UInt32
            if let value = edit.value {
                guard let known = dictionary.code(of: value) else {
                    sameDictionary = false
                    continue
                }
                code = known
            } else {
                code = 0
            }
            uses[Int(codes[edit.node])] -= 1
            uses[Int(code)] += 1
            codeChanges.append((edit.node, code))
        }
        if sameDictionary, !uses.dropFirst().contains(0) {
            return EncodedColumn(codes: codes.replacing(codeChanges), dictionary: dictionary)
        }
        let texts = (0...dictionary.codeCount).map { dictionary.value(ofCode: UInt32($0)) }
        let oldCodes = codes
        return try EncodedColumn(count: oldCodes.count, type: type, what: what) { node in
            if let value = newValue[node] { return value }
            return texts[Int(oldCodes[node])]
        }
    }

    /// The column encoded again when values were appended to its dictionary (``AppendedValues``), so that codes
    /// follow byte order again; else the column itself.
    func withAppendedValuesSorted() throws(ModelIndexError) -> EncodedColumn {
        guard dictionary.appended.count > 0 else { return self }
        return try EncodedColumn(count: codes.count, type: .text, what: "labels") { value(of: $0) }
    }

    /// Whether both columns hold the same codes over the same dictionary values.
    func sameCodes(as other: EncodedColumn) -> Bool {
        guard codes.count == other.codes.count, dictionary.count == other.dictionary.count,
            dictionary.appended.values == other.dictionary.appended.values
        else { return false }
        for code in 0..<dictionary.count
        where !ByteString.sameBytes(dictionary.values[code], other.dictionary.values[code]) {
            return false
        }
        for node in 0..<codes.count where codes[node] != other.codes[node] { return false }
        return true
    }
}
