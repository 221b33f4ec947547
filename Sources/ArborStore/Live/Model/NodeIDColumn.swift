import ArborModel

/// How a column naming nodes travels from PostgreSQL in binary, so a large answer parses no text: a uuid as its 16
/// bytes, an integer of any width as `int8`, text as text.
enum NodeIDColumn {
    /// `expression` in the form ``decode(_:_:)`` reads.
    static func select(_ expression: String, _ type: NodeIDType) -> String {
        switch type {
        case .uuid: expression
        case .integer: "\(expression)::int8"
        case .text: "\(expression)::text"
        }
    }

    /// The node a ``select(_:_:)`` value names; `nil` for NULL or an integer outside the id type's width (which
    /// no node has).
    static func decode(_ cell: PostgresCell, _ type: NodeIDType) throws -> NodeID? {
        guard let bytes = cell.bytes else { return nil }
        switch type {
        case .uuid:
            guard let id = UserID(bytes: bytes) else {
                throw StoreError(.decodingFailed, "column \(cell.columnIndex) is not a uuid")
            }
            return .uuid(id)
        case .integer(let width):
            let value = try cell.decode(Int64.self)
            return width.range.contains(value) ? .integer(value) : nil
        case .text:
            return .text(try cell.decode(String.self))
        }
    }

    /// ``decode(_:_:)`` for a column that always names a node.
    static func node(_ cell: PostgresCell, _ type: NodeIDType) throws -> NodeID {
        guard let id = try decode(cell, type) else {
            throw StoreError(.protocolViolation, "PostgreSQL returned no node where one was expected")
        }
        return id
    }
}
