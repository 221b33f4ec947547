public import ArborModel

/// SQL fragments generated from a model: identifiers from the model file are always quoted here, and every value
/// from a request is a bound parameter (`$n`), never text in the statement.
public struct ModelSQL: Sendable {
    public let model: ResolvedModel

    public init(_ model: ResolvedModel) {
        self.model = model
    }

    /// `"name"`, with embedded quotes doubled: safe for any identifier the catalog check found.
    public static func quoted(_ identifier: String) -> String {
        var quoted = "\""
        for character in identifier {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        return quoted + "\""
    }

    public static func qualified(_ table: DataModel.TableName) -> String {
        "\(quoted(table.schema)).\(quoted(table.name))"
    }

    /// The SQL type node ids are compared in.
    public var idSQLType: String {
        switch model.idType {
        case .uuid: "uuid"
        case .integer(let width): width.rawValue
        case .text: "text"
        }
    }

    var nodesTable: String { Self.qualified(model.model.nodes.table) }
    var idColumn: String { Self.quoted(model.model.nodes.id) }

    /// The order of ids as PostgreSQL orders the column's type (text in byte order).
    public var idOrder: String { model.idType == .text ? "COLLATE \"C\"" : "" }

    /// `edges(parent, child)`: distinct edges whose both ends are nodes; an edge or parent value naming no node
    /// is ignored everywhere. A self-edge is kept (its node is a cycle of one).
    public var edges: String {
        let nodeID = "\(idColumn)::\(idSQLType)"
        switch model.model.hierarchy {
        case .edges(let table, let parent, let child):
            let parentColumn = "e.\(Self.quoted(parent))::\(idSQLType)"
            let childColumn = "e.\(Self.quoted(child))::\(idSQLType)"
            return """
                edges(parent, child) AS MATERIALIZED (
                    SELECT DISTINCT \(parentColumn), \(childColumn)
                    FROM \(Self.qualified(table)) e
                    WHERE EXISTS (SELECT 1 FROM \(nodesTable) n WHERE n.\(nodeID) = \(parentColumn))
                      AND EXISTS (SELECT 1 FROM \(nodesTable) n WHERE n.\(nodeID) = \(childColumn))
                )
                """
        case .parentColumn(let parent):
            let parentColumn = "c.\(Self.quoted(parent))::\(idSQLType)"
            return """
                edges(parent, child) AS MATERIALIZED (
                    SELECT \(parentColumn), c.\(nodeID)
                    FROM \(nodesTable) c
                    WHERE \(parentColumn) IS NOT NULL
                      AND EXISTS (SELECT 1 FROM \(nodesTable) n WHERE n.\(nodeID) = \(parentColumn))
                )
                """
        }
    }

    /// `bfs(depth, frontier, visited)`: a level-synchronous breadth-first search from `root` over `edges`, one row
    /// per level. Each node enters exactly one frontier (its shortest distance); the root is visited from the
    /// start, so it never reappears even on a cycle. Stops when a level adds no one, or after `maxDepth` levels
    /// (0: unbounded). With `reversed` it walks from children to parents (ancestors).
    public func breadthFirst(root: String, maxDepth: String, reversed: Bool = false) -> String {
        let (from, to) = reversed ? ("child", "parent") : ("parent", "child")
        return """
            bfs(depth, frontier, visited) AS (
                SELECT 0, ARRAY[\(root)::\(idSQLType)], ARRAY[\(root)::\(idSQLType)]
                UNION ALL
                SELECT b.depth + 1, next.ids, b.visited || next.ids
                FROM bfs b
                CROSS JOIN LATERAL (
                    SELECT array_agg(fresh.id) AS ids
                    FROM (
                        SELECT e.\(to) AS id
                        FROM unnest(b.frontier) AS f(id)
                        JOIN edges e ON e.\(from) = f.id
                        EXCEPT
                        SELECT v.id FROM unnest(b.visited) AS v(id)
                    ) fresh
                ) next
                WHERE next.ids IS NOT NULL AND (\(maxDepth)::int = 0 OR b.depth < \(maxDepth)::int)
            )
            """
    }

    /// Every node reached from `root` (`$1`) within `maxDepth` (`$2`, 0: unbounded), excluding the root, by depth
    /// then id, each with its tree parent: the smallest id among the nodes one level up with an edge to it.
    /// Columns: id (text), depth, parent (text). `reversed` walks to ancestors.
    public func traversal(reversed: Bool = false) -> String {
        let (from, to) = reversed ? ("child", "parent") : ("parent", "child")
        return """
            WITH RECURSIVE \(edges),
            \(breadthFirst(root: "$1", maxDepth: "$2", reversed: reversed)),
            levels(id, depth) AS MATERIALIZED (
                SELECT u.id, b.depth FROM bfs b CROSS JOIN LATERAL unnest(b.frontier) AS u(id)
            )
            SELECT l.id::text, l.depth,
                (SELECT e.\(from)::text
                 FROM edges e JOIN levels up ON up.id = e.\(from) AND up.depth = l.depth - 1
                 WHERE e.\(to) = l.id
                 ORDER BY e.\(from) \(idOrder) LIMIT 1)
            FROM levels l
            WHERE l.depth > 0
            ORDER BY l.depth, l.id \(idOrder)
            """
    }
}
