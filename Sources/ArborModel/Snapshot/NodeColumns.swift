/// Every node of one snapshot, column by column, as a full load reads it: no value per row beyond a code and an id.
public struct NodeColumns: Sendable {
    /// The nodes' ids, one per row (rows whose id is NULL are not here).
    public var ids: NodeIDList
    /// The label of each row, when the model has one.
    public var label: EncodedValues?
    /// One per attribute of the model, in model order, one value per row.
    public var attributes: [EncodedValues]

    public init(ids: NodeIDList, label: EncodedValues?, attributes: [EncodedValues]) {
        self.ids = ids
        self.label = label
        self.attributes = attributes
    }
}

/// The hierarchy's (parent, child) pairs as stored, column by column; pairs naming ids that are no node are here
/// too (the index drops them).
public struct EdgeColumns: Sendable {
    public var parents: NodeIDList
    public var children: NodeIDList

    public init(parents: NodeIDList, children: NodeIDList) {
        self.parents = parents
        self.children = children
    }
}

/// Node ids of one type, stored flat: 8 bytes an integer, 16 a UUID (text ids as strings).
public struct NodeIDList: Sendable {
    public let type: NodeIDType
    public private(set) var integers: [Int64] = []
    public private(set) var uuids: [UserID] = []
    public private(set) var texts: [String] = []

    public init(type: NodeIDType) {
        self.type = type
    }

    public var count: Int {
        switch type {
        case .integer: integers.count
        case .uuid: uuids.count
        case .text: texts.count
        }
    }

    public mutating func reserveCapacity(_ capacity: Int) {
        switch type {
        case .integer: integers.reserveCapacity(capacity)
        case .uuid: uuids.reserveCapacity(capacity)
        case .text: texts.reserveCapacity(capacity)
        }
    }

    /// Appends `id`; returns `false` (and appends nothing) for an id of another type.
    @discardableResult
    public mutating func append(_ id: NodeID) -> Bool {
        switch (type, id) {
        case (.integer, .integer(let value)): integers.append(value)
        case (.uuid, .uuid(let value)): uuids.append(value)
        case (.text, .text(let value)): texts.append(value)
        default: return false
        }
        return true
    }

    public subscript(index: Int) -> NodeID {
        switch type {
        case .integer: .integer(integers[index])
        case .uuid: .uuid(uuids[index])
        case .text: .text(texts[index])
        }
    }
}
