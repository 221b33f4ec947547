import ArborIndex
import ArborModel
import ArborModelFile
import ArborStore
import ArborTestSupport
import Foundation
import Testing

/// Any model's nodes loaded into memory answer like the database: the log-entries example (bigint ids, a parent
/// column, loops) read through its shipped model file.
@Suite struct NodeTableTests {
    static let modelFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/log-entries/arbor.yaml").path

    @Test func theLogEntriesExampleLoadsAndTraversesAsTheDatabaseDoes() async throws {
        try await TestDatabase.withClient { client in
            let report = try await LogEntriesExample.seed(
                LogEntriesExample.Options(entries: 4000, loops: 3, seed: 7), client: client)
            let loaded = try ModelFile.read(contentsOf: Self.modelFile)
            let catalog = try await client.withConnection { try ModelCatalog.check(loaded.model, on: $0) }
            let model = try #require(catalog.resolved, "\(catalog.problems)")
            let rows = try await client.withReadOnlySnapshot { try ModelRows.read(model, on: $0) }
            let table = NodeTable(rows: rows, hasLabel: model.hasLabel)
            #expect(table.graph.nodeCount == report.entries)
            #expect(table.attributes.count == model.attributes.count)

            // Labels and attributes line up with their ids.
            let sample = try await client.withConnection { connection in
                try connection.query(
                    "SELECT e.id::text, e.message, e.level, e.source FROM log_entries e ORDER BY e.id LIMIT 50"
                ).map { row in
                    (
                        try row.decode(String.self, at: 0), try row.decode(String?.self, at: 1),
                        try row.decode(String?.self, at: 2), try row.decode(String?.self, at: 3)
                    )
                }
            }
            for (position, row) in sample.enumerated() {
                #expect(table.graph.ids[position].canonical == row.0)
                #expect(table.label?.value(at: position) == row.1)
                let values = table.attributes.map { $0.value(at: position) }
                let byName = Dictionary(uniqueKeysWithValues: zip(model.attributes.map(\.name), values))
                #expect(byName["level"] == row.2 && byName["source"] == row.3)
            }

            // Traversals agree with live SQL, including from a loop member and the largest subtree's root.
            let live = LiveTraversal(model: model)
            var roots = [NodeID.integer(report.largestSubtreeRoot)] + report.loops.map { NodeID.integer($0[0]) }
            roots += stride(from: 0, to: table.graph.nodeCount, by: 397).map { table.graph.ids[$0] }
            for root in roots {
                for reversed in [false, true] {
                    let cached = try table.graph.traverse(from: root, maxDepth: 0, reversed: reversed)
                    let answer = try await client.withConnection { connection in
                        try live.run(from: root, maxDepth: 0, reversed: reversed, on: connection)
                    }
                    #expect(cached == answer, "\(root) \(reversed)")
                }
            }
            let largest = try table.graph.traverse(from: .integer(report.largestSubtreeRoot), maxDepth: 0)
            #expect(largest.count == report.largestSubtree)
        }
    }
}
