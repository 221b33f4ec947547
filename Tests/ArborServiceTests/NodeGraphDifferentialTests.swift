import ArborIndex
import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// The in-memory traversal of any model and the live SQL one answer identically: every root, depth bound and
/// direction of random graphs under every id type and both hierarchy forms.
@Suite struct NodeGraphDifferentialTests {
    struct Case: Sendable, CustomStringConvertible {
        var idType: NodeIDType
        var parentColumn: Bool
        var seed: UInt64
        var description: String { "\(idType.name) \(parentColumn ? "parent column" : "edge table") seed \(seed)" }
    }

    static let cases: [Case] = [NodeIDType.uuid, .integer(.int32), .text].flatMap { type in
        [false, true].flatMap { parent in (11...14).map { Case(idType: type, parentColumn: parent, seed: $0) } }
    }

    @Test(arguments: cases) func cacheAndLiveTraversalsAgree(_ testCase: Case) async throws {
        try await TestDatabase.withClient { client in
            var random = RandomModelGraph.Random(seed: testCase.seed)
            let graph = RandomModelGraph(
                idType: testCase.idType, parentColumn: testCase.parentColumn, nodes: 30 + random.below(40),
                random: &random)
            try await graph.install(into: client)
            let cache = NodeGraph(ids: graph.ids, edges: graph.edges)
            let live = LiveTraversal(model: graph.model)
            let results = try await client.withConnection { connection in
                var pairs: [(cached: [TraversalEntry], live: [TraversalEntry], label: String)] = []
                for root in graph.ids {
                    for maxDepth: UInt32 in [0, 1, 3] {
                        for reversed in [false, true] {
                            pairs.append(
                                (
                                    try cache.traverse(from: root, maxDepth: maxDepth, reversed: reversed),
                                    try live.run(from: root, maxDepth: maxDepth, reversed: reversed, on: connection),
                                    "\(root) \(maxDepth) \(reversed)"
                                ))
                        }
                    }
                }
                return pairs
            }
            for pair in results { #expect(pair.cached == pair.live, "\(pair.label)") }
            #expect(results.contains { !$0.live.isEmpty })
        }
    }

    @Test func anUnknownRootIsNotFoundAndTheRootIsNeverItsOwnDescendant() throws {
        let a = NodeID.integer(1)
        let b = NodeID.integer(2)
        let graph = NodeGraph(ids: [a, b], edges: [(a, b), (b, a), (a, a), (.integer(9), a)])
        #expect(try graph.traverse(from: a, maxDepth: 0) == [TraversalEntry(id: b, depth: 1, parent: a)])
        #expect(
            try graph.traverse(from: a, maxDepth: 0, reversed: true) == [TraversalEntry(id: b, depth: 1, parent: a)])
        #expect {
            try graph.traverse(from: .integer(9), maxDepth: 0, field: "within")
        } throws: { error in
            (error as? QueryError).map { $0.code == .notFound && $0.message == "within: no node with id 9" } ?? false
        }
    }
}
