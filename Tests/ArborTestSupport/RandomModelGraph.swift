import ArborModel
import ArborStore

/// A random organisation under a random model, for tests of the v2 paths: nodes with ids of any type, a hierarchy
/// as an edge table or a parent column, with forests, extra edges, cycles, self-edges, duplicates and references to
/// ids that are no node; installed in PostgreSQL under schema, table and column names that need quoting.
public struct RandomModelGraph: Sendable {
    public var idType: NodeIDType
    public var parentColumn: Bool
    /// The nodes, ascending.
    public var ids: [NodeID]
    /// Every (parent, child) pair as stored, dangling ones included.
    public var edges: [(parent: NodeID, child: NodeID)]

    /// A small deterministic generator (SplitMix64).
    public struct Random: Sendable, RandomNumberGenerator {
        var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    public init(idType: NodeIDType, parentColumn: Bool, nodes: Int, random: inout Random) {
        self.idType = idType
        self.parentColumn = parentColumn
        let all = Self.makeIDs(idType, count: nodes + 2, random: &random)
        let ghosts = [all[nodes], all[nodes + 1]]
        self.ids = Array(all.prefix(nodes)).sorted()
        self.edges = Self.makeEdges(ids, ghosts: ghosts, parentColumn: parentColumn, random: &random)
    }

    static func makeIDs(_ type: NodeIDType, count: Int, random: inout Random) -> [NodeID] {
        var ids: [NodeID] = []
        var seen = Set<NodeID>()
        let alphabet = Array("aAbBzZ09 _-éß✓")
        while ids.count < count {
            let id: NodeID
            switch type {
            case .uuid: id = .uuid(UserID(high: random.next(), low: random.next()))
            case .integer(let width):
                let span = UInt64(width == .int16 ? 60_000 : 4_000_000_000)
                id = .integer(Int64(random.next() % span) - Int64(span / 2))
            case .text:
                let length = 1 + random.below(4)
                id = .text(String((0..<length).map { _ in alphabet[random.below(alphabet.count)] }))
            }
            if seen.insert(id).inserted { ids.append(id) }
        }
        return ids
    }

    static func makeEdges(
        _ ids: [NodeID], ghosts: [NodeID], parentColumn: Bool, random: inout Random
    ) -> [(parent: NodeID, child: NodeID)] {
        var order = ids
        for index in order.indices.reversed() where index > 0 { order.swapAt(index, random.below(index + 1)) }
        var edges: [(parent: NodeID, child: NodeID)] = []
        for (position, child) in order.enumerated() where position > 0 {
            if random.below(10) == 0 { continue }  // another root
            edges.append((order[random.below(position)], child))  // a forest
        }
        if parentColumn {
            // Loops, a self-parent and a parent that is no node, by rewriting some children's parent.
            var parentOf = Dictionary(edges.map { ($0.child, $0.parent) }, uniquingKeysWith: { a, _ in a })
            for _ in 0..<3 { parentOf[order[random.below(order.count)]] = order[random.below(order.count)] }
            parentOf[order[1]] = order[1]
            parentOf[order[2]] = ghosts[0]
            return parentOf.map { (parent: $0.value, child: $0.key) }.sorted { $0.child < $1.child }
        }
        for _ in 0..<(ids.count / 4) { edges.append((ids[random.below(ids.count)], ids[random.below(ids.count)])) }
        edges.append((ids[3], ids[3]))
        edges.append((ghosts[0], ids[4]))
        edges.append((ids[5], ghosts[1]))
        edges.append(edges[0])  // a duplicate
        return edges
    }

    public static let nodesTable = DataModel.TableName(schema: "Org \"Data\"", name: "Staff Members")
    public static let edgeTable = DataModel.TableName(schema: "Org \"Data\"", name: "reports-to")

    /// The model that maps the installed tables.
    public var model: ResolvedModel {
        let hierarchy: DataModel.HierarchyMapping =
            parentColumn ? .parentColumn("Boss") : .edges(table: Self.edgeTable, parent: "Up", child: "Down")
        return ResolvedModel(
            model: DataModel(nodes: DataModel.Nodes(table: Self.nodesTable, id: "Emp No"), hierarchy: hierarchy),
            idType: idType, attributes: [], sources: [])
    }

    /// The SQL type of the id columns.
    public var idSQLType: String {
        switch idType {
        case .uuid: "uuid"
        case .integer(let width): width.rawValue
        case .text: "varchar(20)"
        }
    }

    /// Creates the tables (in a fresh database) and fills them.
    public func install(into client: PostgresClient) async throws {
        let sqlType = idSQLType
        let q = ModelSQL.quoted
        let nodes = ModelSQL.qualified(Self.nodesTable)
        let edgeTable = ModelSQL.qualified(Self.edgeTable)
        let parentOf =
            parentColumn ? Dictionary(edges.map { ($0.child, $0.parent) }, uniquingKeysWith: { a, _ in a }) : [:]
        let (ids, edges, parentColumn) = (self.ids, self.edges, self.parentColumn)
        try await client.withConnection { connection in
            try connection.execute("CREATE SCHEMA \(q(Self.nodesTable.schema))")
            try connection.execute(
                "CREATE TABLE \(nodes) (\(q("Emp No")) \(sqlType) PRIMARY KEY, \(q("Boss")) \(sqlType))")
            try connection.execute("CREATE TABLE \(edgeTable) (\(q("Up")) \(sqlType), \(q("Down")) \(sqlType))")
            for id in ids {
                try connection.execute(
                    "INSERT INTO \(nodes) VALUES ($1::\(sqlType), $2::\(sqlType))",
                    [.text(id.canonical), .text(parentOf[id]?.canonical)])
            }
            if !parentColumn {
                for edge in edges {
                    try connection.execute(
                        "INSERT INTO \(edgeTable) VALUES ($1::\(sqlType), $2::\(sqlType))",
                        [.text(edge.parent.canonical), .text(edge.child.canonical)])
                }
            }
        }
    }
}
