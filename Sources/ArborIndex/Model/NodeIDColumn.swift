import ArborModel

/// Every node's id, ascending in the id type's order, stored compactly by type: 8 bytes an integer, 16 a UUID,
/// text as one byte buffer. A node's index is its position, so "smallest id" is "smallest index"; lookups are
/// binary searches (no hash table of 30 million entries).
enum NodeIDColumn: Sendable {
    case integers([Int64])
    case uuids([UserID])
    case texts(SortedStrings)

    var count: Int {
        switch self {
        case .integers(let ids): ids.count
        case .uuids(let ids): ids.count
        case .texts(let ids): ids.count
        }
    }

    var byteCount: Int {
        switch self {
        case .integers(let ids): ids.capacity * 8
        case .uuids(let ids): ids.capacity * 16
        case .texts(let ids): ids.byteCount
        }
    }

    /// The id of node `index`.
    subscript(index: Int) -> NodeID {
        switch self {
        case .integers(let ids): .integer(ids[index])
        case .uuids(let ids): .uuid(ids[index])
        case .texts(let ids): .text(ids[index])
        }
    }

    /// The index of `id`, or `nil` when it is no node (an id of another type is none).
    func index(of id: NodeID) -> Int? {
        let position = lowerBound(id)
        guard position < count, self[position] == id else { return nil }
        return position
    }

    /// The number of nodes whose id orders before `id`.
    func lowerBound(_ id: NodeID) -> Int {
        switch (self, id) {
        case (.integers(let ids), .integer(let value)): return Self.lowerBound(ids, value)
        case (.uuids(let ids), .uuid(let value)): return Self.lowerBound(ids, value)
        case (.texts(let ids), .text(let value)): return ids.lowerBound(value)
        default:
            // Ids of another type order by type (``NodeID/<``): all before or all after this column's.
            return self.count > 0 && id < self[0] ? 0 : count
        }
    }

    private static func lowerBound<T: Comparable>(_ ids: [T], _ value: T) -> Int {
        ids.withUnsafeBufferPointer { ids in
            var low = 0
            var high = ids.count
            while low < high {
                let middle = (low + high) >> 1
                if ids[middle] < value { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// The ids of `nodes` (in any order, duplicates allowed) sorted and made distinct, and for each row of
    /// `nodes` the index of its id.
    ///
    /// - Throws: ``ModelIndexError`` for an id of another type than `type`, or more nodes than 32-bit indexes hold.
    static func build(_ nodes: [ModelRows.Node], type: NodeIDType) throws(ModelIndexError) -> (
        column: NodeIDColumn, indexOfRow: [Int32]
    ) {
        guard nodes.count < Int(Int32.max) else {
            throw .tooLarge("\(nodes.count) nodes; the index holds at most \(Int32.max - 1)")
        }
        func mismatch(_ id: NodeID) -> ModelIndexError {
            .shape("node id \(ModelIndexError.shortened(id.canonical)) is not of the model's id type \(type.name)")
        }
        switch type {
        case .integer:
            var values: [Int64] = []
            values.reserveCapacity(nodes.count)
            for node in nodes {
                guard case .integer(let value) = node.id else { throw mismatch(node.id) }
                values.append(value)
            }
            let (distinct, indexOfRow) = distinctSorted(values)
            return (.integers(distinct), indexOfRow)
        case .uuid:
            var values: [UserID] = []
            values.reserveCapacity(nodes.count)
            for node in nodes {
                guard case .uuid(let value) = node.id else { throw mismatch(node.id) }
                values.append(value)
            }
            let (distinct, indexOfRow) = distinctSorted(values)
            return (.uuids(distinct), indexOfRow)
        case .text:
            for node in nodes {
                guard case .text = node.id else { throw mismatch(node.id) }
            }
            let (distinct, codes) = SortedStrings.encode(nodes.count) { row in
                guard case .text(let value) = nodes[row].id else { return nil }
                return value
            }
            let column = try SortedStrings(sorted: distinct, what: "text ids")
            return (.texts(column), codes.map { Int32($0) - 1 })
        }
    }

    /// Sorted distinct values and the index of each input value among them; a sorted input (the common case: a
    /// table read in key order) needs no sort.
    private static func distinctSorted<T: Comparable>(_ values: [T]) -> ([T], [Int32]) {
        if zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) {
            return (values, (0..<Int32(values.count)).map { $0 })
        }
        var order = (0..<Int32(values.count)).map { $0 }
        order.sort { values[Int($0)] < values[Int($1)] }
        var distinct: [T] = []
        distinct.reserveCapacity(values.count)
        var indexOfRow = [Int32](repeating: 0, count: values.count)
        for row in order {
            let value = values[Int(row)]
            if distinct.last != value { distinct.append(value) }
            indexOfRow[Int(row)] = Int32(distinct.count - 1)
        }
        return (distinct, indexOfRow)
    }
}
