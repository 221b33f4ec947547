/// A ``ValueMatch`` resolved against the model: the attribute (or, in an event scope, the dimension) it names as an
/// index, and its values as a set.
///
/// Values are canonical text (integers in decimal, booleans `true`/`false`), as the data is read, so equality of
/// text is equality of value.
public struct ColumnMatch: Hashable, Sendable {
    /// An index into ``ResolvedModel/attributes``, or into the source's ``ResolvedModel/Source/dimensions``.
    public var index: Int
    public var values: Set<String>
    public var negate: Bool

    public init(index: Int, values: Set<String>, negate: Bool = false) {
        self.index = index
        self.values = values
        self.negate = negate
    }

    /// Whether a stored value (`nil` for NULL) passes: NULL never does, with or without `negate`.
    public func holds(_ value: String?) -> Bool {
        guard let value else { return false }
        return values.contains(value) != negate
    }
}

/// Values of closed attributes that a query names and that only the data can check (`values_from`): both paths
/// check them against the sets they hold before answering, with ``ResolvedModel/checkClosedValues(_:field:allowed:)``.
public struct ClosedValueCheck: Hashable, Sendable {
    /// The request field the matches came from (`filter`, `downline_filter`).
    public var field: String
    public var matches: [ValueMatch]

    public init(field: String, matches: [ValueMatch]) {
        self.field = field
        self.matches = matches
    }
}

extension ResolvedModel {
    /// Checks a node filter (``checkFilter(_:field:)``) and resolves it.
    public func resolveFilter(_ matches: [ValueMatch], field: String) throws(QueryError) -> [ColumnMatch] {
        try checkFilter(matches, field: field)
        return matches.map {
            ColumnMatch(index: attributeIndex(named: $0.name)!, values: Set($0.values), negate: $0.negate)
        }
    }

    /// Checks an event scope's matches against `source` (``checkEventMatches(_:source:field:)``) and resolves them.
    public func resolveEventMatches(
        _ matches: [ValueMatch], source: Source, field: String
    ) throws(QueryError) -> [ColumnMatch] {
        try checkEventMatches(matches, source: source, field: field)
        return matches.map { match in
            ColumnMatch(
                index: source.dimensions.firstIndex { $0.name == match.name }!, values: Set(match.values),
                negate: match.negate)
        }
    }

    /// Parses a request's id field: INVALID_ARGUMENT unless it is the canonical form of the model's id type.
    public func nodeID(_ text: String, field: String) throws(QueryError) -> NodeID {
        try NodeID.parse(text, as: idType, field: field)
    }
}
