/// Dictionary encoding of one text column: code 0 is NULL, codes 1... are the distinct values in byte order, so
/// comparing codes compares the values as PostgreSQL's `COLLATE "C"` does (NULL, shown as `""`, first).
struct StringTable: Sendable {
    /// Code → value; `values[0]` is `""`, the key NULL takes in responses.
    let values: [String]
    private let codes: [ByteString: UInt32]

    /// The code of NULL.
    static let null: UInt32 = 0

    /// Encodes the distinct non-NULL values of `values` (plus `extra`, e.g. role names nobody holds).
    init(distinct: some Sequence<String?>, extra: some Sequence<String> = [String]()) {
        var seen = Set<ByteString>()
        for value in distinct { if let value { seen.insert(ByteString(value)) } }
        for value in extra { seen.insert(ByteString(value)) }
        let sorted = seen.map(\.string).sorted(by: ByteString.precedes)
        var codes: [ByteString: UInt32] = [:]
        codes.reserveCapacity(sorted.count)
        for (offset, value) in sorted.enumerated() { codes[ByteString(value)] = UInt32(offset + 1) }
        self.values = [""] + sorted
        self.codes = codes
    }

    /// Number of codes, NULL included.
    var count: Int { values.count }

    /// The code of `value`, `StringTable.null` for `nil`; `nil` when the value does not occur.
    func code(of value: String?) -> UInt32? {
        guard let value else { return Self.null }
        return codes[ByteString(value)]
    }

    /// The value of a code, `nil` for NULL.
    func value(_ code: UInt32) -> String? { code == Self.null ? nil : values[Int(code)] }

    /// The response key of a code: the value, or `""` for NULL.
    func key(_ code: UInt32) -> String { values[Int(code)] }

    /// The code a group key uses: a stored empty string and NULL both print as `""`, so they are one group
    /// (as `coalesce(value, '')` groups them). A stored `""` is always code 1, the smallest non-NULL value.
    func groupCode(_ code: UInt32) -> UInt32 {
        code == 1 && values[1].isEmpty ? Self.null : code
    }

    /// A membership mask over codes for a filter list: only the listed values that occur are set; NULL never is.
    func mask(allowing allowed: [String]) -> [Bool] {
        var mask = [Bool](repeating: false, count: values.count)
        for value in allowed {
            if let code = codes[ByteString(value)] { mask[Int(code)] = true }
        }
        return mask
    }
}
