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

    /// The contract's traversal, computed directly: shortest depth, order by depth then id, tree parent the
    /// smallest id one level up with an edge to the node.
    static func reference(
        root: NodeID, maxDepth: UInt32, edges: [(parent: NodeID, child: NodeID)], nodes: Set<NodeID>, reversed: Bool
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
            var random = RandomModelGraph.Random(seed: testCase.seed &* 7919 &+ UInt64(testCase.parentColumn ? 1 : 0))
            let graph = RandomModelGraph(
                idType: testCase.idType, parentColumn: testCase.parentColumn, nodes: 40, random: &random)
            try await graph.install(into: client)
            let traversal = LiveTraversal(model: graph.model)
            for _ in 0..<6 {
                let root = graph.ids[random.below(graph.ids.count)]
                for maxDepth: UInt32 in [0, 1, 2] {
                    for reversed in [false, true] {
                        let live = try await client.withConnection { connection in
                            try traversal.run(from: root, maxDepth: maxDepth, reversed: reversed, on: connection)
                        }
                        let expected = Self.reference(
                            root: root, maxDepth: maxDepth, edges: graph.edges, nodes: Set(graph.ids),
                            reversed: reversed)
                        #expect(
                            live == expected, "root \(root) depth \(maxDepth) \(reversed ? "ancestors" : "descendants")"
                        )
                    }
                }
            }
        }
    }
}
