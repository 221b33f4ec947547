/// Nodes looked up by label prefix, ids and filter (FindNodes of any model); every condition given must hold.
///
/// Order: by label in byte order (a node without a label as `""`, first), then id. A page continues strictly
/// after the (label, id) of the previous page's last node.
public struct FindNodesQuery: Hashable, Sendable {
    /// Labels that start with it, ASCII letters case-insensitively and every other character exactly.
    public var labelPrefix: String?
    /// Nodes looked up by id; unknown ids are left out. `nil` when the request gives none.
    public var ids: [NodeID]?
    public var filter: [ColumnMatch]
    /// Indexes into ``ResolvedModel/attributes``, in the order returned (the request's empty list is all).
    public var attributes: [Int]
    /// Nodes per page, 1...1000 (the wire's 0 is 20).
    public var limit: UInt32
    public var after: (label: String, id: NodeID)? {
        get { afterLabel.map { ($0, afterID!) } }
        set {
            afterLabel = newValue?.label
            afterID = newValue?.id
        }
    }
    private var afterLabel: String?
    private var afterID: NodeID?
    public var closedValueChecks: [ClosedValueCheck]

    public static let maximumLimit: UInt32 = 1000

    /// Builds a query from the wire's `FindNodesRequest` fields, refusing an invalid shape.
    public init(
        model: ResolvedModel, labelPrefix: String = "", ids: [String] = [], filter: [ValueMatch] = [],
        attributes: [String] = [], limit: UInt32 = 0, after: (label: String, id: NodeID)? = nil
    ) throws(QueryError) {
        guard !labelPrefix.isEmpty || !ids.isEmpty || !filter.isEmpty else {
            throw ResolvedModel.invalid("label_prefix", "give a label_prefix, ids or a filter")
        }
        if !labelPrefix.isEmpty {
            guard model.hasLabel else { throw ResolvedModel.invalid("label_prefix", "this model has no label") }
            guard !labelPrefix.utf8.contains(0) else {
                throw ResolvedModel.invalid("label_prefix", "the prefix contains a NUL character")
            }
        }
        self.labelPrefix = labelPrefix.isEmpty ? nil : labelPrefix
        self.ids =
            ids.isEmpty
            ? nil
            : try ids.enumerated().map { (index, id) throws(QueryError) in
                try model.nodeID(id, field: "ids[\(index)]")
            }
        self.filter = try model.resolveFilter(filter, field: "filter")
        if attributes.isEmpty {
            self.attributes = Array(model.attributes.indices)
        } else {
            self.attributes = try model.nodeColumns(attributes, field: "attributes").map { column throws(QueryError) in
                guard case .attribute(let attribute) = column else {
                    throw ResolvedModel.invalid("attributes", "\"label\" is returned in every node's label")
                }
                return model.attributeIndex(named: attribute.name)!
            }
        }
        guard limit <= Self.maximumLimit else {
            throw ResolvedModel.invalid("limit", "\(limit) is over the maximum of \(Self.maximumLimit)")
        }
        self.limit = limit == 0 ? 20 : limit
        self.afterLabel = after?.label
        self.afterID = after?.id
        self.closedValueChecks = [ClosedValueCheck(field: "filter", matches: filter)]
    }

    /// Whether `label` starts with `labelPrefix`: ASCII letters compare case-insensitively, every other byte
    /// exactly. A node without a label never matches.
    public static func label(_ label: String?, hasPrefix prefix: String) -> Bool {
        guard let label else { return false }
        let (l, p) = (Array(label.utf8), Array(prefix.utf8))
        guard l.count >= p.count else { return false }
        for index in p.indices where asciiLower(l[index]) != asciiLower(p[index]) { return false }
        return true
    }

    static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}

extension FindNodesQuery {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.labelPrefix == rhs.labelPrefix && lhs.ids == rhs.ids && lhs.filter == rhs.filter
            && lhs.attributes == rhs.attributes && lhs.limit == rhs.limit && lhs.afterLabel == rhs.afterLabel
            && lhs.afterID == rhs.afterID
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(labelPrefix)
        hasher.combine(ids)
        hasher.combine(filter)
        hasher.combine(attributes)
        hasher.combine(limit)
        hasher.combine(afterLabel)
        hasher.combine(afterID)
    }
}

/// A node FindNodes returns.
public struct FoundNode: Hashable, Sendable {
    public var id: NodeID
    /// `""` without a label or when it is NULL.
    public var label: String
    /// Aligned with ``FindNodesQuery/attributes``; NULL is `""`.
    public var attributes: [String]

    public init(id: NodeID, label: String, attributes: [String]) {
        self.id = id
        self.label = label
        self.attributes = attributes
    }
}

/// A page of FindNodes.
public struct FindNodesResult: Hashable, Sendable {
    public var nodes: [FoundNode]
    /// Whether nodes remain after this page.
    public var hasMore: Bool

    public init(nodes: [FoundNode], hasMore: Bool) {
        self.nodes = nodes
        self.hasMore = hasMore
    }
}
