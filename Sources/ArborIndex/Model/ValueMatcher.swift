import ArborModel

/// A ``ColumnMatch`` compiled against a column's dictionary: whether a code passes is one table lookup (or, for a
/// dictionary of millions of values, one set lookup). Values are found by their bytes, as the database compares
/// them; NULL (code 0) never passes.
struct ValueMatcher: Sendable {
    private enum Table: Sendable {
        case dense([Bool])
        case sparse(Set<UInt32>, negate: Bool)
    }

    private let table: Table

    static let denseLimit = 1 << 16

    init(_ match: ColumnMatch, dictionary: ValueDictionary) {
        let codes = Set(match.values.compactMap { dictionary.code(of: $0) })
        if dictionary.count < Self.denseLimit {
            var passes = [Bool](repeating: match.negate, count: dictionary.count + 1)
            passes[0] = false
            for code in codes { passes[Int(code)] = !match.negate }
            table = .dense(passes)
        } else {
            table = .sparse(codes, negate: match.negate)
        }
    }

    @inline(__always)
    func holds(_ code: UInt32) -> Bool {
        switch table {
        case .dense(let passes): return passes[Int(code)]
        case .sparse(let codes, let negate): return code != 0 && codes.contains(code) != negate
        }
    }
}

/// A node filter compiled against the attribute columns: every match must hold.
struct NodeFilter: Sendable {
    private let columns: [PackedCodes]
    private let matchers: [ValueMatcher]

    init(_ matches: [ColumnMatch], attributes: [EncodedColumn]) {
        columns = matches.map { attributes[$0.index].codes }
        matchers = matches.map { ValueMatcher($0, dictionary: attributes[$0.index].dictionary) }
    }

    /// Whether the filter lets every node through.
    var isEmpty: Bool { matchers.isEmpty }

    @inline(__always)
    func passes(_ node: Int) -> Bool {
        for index in matchers.indices where !matchers[index].holds(columns[index][node]) { return false }
        return true
    }
}
