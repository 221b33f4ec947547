/// A condition on an attribute (in a node filter) or a dimension (in an event scope): the value is one of `values`,
/// or with `negate` none of them. NULL never matches either form.
public struct ValueMatch: Hashable, Sendable {
    public var name: String
    public var values: [String]
    public var negate: Bool

    public init(name: String, values: [String], negate: Bool = false) {
        self.name = name
        self.values = values
        self.negate = negate
    }
}

/// The request-shape rules of the contract, in one place: every query is checked here when it is built, so the
/// cached and the live path can never disagree about what is a valid request. Each failure is INVALID_ARGUMENT with
/// a message naming the field and the value.
extension ResolvedModel {
    /// Checks a node filter: known attribute names (`label` is not one), at least one value each, values valid
    /// for the attribute's type. Values of closed attributes are checked against their sets by
    /// ``checkClosedValues(_:field:allowed:)``, which needs the data.
    public func checkFilter(_ matches: [ValueMatch], field: String) throws(QueryError) {
        for (index, match) in matches.enumerated() {
            let path = "\(field)[\(index)]"
            guard let attribute = attribute(named: match.name) else {
                throw Self.invalid(
                    "\(path).name",
                    "\"\(NodeID.quoted(match.name))\" is not an attribute of this model (\(attributeNames))")
            }
            try Self.checkValues(match, type: attribute.type, path: path)
        }
    }

    /// Checks the values of closed attributes against their sets: a value not in the set (`""` included) is
    /// INVALID_ARGUMENT naming the attribute and the value, negated or not.
    public func checkClosedValues(
        _ matches: [ValueMatch], field: String, allowed: (String) -> Set<String>?
    ) throws(QueryError) {
        for (index, match) in matches.enumerated() {
            guard let attribute = attribute(named: match.name), attribute.closed,
                let set = allowed(attribute.name)
            else { continue }
            for value in match.values where !set.contains(value) {
                throw Self.invalid(
                    "\(field)[\(index)].values", "\"\(NodeID.quoted(value))\" is not a known \(attribute.name)")
            }
        }
    }

    /// The source a request names; empty means the model's first.
    public func source(named name: String, field: String) throws(QueryError) -> Source {
        if name.isEmpty {
            guard let first = sources.first else {
                throw Self.invalid(field, "this model has no event sources")
            }
            return first
        }
        guard let source = sources.first(where: { $0.name == name }) else {
            throw Self.invalid(
                field,
                "\"\(NodeID.quoted(name))\" is not an event source of this model (\(sources.map(\.name).joined(separator: ", ")))"
            )
        }
        return source
    }

    /// Checks an event scope's matches: known dimensions of `source`, at least one value each, valid values.
    public func checkEventMatches(_ matches: [ValueMatch], source: Source, field: String) throws(QueryError) {
        for (index, match) in matches.enumerated() {
            let path = "\(field)[\(index)]"
            guard let dimension = source.dimension(named: match.name) else {
                let known = source.dimensions.map(\.name)
                throw Self.invalid(
                    "\(path).name",
                    "\"\(NodeID.quoted(match.name))\" is not a dimension of \(source.name)"
                        + (known.isEmpty ? " (it has none)" : " (\(known.joined(separator: ", ")))"))
            }
            try Self.checkValues(match, type: dimension.type, path: path)
        }
    }

    /// The measures a request asks for, as indexes into `source.measures`; empty means `count` alone.
    public func measureIndexes(_ names: [String], source: Source, field: String) throws(QueryError) -> [Int] {
        guard !names.isEmpty else { return [0] }
        try Self.refuseRepeats(names, field: field)
        return try names.map { name throws(QueryError) in
            guard let index = source.measureIndex(named: name) else {
                throw Self.invalid(
                    field,
                    "\"\(NodeID.quoted(name))\" is not a measure of \(source.name) (\(source.measures.map(\.name).joined(separator: ", ")))"
                )
            }
            return index
        }
    }

    /// A grouping key of FilteredStats.
    public enum GroupKey: Hashable, Sendable {
        case day, week, month, node
        case attribute(Attribute)
        case dimension(Dimension)
    }

    /// The grouping keys a request names: `day`, `week`, `month`, `node`, attributes, dimensions of `source`.
    public func groupKeys(_ names: [String], source: Source, field: String) throws(QueryError) -> [GroupKey] {
        try Self.refuseRepeats(names, field: field)
        return try names.map { name throws(QueryError) in
            switch name {
            case "day": return .day
            case "week": return .week
            case "month": return .month
            case "node": return .node
            default:
                if let attribute = attribute(named: name) { return .attribute(attribute) }
                if let dimension = source.dimension(named: name) { return .dimension(dimension) }
                throw Self.invalid(
                    field,
                    "\"\(NodeID.quoted(name))\" is not a grouping of \(source.name) (day, week, month, node, "
                        + (attributes.map(\.name) + source.dimensions.map(\.name)).joined(separator: ", ") + ")")
            }
        }
    }

    /// What a traversal returns per node: attributes, or `label` on a model that has one.
    public enum NodeColumn: Hashable, Sendable {
        case label
        case attribute(Attribute)
    }

    /// The columns a traversal or FindNodes asks for, in the order asked.
    public func nodeColumns(_ names: [String], field: String) throws(QueryError) -> [NodeColumn] {
        try Self.refuseRepeats(names, field: field)
        return try names.map { name throws(QueryError) in
            if name == "label" {
                guard hasLabel else { throw Self.invalid(field, "this model has no label") }
                return .label
            }
            guard let attribute = attribute(named: name) else {
                throw Self.invalid(
                    field, "\"\(NodeID.quoted(name))\" is not an attribute of this model (\(attributeNames))")
            }
            return .attribute(attribute)
        }
    }

    /// The attributes' names for a message about a name that is none of them.
    var attributeNames: String {
        attributes.isEmpty ? "it has none" : attributes.map(\.name).joined(separator: ", ")
    }

    private static func checkValues(_ match: ValueMatch, type: ValueType, path: String) throws(QueryError) {
        guard !match.values.isEmpty else { throw invalid("\(path).values", "give at least one value") }
        for value in match.values { try type.validate(value, field: "\(path).values") }
    }

    private static func refuseRepeats(_ names: [String], field: String) throws(QueryError) {
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw invalid(field, "\"\(NodeID.quoted(name))\" is named twice")
        }
    }

    static func invalid(_ field: String, _ problem: String) -> QueryError {
        QueryError(code: .invalidArgument, field: field, message: "\(field): \(problem)")
    }
}
