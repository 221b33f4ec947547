/// The type of a model's node ids, from the id column's type.
public enum NodeIDType: Hashable, Sendable {
    case uuid
    case integer(IntegerWidth)
    case text

    /// As `Describe` reports it: `uuid`, `integer` or `text`.
    public var name: String {
        switch self {
        case .uuid: "uuid"
        case .integer: "integer"
        case .text: "text"
        }
    }
}

/// A node's id in the model's id type.
///
/// Ids travel in their canonical text form (``canonical``): a UUID as lowercase `8-4-4-4-12` hex (any case
/// accepted), an integer in decimal, text as is. They order as PostgreSQL orders the column's type: uuid by bytes,
/// integers numerically, text by bytes (`COLLATE "C"`). Ids of different types never meet in one model.
public enum NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    case uuid(UserID)
    case integer(Int64)
    case text(String)

    /// Parses `text` as an id of `type`.
    ///
    /// - Throws: ``QueryError`` INVALID_ARGUMENT naming `field` and the value for anything that is not the canonical
    ///   form of that type (an empty string included, for every type).
    public static func parse(_ text: String, as type: NodeIDType, field: String) throws(QueryError) -> NodeID {
        guard !text.isEmpty else {
            throw QueryError(code: .invalidArgument, field: field, message: "\(field): an id is required")
        }
        switch type {
        case .uuid:
            guard let id = UserID(uuidString: text) else {
                throw invalid(field, text, "is not a UUID (8-4-4-4-12 hexadecimal digits)")
            }
            return .uuid(id)
        case .integer(let width):
            guard let value = width.parseCanonical(text) else {
                throw invalid(field, text, "is not an integer id (decimal, no leading zeros, within \(width.rawValue))")
            }
            return .integer(value)
        case .text:
            guard !text.utf8.contains(0) else { throw invalid(field, text, "contains a NUL character") }
            return .text(text)
        }
    }

    /// The canonical text form.
    public var canonical: String {
        switch self {
        case .uuid(let id): id.description
        case .integer(let value): String(value)
        case .text(let value): value
        }
    }

    public var description: String { canonical }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool {
        switch (lhs, rhs) {
        case (.uuid(let a), .uuid(let b)): a < b
        case (.integer(let a), .integer(let b)): a < b
        case (.text(let a), .text(let b)): a.utf8.lexicographicallyPrecedes(b.utf8)
        // One model has one id type; across types, an arbitrary but fixed order keeps `<` total.
        default: lhs.typeRank < rhs.typeRank
        }
    }

    private var typeRank: Int {
        switch self {
        case .uuid: 0
        case .integer: 1
        case .text: 2
        }
    }

    private static func invalid(_ field: String, _ text: String, _ problem: String) -> QueryError {
        QueryError(code: .invalidArgument, field: field, message: "\(field): \"\(quoted(text))\" \(problem)")
    }

    /// A value as quoted back in a message: at most 64 characters, so a huge value is not echoed whole.
    static func quoted(_ text: String) -> String {
        text.count <= 64 ? text : "\(text.prefix(48))… (\(text.utf8.count) bytes)"
    }
}
