import ArborModel

/// Every node's id, ascending in the id type's order, stored compactly by type: 8 bytes an integer, 16 a UUID,
/// text as one byte buffer. A node's index is its position, so "smallest id" is "smallest index"; lookups are
/// binary searches (no hash table of 30 million entries).
///
/// A struct holding one filled array per type (not an enum of them), so that reading an id is a load, with no
/// retain of an enum payload.
struct NodeIDColumn: Sendable {
    private enum Kind {
        case integers, uuids, texts
    }

    private let kind: Kind
    private let integers: AppendableArray<Int64>
    private let uuids: AppendableArray<UserID>
    private let texts: SortedStrings

    private init(integers: [Int64] = [], uuids: [UserID] = [], texts: SortedStrings = .empty, kind: Kind) {
        self.init(integers: AppendableArray(integers), uuids: AppendableArray(uuids), texts: texts, kind: kind)
    }

    private init(
        integers: AppendableArray<Int64>, uuids: AppendableArray<UserID>, texts: SortedStrings, kind: Kind
    ) {
        self.kind = kind
        self.integers = integers
        self.uuids = uuids
        self.texts = texts
    }

    /// The column with `ids` (ascending, each above every id of the column) appended in place; `nil` for text ids
    /// (one sorted byte buffer) or ids that are not above the column's.
    func appending(_ ids: [NodeID]) -> NodeIDColumn? {
        guard let first = ids.first else { return self }
        guard count == 0 || self[count - 1] < first, zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) else {
            return nil
        }
        switch kind {
        case .integers:
            let values = ids.compactMap { if case .integer(let value) = $0 { value } else { nil } }
            guard values.count == ids.count else { return nil }
            return NodeIDColumn(
                integers: integers.appending(contentsOf: values), uuids: uuids, texts: texts, kind: kind)
        case .uuids:
            let values = ids.compactMap { if case .uuid(let value) = $0 { value } else { nil } }
            guard values.count == ids.count else { return nil }
            return NodeIDColumn(
                integers: integers, uuids: uuids.appending(contentsOf: values), texts: texts, kind: kind)
        case .texts:
            return nil
        }
    }

    var count: Int {
        switch kind {
        case .integers: integers.count
        case .uuids: uuids.count
        case .texts: texts.count
        }
    }

    var byteCount: Int { integers.byteCount + uuids.byteCount + texts.byteCount }

    /// The id of node `index`.
    @inline(__always)
    subscript(index: Int) -> NodeID {
        switch kind {
        case .integers: .integer(integers[index])
        case .uuids: .uuid(uuids[index])
        case .texts: .text(texts[index])
        }
    }

    /// Writes the ids of `nodes` (picked by `node(i)` for `i` in `0 ..< count`) as the wire's `NodeIds.uuids` wants
    /// them, 16 big-endian bytes each, from `destination` on. Only for UUID ids.
    @inline(__always)
    func writeUUIDs(count: Int, to destination: UnsafeMutableRawPointer, node: (Int) -> Int) {
        precondition(kind == .uuids, "UUID bytes of ids of another type")
        withExtendedLifetime(uuids) {
            let values = uuids.unsafeElements
            for position in 0..<count {
                let id = values[node(position)]
                destination.storeBytes(of: id.high.bigEndian, toByteOffset: position &* 16, as: UInt64.self)
                destination.storeBytes(of: id.low.bigEndian, toByteOffset: position &* 16 &+ 8, as: UInt64.self)
            }
        }
    }

    /// The integer id of node `index`. Only for integer ids.
    @inline(__always)
    func integer(at index: Int) -> Int64 { integers[index] }

    /// The index of `id`, or `nil` when it is no node (an id of another type is none).
    func index(of id: NodeID) -> Int? {
        let position = lowerBound(id)
        guard position < count, self[position] == id else { return nil }
        return position
    }

    /// The number of nodes whose id orders before `id`.
    func lowerBound(_ id: NodeID) -> Int {
        switch (kind, id) {
        case (.integers, .integer(let value)): return Self.lowerBound(integers, value)
        case (.uuids, .uuid(let value)): return Self.lowerBound(uuids, value)
        case (.texts, .text(let value)): return texts.lowerBound(value)
        default:
            // Ids of another type order by type (``NodeID/<``): all before or all after this column's.
            return count > 0 && id < self[0] ? 0 : count
        }
    }

    private static func lowerBound<T: Comparable>(_ ids: AppendableArray<T>, _ value: T) -> Int {
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
        try build(count: nodes.count, type: type) { nodes[$0].id }
    }

    /// The column of `list`, taking its array as it is when the ids ascend strictly (a load reads them in id
    /// order); `indexOfRow` is `nil` then (row `i` is node `i`), else as ``build(_:type:)`` returns it.
    static func build(_ list: NodeIDList) throws(ModelIndexError) -> (column: NodeIDColumn, indexOfRow: [Int32]?) {
        guard list.count < Int(Int32.max) else {
            throw .tooLarge("\(list.count) nodes; the index holds at most \(Int32.max - 1)")
        }
        func ascending<T: Comparable>(_ values: [T]) -> Bool {
            values.withUnsafeBufferPointer { values in
                values.count < 2 || (1..<values.count).allSatisfy { values[$0 - 1] < values[$0] }
            }
        }
        switch list.type {
        case .integer where ascending(list.integers):
            return (NodeIDColumn(integers: list.integers, kind: .integers), nil)
        case .uuid where ascending(list.uuids):
            return (NodeIDColumn(uuids: list.uuids, kind: .uuids), nil)
        default:
            let (column, indexOfRow) = try build(count: list.count, type: list.type) { list[$0] }
            return (column, indexOfRow)
        }
    }

    /// The index of `id`, looking first at `hint` (a load's next id is usually the next node).
    @inline(__always)
    func index(of id: NodeID, hint: Int) -> Int? {
        if hint >= 0, hint < count, self[hint] == id { return hint }
        return index(of: id)
    }

    /// ``build(_:type:)`` of the ids `id(0) ..< id(count)`.
    static func build(count: Int, type: NodeIDType, id: (Int) -> NodeID) throws(ModelIndexError) -> (
        column: NodeIDColumn, indexOfRow: [Int32]
    ) {
        guard count < Int(Int32.max) else {
            throw .tooLarge("\(count) nodes; the index holds at most \(Int32.max - 1)")
        }
        func mismatch(_ id: NodeID) -> ModelIndexError {
            .shape("node id \(ModelIndexError.shortened(id.canonical)) is not of the model's id type \(type.name)")
        }
        switch type {
        case .integer:
            var values: [Int64] = []
            values.reserveCapacity(count)
            for row in 0..<count {
                let node = id(row)
                guard case .integer(let value) = node else { throw mismatch(node) }
                values.append(value)
            }
            let (distinct, indexOfRow) = distinctSorted(values)
            return (NodeIDColumn(integers: distinct, kind: .integers), indexOfRow)
        case .uuid:
            var values: [UserID] = []
            values.reserveCapacity(count)
            for row in 0..<count {
                let node = id(row)
                guard case .uuid(let value) = node else { throw mismatch(node) }
                values.append(value)
            }
            let (distinct, indexOfRow) = distinctSorted(values)
            return (NodeIDColumn(uuids: distinct, kind: .uuids), indexOfRow)
        case .text:
            for row in 0..<count {
                let node = id(row)
                guard case .text = node else { throw mismatch(node) }
            }
            let (distinct, codes) = SortedStrings.encode(count) { row in
                guard case .text(let value) = id(row) else { return nil }
                return value
            }
            let column = try SortedStrings(sorted: distinct, what: "text ids")
            return (NodeIDColumn(texts: column, kind: .texts), codes.map { Int32($0) - 1 })
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
