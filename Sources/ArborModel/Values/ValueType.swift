/// How an attribute's or dimension's values travel and order: every value is a string on the wire, and `""` is
/// both NULL and the empty string.
public enum ValueType: Hashable, Sendable {
    /// Text, varchar and enums: compared and ordered by bytes.
    case text
    /// Integer columns: canonical decimal strings, ordered numerically.
    case integer(IntegerWidth)
    /// Boolean columns: `true` or `false`; `false` orders first.
    case boolean

    /// As `Describe` reports it: `text`, `integer` or `boolean`.
    public var name: String {
        switch self {
        case .text: "text"
        case .integer: "integer"
        case .boolean: "boolean"
        }
    }

    /// Checks a `Match` value of this type: integers must be canonical and in range, booleans `true` or `false`;
    /// text may be anything without NUL. `""` is a valid value of every type (it matches empty strings; NULL
    /// never matches).
    ///
    /// - Throws: ``QueryError`` INVALID_ARGUMENT naming `field` and the value.
    public func validate(_ value: String, field: String) throws(QueryError) {
        guard !value.isEmpty else { return }
        switch self {
        case .text:
            guard !value.utf8.contains(0) else {
                throw QueryError(
                    code: .invalidArgument, field: field, message: "\(field): a value contains a NUL character")
            }
        case .integer(let width):
            guard width.parseCanonical(value) != nil else {
                throw QueryError(
                    code: .invalidArgument, field: field,
                    message: "\(field): \"\(NodeID.quoted(value))\" is not an integer (decimal, no leading zeros, "
                        + "within \(width.rawValue))")
            }
        case .boolean:
            guard value == "true" || value == "false" else {
                throw QueryError(
                    code: .invalidArgument, field: field,
                    message: "\(field): \"\(NodeID.quoted(value))\" is not a boolean (true or false)")
            }
        }
    }

    /// Whether key `a` orders before key `b` among values of this type: `""` (NULL) first, integers numerically,
    /// `false` before `true`, everything else by bytes.
    public func orders(_ a: String, before b: String) -> Bool {
        if a.isEmpty || b.isEmpty { return a.isEmpty && !b.isEmpty }
        switch self {
        case .integer:
            if let x = Int64(a), let y = Int64(b) { return x < y }
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        case .boolean:
            return a == "false" && b == "true"
        case .text:
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
    }
}
