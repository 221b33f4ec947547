import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// The generated traversal SQL against an independent breadth-first search, on random graphs under every id type,
/// both hierarchy forms, cycles, self-edges, dangling references, and table and column names that need quoting.
@Suite struct LiveTraversalTests {
    struct Case: Sendable, CustomStringConvertible {
        var idType: NodeIDType
        var parentColumn: Bool
        var seed: UInt64
        var description: String { "\(idType.name) \(parentColumn ? "parent column" : "edge table") seed \(seed)" }
    }

    static let cases: [Case] = [NodeIDType.uuid, .integer(.int64), .integer(.int16), .text].flatMap { type in
        [false, true].flatMap { parent in (1...3).map { Case(idType: type, parentColumn: parent, seed: $0) } }
    }

    /// A small deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    static func makeIDs(_ type: NodeIDType, count: Int, random: inout Random) -> [NodeID] {
        var ids = Set<NodeID>()
        let alphabet = Array("aAbBzZ09 _-éß✓")
        while ids.count < count {
            switch type {
            case .uuid: ids.insert(.uuid(UserID(high: random.next(), low: random.next())))
            case .integer(let width):
                let span = UInt64(width == .int16 ? 60_000 : 4_000_000_000)
                ids.insert(.integer(Int64(random.next() % span) - Int64(span / 2)))
            case .text:
                let length = 1 + random.below(4)
                ids.insert(.text(String((0..<length).map { _ in alphabet[random.below(alphabet.count)] })))
            }
        }
        return ids.sorted()
    }

    /// Edges (parent, child); with a parent column each child has at most one parent.
    static func makeEdges(_ ids: [NodeID], ghosts: [NodeID], parentColumn: Bool, random: inout Random) -> [(
        NodeID, NodeID
    )] {
        var edges: [(NodeID, NodeID)] = []
        let order = ids.shuffledDeterministically(&random)
        for (position, child) in order.enumerated() where position > 0 {
            if random.below(10) == 0 { continue }  // another root
            edges.append((order[random.below(position)], child))  // a forest
        }
        if parentColumn {
            // Loops, self-parents and parents that are no node, by rewriting some children's parent.
            var parentOf = Dictionary(edges.map { ($0.1, $0.0) }, uniquingKeysWith: { a, _ in a })
            for _ in 0..<3 { parentOf[order[random.below(order.count)]] = order[random.below(order.count)] }
            parentOf[order[1]] = order[1]
            parentOf[order[2]] = ghosts[0]
            return parentOf.map { ($0.value, $0.key) }
        }
        for _ in 0..<(ids.count / 4) { edges.append((ids[random.below(ids.count)], ids[random.below(ids.count)])) }
        edges.append((ids[3], ids[3]))
        edges.append((ghosts[0], ids[4]))
        edges.append((ids[5], ghosts[1]))
        edges.append(edges[0])  // a duplicate
        return edges
    }

    /// The contract's traversal, computed directly: shortest depth, order by depth then id, tree parent the
    /// smallest id one level up with an edge to the node.
    static func reference(
        root: NodeID, maxDepth: UInt32, edges: [(NodeID, NodeID)], nodes: Set<NodeID>, reversed: Bool
    ) -> [LiveTraversal.Entry] {
        var next: [NodeID: Set<NodeID>] = [:]
        for (parent, child) in edges where nodes.contains(parent) && nodes.contains(child) {
            let (from, to) = reversed ? (child, parent) : (parent, child)
            next[from, default: []].insert(to)
        }
        var depthOf: [NodeID: UInt32] = [root: 0]
        var frontier = [root]
        var depth: UInt32 = 0
        var result: [LiveTraversal.Entry] = []
        while !frontier.isEmpty, maxDepth == 0 || depth < maxDepth {
            depth += 1
            var level = Set<NodeID>()
            for node in frontier {
                for target in next[node] ?? [] where depthOf[target] == nil { level.insert(target) }
            }
            for node in level { depthOf[node] = depth }
            for node in level.sorted() {
                let parent = frontier.filter { next[$0]?.contains(node) ?? false }.min()!
                result.append(LiveTraversal.Entry(id: node, depth: depth, parent: parent))
            }
            frontier = level.sorted()
        }
        return result
    }

    @Test(arguments: cases) func generatedSQLAgreesWithTheReference(_ testCase: Case) async throws {
        do {
            try await check(testCase)
        } catch let error as StoreError {
            Issue.record("\(error.logDescription)")  // the server's message, so a failure says what SQL broke
        }
    }

    func check(_ testCase: Case) async throws {
        try await TestDatabase.withClient { client in
            var random = Random(state: testCase.seed &* 7919 &+ UInt64(testCase.parentColumn ? 1 : 0))
            let all = Self.makeIDs(testCase.idType, count: 42, random: &random)
            let ids = Array(all.prefix(40))
            let ghosts = Array(all.suffix(2))
            let edges = Self.makeEdges(ids, ghosts: ghosts, parentColumn: testCase.parentColumn, random: &random)
            let model = try await Self.install(testCase, ids: ids, edges: edges, client: client)
            let traversal = LiveTraversal(model: model)
            for _ in 0..<6 {
                let root = ids[random.below(ids.count)]
                for maxDepth: UInt32 in [0, 1, 2] {
                    for reversed in [false, true] {
                        let live = try await client.withConnection { connection in
                            try traversal.run(from: root, maxDepth: maxDepth, reversed: reversed, on: connection)
                        }
                        let expected = Self.reference(
                            root: root, maxDepth: maxDepth, edges: edges, nodes: Set(ids), reversed: reversed)
                        #expect(
                            live == expected, "root \(root) depth \(maxDepth) \(reversed ? "ancestors" : "descendants")"
                        )
                    }
                }
            }
        }
    }

    /// Creates the organisation's tables under names that need quoting, and the model that maps them.
    static func install(
        _ testCase: Case, ids: [NodeID], edges: [(NodeID, NodeID)], client: PostgresClient
    ) async throws -> ResolvedModel {
        let sqlType =
            switch testCase.idType {
            case .uuid: "uuid"
            case .integer(let width): width.rawValue
            case .text: "varchar(20)"
            }
        let nodes = DataModel.TableName(schema: "Org \"Data\"", name: "Staff Members")
        let edgeTable = DataModel.TableName(schema: "Org \"Data\"", name: "reports-to")
        let q = ModelSQL.quoted
        let qualified = ModelSQL.qualified
        try await client.withConnection { connection in
            try connection.execute("CREATE SCHEMA \(q(nodes.schema))")
            try connection.execute(
                "CREATE TABLE \(qualified(nodes)) (\(q("Emp No")) \(sqlType) PRIMARY KEY, \(q("Boss")) \(sqlType))")
            try connection.execute(
                "CREATE TABLE \(qualified(edgeTable)) (\(q("Up")) \(sqlType), \(q("Down")) \(sqlType))")
            let parentOf =
                testCase.parentColumn ? Dictionary(edges.map { ($0.1, $0.0) }, uniquingKeysWith: { a, _ in a }) : [:]
            for id in ids {
                try connection.execute(
                    "INSERT INTO \(qualified(nodes)) VALUES ($1::\(sqlType), $2::\(sqlType))",
                    [.text(id.canonical), .text(parentOf[id]?.canonical)])
            }
            if !testCase.parentColumn {
                for (parent, child) in edges {
                    try connection.execute(
                        "INSERT INTO \(qualified(edgeTable)) VALUES ($1::\(sqlType), $2::\(sqlType))",
                        [.text(parent.canonical), .text(child.canonical)])
                }
            }
        }
        let hierarchy: DataModel.HierarchyMapping =
            testCase.parentColumn ? .parentColumn("Boss") : .edges(table: edgeTable, parent: "Up", child: "Down")
        return ResolvedModel(
            model: DataModel(nodes: DataModel.Nodes(table: nodes, id: "Emp No"), hierarchy: hierarchy),
            idType: testCase.idType, attributes: [], sources: [])
    }
}

extension Array {
    fileprivate func shuffledDeterministically(_ random: inout LiveTraversalTests.Random) -> [Element] {
        var copy = self
        for index in copy.indices.reversed() where index > 0 { copy.swapAt(index, random.below(index + 1)) }
        return copy
    }
}
