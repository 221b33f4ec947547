import ArborModel
import ArborModelFile
import ArborStore
import ArborTestSupport
import Foundation
import Testing

/// The shipped log-entries example (bigint ids, a parent column with loops, the nodes table as its own event
/// source) through its model file: the live calls agree with each other and with what the seeder reports.
@Suite struct LiveModelLogEntriesTests {
    static let modelFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/log-entries/arbor.yaml").path

    @Test func callsAgreeOnTheExample() async throws {
        try await TestDatabase.withClient { client in
            let report = try await LogEntriesExample.seed(
                LogEntriesExample.Options(entries: 3000, loops: 3, seed: 11, lastDay: Day(iso: "2024-06-30")),
                client: client)
            let loaded = try ModelFile.read(contentsOf: Self.modelFile)
            let catalog = try await client.withConnection { try ModelCatalog.check(loaded.model, on: $0) }
            let h = LiveModelHarness(
                client: client, live: LiveModelQueries(model: try #require(catalog.resolved, "\(catalog.problems)")))
            let m = h.model
            let root = String(report.largestSubtreeRoot)

            let facts = try await h.facts()
            #expect(facts.nodes == UInt64(report.entries))
            #expect(facts.sources.map(\.events) == [UInt64(report.entries)])
            #expect(facts.sources[0].firstDay == report.firstDay && facts.sources[0].lastDay == report.lastDay)
            #expect(facts.cycleGroups == UInt32(report.loops.count))
            let cycles = try await h.cycles(limit: 0)
            #expect(Set(cycles.groups) == Set(report.loops.map { $0.sorted().map(NodeID.integer) }))

            // Every entry is one event of its own node: the subtree's count is its size.
            let subtree = try await h.traverse(NodeTraversalQuery(model: m, direction: .descendants, root: root))
            #expect(subtree.total == UInt64(report.largestSubtree))
            let stats = try await h.stats(EventStatsQuery(model: m, root: root, groupBy: ["level"]))
            #expect(stats.totals == [UInt64(report.largestSubtree) + 1].map(Int64.init))
            #expect(stats.nodesInScope == UInt32(report.largestSubtree) + 1)
            #expect(stats.rows.reduce(0) { $0 + $1.values[0] } == stats.totals[0])
            #expect(stats.rows.allSatisfy { $0.nodes == UInt32($0.values[0]) })
            let byDay = try await h.stats(EventStatsQuery(model: m, root: root, groupBy: ["day"], limit: 5))
            #expect(byDay.totals == stats.totals && byDay.rows.count <= 5)

            let top = try await h.rank(RankingQuery(model: m, metric: .downlineSize, limit: 3))
            #expect(top.totalRanked == UInt32(report.entries))
            #expect(top.rows.first?.id == .integer(report.largestSubtreeRoot))
            #expect(top.rows.first?.downlineSize == UInt32(report.largestSubtree))
            #expect(top.rows.first?.treeValues == [Int64(report.largestSubtree)])
            for row in top.rows {
                let down = try await h.traverse(
                    NodeTraversalQuery(model: m, direction: .descendants, root: row.id.canonical))
                #expect(UInt64(row.downlineSize) == down.total)
                #expect(row.selfValues == [1])
            }
        }
    }
}
