import ArborModel

/// The nodes in FindNodes order — label bytes (NULL as `""`, first), then id — and the label values in ASCII
/// case-folded order, so that a prefix matches one contiguous run of values.
struct LabelOrder: Sendable {
    /// Node indexes by (label key, index).
    let nodes: [Int32]
    /// Nodes with label key `k`: `nodes[keyOffsets[k] ..< keyOffsets[k + 1]]`.
    let keyOffsets: [UInt32]
    /// Label codes (1-based) sorted by their ASCII-lowercased bytes, then by code.
    let foldedCodes: [UInt32]
    /// Nodes an incremental refresh appended (above every node of `nodes`) in label order, then by index, with
    /// their label keys and codes: each key's nodes are its run of `nodes` followed by its run here, where the
    /// nodes holding the key's sorted value come first and those holding appended values of the key's gap
    /// (``AppendedValues``) follow by value.
    let appended: [Int32]
    let appendedKeys: [UInt32]
    let appendedCodes: [UInt32]

    /// - Parameter label: a column without appended values (``EncodedColumn/withAppendedValuesSorted()``).
    init(label: EncodedColumn) {
        precondition(label.dictionary.appended.count == 0, "a label order is built over sorted values only")
        let dictionary = label.dictionary
        let nodeCount = label.codes.count
        let keyCount = dictionary.keyCount
        var keyOffsets = [UInt32](repeating: 0, count: keyCount + 1)
        for node in 0..<nodeCount { keyOffsets[Int(label.key(of: node)) + 1] += 1 }
        for key in 0..<keyCount { keyOffsets[key + 1] += keyOffsets[key] }
        var cursor = keyOffsets
        var nodes = [Int32](repeating: 0, count: nodeCount)
        for node in 0..<nodeCount {
            let key = Int(label.key(of: node))
            nodes[Int(cursor[key])] = Int32(node)
            cursor[key] += 1
        }
        self.nodes = nodes
        self.keyOffsets = keyOffsets
        var folded = (0..<dictionary.count).map { UInt32($0 + 1) }
        folded.sort { a, b in
            let order = dictionary.values.withBytes(at: Int(a) - 1) { x in
                dictionary.values.withBytes(at: Int(b) - 1) { y in Self.compareFolded(x, y) }
            }
            return order != 0 ? order < 0 : a < b
        }
        self.foldedCodes = folded
        self.appended = []
        self.appendedKeys = []
        self.appendedCodes = []
    }

    private init(
        nodes: [Int32], keyOffsets: [UInt32], foldedCodes: [UInt32], appended: [Int32], appendedKeys: [UInt32],
        appendedCodes: [UInt32]
    ) {
        self.nodes = nodes
        self.keyOffsets = keyOffsets
        self.foldedCodes = foldedCodes
        self.appended = appended
        self.appendedKeys = appendedKeys
        self.appendedCodes = appendedCodes
    }

    /// The order with `added` nodes (each above every node already in it) put in place, for a label whose sorted
    /// values did not change (their keys stay; values may have been appended to its dictionary).
    func appending(_ added: [Int32], label: EncodedColumn) -> LabelOrder {
        guard !added.isEmpty else { return self }
        let dictionary = label.dictionary
        var all = zip(appended, appendedCodes).map { (node: $0, code: $1) }
        all += added.map { (node: $0, code: label.code(of: Int($0))) }
        all.sort { a, b in
            let order = dictionary.compareKeys(ofCodes: a.code, b.code)
            return order != 0 ? order < 0 : a.node < b.node
        }
        return LabelOrder(
            nodes: nodes, keyOffsets: keyOffsets, foldedCodes: foldedCodes, appended: all.map(\.node),
            appendedKeys: all.map { dictionary.key(ofCode: $0.code) }, appendedCodes: all.map(\.code))
    }

    /// Number of label keys.
    var keyCount: Int { keyOffsets.count - 1 }

