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
    /// Nodes an incremental refresh appended (above every node of `nodes`), by (label key, index), and their keys:
    /// each key's nodes are its run of `nodes` followed by its run here.
    let appended: [Int32]
    let appendedKeys: [UInt32]

    init(label: EncodedColumn) {
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
    }

    private init(
        nodes: [Int32], keyOffsets: [UInt32], foldedCodes: [UInt32], appended: [Int32], appendedKeys: [UInt32]
    ) {
        self.nodes = nodes
        self.keyOffsets = keyOffsets
        self.foldedCodes = foldedCodes
        self.appended = appended
        self.appendedKeys = appendedKeys
    }

    /// The order with `added` nodes (each above every node already in it) put in place, for a label whose values
    /// did not change (the keys stay).
    func appending(_ added: [(key: UInt32, node: Int32)]) -> LabelOrder {
        guard !added.isEmpty else { return self }
        var all = zip(appendedKeys, appended).map { (key: $0, node: $1) } + added
        all.sort { ($0.key, $0.node) < ($1.key, $1.node) }
        return LabelOrder(
            nodes: nodes, keyOffsets: keyOffsets, foldedCodes: foldedCodes, appended: all.map(\.node),
            appendedKeys: all.map(\.key))
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
        // The appended nodes of the key: a run of `appended`.
        low = 0
        high = appendedKeys.count
        while low < high {
            let middle = (low + high) >> 1
            if (Int(appendedKeys[middle]), Int(appended[middle])) < (key, firstIndex) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        while low < appended.count, Int(appendedKeys[low]) == key {
            guard try body(appended[low]) else { return false }
            low += 1
        }
        return true
    }

    var byteCount: Int {
        nodes.capacity * 4 + keyOffsets.capacity * 4 + foldedCodes.capacity * 4 + appended.capacity * 8
    }

    /// The label codes whose value starts with `prefix`, ASCII letters case-insensitively and every other byte
    /// exactly, ascending (so in label order).
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
