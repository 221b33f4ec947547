public import ArborModel

/// Traversals of any model's hierarchy with live SQL: the generic form of the demo's Descendants, on the model's
/// own tables and id type.
public struct LiveTraversal: Sendable {
    /// One node reached from the root.
    public typealias Entry = TraversalEntry

    public let sql: ModelSQL

    public init(model: ResolvedModel) {
        self.sql = ModelSQL(model)
    }

    /// Everyone under (or, `reversed`, above) `root` within `maxDepth` levels (0: unbounded), by depth then id.
    public func run(
        from root: NodeID, maxDepth: UInt32, reversed: Bool = false, on connection: PostgresConnection
    ) throws -> [Entry] {
        let rows = try connection.query(
            sql.traversal(reversed: reversed), [sql.bind(root), .int32(Int32(clamping: maxDepth))])
        let idType = sql.model.idType
        return try rows.map { row in
            let id = try row.decode(String.self, at: 0)
            let parent = try row.decode(String.self, at: 2)
            return Entry(
                id: try Self.nodeID(id, idType), depth: UInt32(try row.decode(Int32.self, at: 1)),
                parent: try Self.nodeID(parent, idType))
        }
    }

    /// An id as PostgreSQL prints it (`::text`), which is its canonical form.
    static func nodeID(_ text: String, _ type: NodeIDType) throws -> NodeID {
        do {
            return try NodeID.parse(text, as: type, field: "id")
        } catch {
            throw StoreError(.protocolViolation, "PostgreSQL returned an id that does not parse: \(error.message)")
        }
    }
}
