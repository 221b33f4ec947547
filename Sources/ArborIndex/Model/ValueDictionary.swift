import ArborModel

/// The distinct non-NULL values of a column (an attribute, a dimension, the label), in byte order: code `c > 0` is
/// the `c`-th value, code 0 is NULL.
///
/// Grouping and key order need one more notion, the *key*: NULL and `""` share the key `""`, and keys order as the
/// contract orders them (``ValueType/orders(_:before:)``: `""` first, integers numerically, `false` before `true`,
/// text by bytes). Keys are numbered in that order from 0 (`""`), so sorting key numbers sorts keys.
struct ValueDictionary: Sendable {
    let values: SortedStrings
    /// Values an incremental refresh added after the build (the label only; see ``AppendedValues``): codes
    /// `count + 1 ...`. Empty for every other column.
    private(set) var appended = AppendedValues()
    /// The code of `""`, or 0 when no row holds it. Byte order puts it first, so it is 0 or 1.
    let emptyCode: UInt32
    /// Key number of each code, and the code of each key number above 0, when the type does not order by bytes;
    /// `nil` for text, whose key numbers follow from the codes.
    private let keyOfCode: [UInt32]?
    private let codeOfKey: [UInt32]?

    /// - Parameter distinct: distinct values, ascending by bytes.
    init(distinct: [String], type: ValueType, what: String) throws(ModelIndexError) {
        values = try SortedStrings(sorted: distinct, what: what)
        emptyCode = distinct.first == "" ? 1 : 0
        switch type {
        case .text:
            keyOfCode = nil
            codeOfKey = nil
        case .integer, .boolean:
            let firstNonEmpty = Int(emptyCode) + 1
            var codes = (firstNonEmpty..<(distinct.count + 1)).map { UInt32($0) }
            codes.sort { a, b in
                let (x, y) = (distinct[Int(a) - 1], distinct[Int(b) - 1])
                if type.orders(x, before: y) { return true }
                if type.orders(y, before: x) { return false }
                return ByteString.precedes(x, y)
            }
            var keyOfCode = [UInt32](repeating: 0, count: distinct.count + 1)
            for (position, code) in codes.enumerated() { keyOfCode[Int(code)] = UInt32(position + 1) }
            self.keyOfCode = keyOfCode
            self.codeOfKey = [0] + codes
        }
    }

    /// Distinct non-NULL values of the build, in byte order (without ``appended``).
    var count: Int { values.count }

    /// Codes run over `0 ... codeCount`: the sorted values and the appended ones.
    var codeCount: Int { values.count + appended.count }

    /// Key numbers run over `0 ..< keyCount`.
    var keyCount: Int { count + 1 - Int(emptyCode) }

    var byteCount: Int {
        values.byteCount + (keyOfCode?.capacity ?? 0) * 4 + (codeOfKey?.capacity ?? 0) * 4 + appended.byteCount
    }

    /// The value of `code`; `nil` for NULL.
    @inline(__always)
    func value(ofCode code: UInt32) -> String? {
        if code == 0 { return nil }
        if Int(code) > values.count { return appended.values[Int(code) - values.count - 1] }
        return values[Int(code) - 1]
    }

    /// Whether `code` is one of the ``appended`` values.
    @inline(__always)
    func isAppended(_ code: UInt32) -> Bool { Int(code) > values.count }

    /// The value of `code` as the wire shows it: NULL as `""`.
    func text(ofCode code: UInt32) -> String { value(ofCode: code) ?? "" }

    /// The code of a value, by bytes; `nil` when no row holds it.
    func code(of value: String) -> UInt32? {
        if let index = values.index(of: value) { return UInt32(index + 1) }
        return appended.position(of: value).map { UInt32(values.count + 1 + $0) }
    }

    /// The key number of `code`; an appended value has the key of the sorted value below it (its gap).
    @inline(__always)
    func key(ofCode code: UInt32) -> UInt32 {
        if code == 0 || code == emptyCode { return 0 }
        if Int(code) > values.count { return appended.gaps[Int(code) - values.count - 1] }
        if let keyOfCode { return keyOfCode[Int(code)] }
        return code - emptyCode
    }

    /// The gap of the sorted values `value` falls in: the key of the largest sorted value below it.
    func gap(of value: String) -> UInt32 {
        let below = values.lowerBound(value)
        return below == 0 ? 0 : key(ofCode: UInt32(below))
    }

    /// The dictionary with `added` (values it does not hold, none of them `""`) appended; text columns only.
    func appending(_ added: [String]) -> ValueDictionary {
        var grown = self
        for value in added where grown.code(of: value) == nil {
            grown.appended.append(value, gap: gap(of: value))
        }
        return grown
    }

    /// -1, 0 or 1 as the key of `a` orders before, with or after the key of `b` (text columns; NULL and `""` are
    /// one key): sorted values by key number, an appended value after the sorted value of its gap and among the
    /// appended values of the gap by bytes.
    func compareKeys(ofCodes a: UInt32, _ b: UInt32) -> Int {
        let (keyA, keyB) = (key(ofCode: a), key(ofCode: b))
        if keyA != keyB { return keyA < keyB ? -1 : 1 }
        switch (isAppended(a), isAppended(b)) {
        case (false, false): return 0
        case (false, true): return -1
        case (true, false): return 1
        case (true, true):
            if a == b { return 0 }
            return ByteString.precedes(value(ofCode: a)!, value(ofCode: b)!) ? -1 : 1
        }
    }

    func text(ofKey key: UInt32) -> String {
        if key == 0 { return "" }
        if let codeOfKey { return values[Int(codeOfKey[Int(key)]) - 1] }
        return values[Int(key + emptyCode) - 1]
    }
}

/// A column of the nodes (an attribute or the label), dictionary-encoded and aligned with node indexes.
struct EncodedColumn: Sendable {
    let codes: PackedCodes
    let dictionary: ValueDictionary

    /// - Parameters:
    ///   - count: number of nodes.
    ///   - value: the value of node `index`, `nil` for NULL.
    init(count: Int, type: ValueType, what: String, value: (Int) -> String?) throws(ModelIndexError) {
        let (distinct, codes) = SortedStrings.encode(count, value: value)
        self.codes = PackedCodes(codes)
        self.dictionary = try ValueDictionary(distinct: distinct, type: type, what: what)
    }

    init(codes: PackedCodes, dictionary: ValueDictionary) {
        self.codes = codes
        self.dictionary = dictionary
    }

    @inline(__always)
    func code(of node: Int) -> UInt32 { codes[node] }

    /// The value of `node`, `nil` for NULL.
    func value(of node: Int) -> String? { dictionary.value(ofCode: codes[node]) }

    /// The value of `node` as the wire shows it: NULL as `""`.
    func text(of node: Int) -> String { dictionary.text(ofCode: codes[node]) }

    @inline(__always)
    func key(of node: Int) -> UInt32 { dictionary.key(ofCode: codes[node]) }

    var byteCount: Int { codes.byteCount + dictionary.byteCount }
}