    /// Calls `body` with the nodes of label key `key` from index `firstIndex` on, ascending, until it returns
    /// `false`; returns whether it never did.
    func forEachNode(
        ofKey key: Int, from firstIndex: Int, _ body: (Int32) throws(QueryError) -> Bool
    ) throws(QueryError) -> Bool {
        var low = Int(keyOffsets[key])
        var high = Int(keyOffsets[key + 1])
        let end = high
        while low < high {
            let middle = (low + high) >> 1
            if Int(nodes[middle]) < firstIndex { low = middle + 1 } else { high = middle }
        }
        for position in low..<end {
            if position & 65535 == 65535 { try QueryError.checkCancellation() }
            guard try body(nodes[position]) else { return false }
        }
        guard !appended.isEmpty else { return true }
        // The appended nodes of the key: a run of `appended`, those holding the key's sorted value first (from
        // `firstIndex` on, like the run above), then those holding appended values of its gap.
        low = firstAppended(ofKey: key)
        while low < appended.count, Int(appendedKeys[low]) == key {
            let node = appended[low]
            if isAppendedValue(low) || Int(node) >= firstIndex {
                guard try body(node) else { return false }
            }
            low += 1
        }
        return true
    }

    /// Calls `body` with the nodes whose label has code `code` (not NULL or `""`), ascending, until it returns
    /// `false`; returns whether it never did.
    func forEachNode(
        ofCode code: UInt32, dictionary: ValueDictionary, _ body: (Int32) throws(QueryError) -> Bool
    ) throws(QueryError) -> Bool {
        let key = Int(dictionary.key(ofCode: code))
        if !dictionary.isAppended(code) {
            for position in Int(keyOffsets[key])..<Int(keyOffsets[key + 1]) {
                if position & 65535 == 65535 { try QueryError.checkCancellation() }
                guard try body(nodes[position]) else { return false }
            }
        }
        var position = firstAppended(ofKey: key)
        while position < appended.count, Int(appendedKeys[position]) == key {
            if appendedCodes[position] == code { guard try body(appended[position]) else { return false } }
            position += 1
        }
        return true
    }

    /// The first position of `appended` whose key is not below `key`.
    private func firstAppended(ofKey key: Int) -> Int {
        var low = 0
        var high = appendedKeys.count
        while low < high {
            let middle = (low + high) >> 1
            if Int(appendedKeys[middle]) < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Whether the appended node at `position` holds an appended value (rather than its key's sorted value).
    private func isAppendedValue(_ position: Int) -> Bool {
        // `foldedCodes` holds every sorted value's code; appended values' codes come after them.
        Int(appendedCodes[position]) > foldedCodes.count
    }

    var byteCount: Int {
        nodes.capacity * 4 + keyOffsets.capacity * 4 + foldedCodes.capacity * 4 + appended.capacity * 12
    }

    /// The label codes whose value starts with `prefix`, ASCII letters case-insensitively and every other byte
    /// exactly, in label order.
    func codes(withPrefix prefix: String, dictionary: ValueDictionary) -> [UInt32] {
        var prefix = prefix
        return prefix.withUTF8 { prefix in
            // The first value whose folded bytes are not below the folded prefix.
            var low = 0
            var high = foldedCodes.count
            while low < high {
                let middle = (low + high) >> 1
                let below = dictionary.values.withBytes(at: Int(foldedCodes[middle]) - 1) {
                    Self.compareFolded($0, prefix) < 0
                }
                if below { low = middle + 1 } else { high = middle }
            }
            var codes: [UInt32] = []
            while low < foldedCodes.count {
                let code = foldedCodes[low]
                let matches = dictionary.values.withBytes(at: Int(code) - 1) { Self.hasFoldedPrefix($0, prefix) }
                guard matches else { break }
                codes.append(code)
                low += 1
            }
            codes.sort()
            // Values appended since the build (few): checked one by one and put in label order.
            let appended = dictionary.appended.values.indices.filter { index in
                var value = dictionary.appended.values[index]
                return value.withUTF8 { Self.hasFoldedPrefix($0, prefix) }
            }
            guard !appended.isEmpty else { return codes }
            codes += appended.map { UInt32(dictionary.count + 1 + $0) }
            codes.sort { dictionary.compareKeys(ofCodes: $0, $1) < 0 }
            return codes
        }
    }

    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// -1, 0 or 1 as `a` orders before, with or after `b` once ASCII letters are lowercased.
    static func compareFolded(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        for index in 0..<common {
            let (x, y) = (fold(a[index]), fold(b[index]))
            if x != y { return x < y ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    static func hasFoldedPrefix(_ value: UnsafeBufferPointer<UInt8>, _ prefix: UnsafeBufferPointer<UInt8>) -> Bool {
        guard value.count >= prefix.count else { return false }
        for index in 0..<prefix.count where fold(value[index]) != fold(prefix[index]) { return false }
        return true
    }
}
