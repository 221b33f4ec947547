import ArborModel
import Testing

@testable import ArborIndex

/// Shapes that break naive implementations, on ModelIndex: a chain a million nodes deep (recursion would overflow
/// the stack) and a long ladder of diamonds (path enumeration would never finish).
@Suite struct ModelIndexDeepStructureTests {
    static let model = ModelIndexRandomData.model(idType: .integer(.int64), secondSource: false)

    /// Nodes `0..<count` with no attributes set, the given edges, and one `visits` row per (node, count).
    static func rows(count: Int, edges: [(Int64, Int64)], visits: [(Int64, Int64)]) -> ModelRows {
        ModelRows(
            nodes: (0..<Int64(count)).map {
                ModelRows.Node(id: .integer($0), label: nil, attributes: [nil, nil, nil])
            },
            edges: edges.map { (parent: NodeID.integer($0.0), child: NodeID.integer($0.1)) },
            events: [
                EventRollupRows(
                    nodes: visits.map { .integer($0.0) }, days: visits.map { _ in Day(iso: "2024-05-01")! },
                    dimensions: [visits.map { _ in nil }, visits.map { _ in nil }],
                    measures: [visits.map(\.1), visits.map { _ in 0 }, visits.map { _ in 0 }])
            ],
            closedValues: ["team": []])
    }

    /// The chain is checked at its full depth: a recursive pass would overflow the stack, a per-node walk of the
    /// downline would be quadratic (about 28 s of this test is the debug build's per-row overhead, linear in the
    /// depth). The ladder's 2^3000 paths rule out path enumeration.
    @Test func millionLongChainBuildsAndAnswers() throws { try checkChain(count: 1_000_000) }

    @Test func ladderOfThreeThousandDiamondsStaysFast() throws { try checkLadder(rungs: 3000) }

    func checkChain(count: Int) throws {
        // Only the last 1000 nodes form a cycle: count - 1 → count - 1000.
        var edges = (1..<Int64(count)).map { ($0 - 1, $0) }
        edges.append((Int64(count - 1), Int64(count - 1000)))
        let index = try ModelIndex(
            model: Self.model, rows: Self.rows(count: count, edges: edges, visits: [(Int64(count - 1), 2)]))

        let cycles = index.cycles(limit: 0)
        #expect(cycles.total == 1)
        #expect(cycles.groups.first == (Int64(count - 1000)..<Int64(count)).map(NodeID.integer))

        let all = try index.traverse(
            NodeTraversalQuery(model: Self.model, direction: .descendants, root: "0", limit: 3))
        #expect(all.total == UInt64(count - 1))
        #expect(all.entries.map(\.id) == [1, 2, 3].map(NodeID.integer) && all.entries.map(\.depth) == [1, 2, 3])

        let top = try index.rank(RankingQuery(model: Self.model, metric: .downlineSize, limit: 2))
        #expect(top.rows.map(\.downlineSize) == [UInt32(count - 1), UInt32(count - 2)])
        #expect(top.rows.map { $0.treeValues.first } == [2, 2])

        let stats = try index.stats(EventStatsQuery(model: Self.model, root: "0", excludeRoot: true))
        #expect(stats.totals == [2] && stats.nodesInScope == UInt32(count - 1))

        let up = try index.traverse(
            NodeTraversalQuery(model: Self.model, direction: .ancestors, root: String(count - 1), limit: 1))
        #expect(up.total == UInt64(count - 1) && up.entries.map(\.id) == [.integer(Int64(count - 2))])
    }

    /// 300 rungs (2^300 paths) already rule out path enumeration.
    func checkLadder(rungs: Int64) throws {
        // t(k) → a(k), t(k) → b(k), a(k) → t(k+1), b(k) → t(k+1): 2^rungs paths from t(0) to the bottom.
        func t(_ k: Int64) -> Int64 { k }
        func a(_ k: Int64) -> Int64 { 10_000 + k }
        func b(_ k: Int64) -> Int64 { 20_000 + k }
        let edges = (0..<rungs).flatMap { [(t($0), a($0)), (t($0), b($0)), (a($0), t($0 + 1)), (b($0), t($0 + 1))] }
        let clock = ContinuousClock()
        let started = clock.now
        let index = try ModelIndex(
            model: Self.model, rows: Self.rows(count: 30_000, edges: edges, visits: (0...rungs).map { (t($0), 1) }))
        let all = try index.traverse(NodeTraversalQuery(model: Self.model, direction: .descendants, root: "0"))
        let board = try index.rank(RankingQuery(model: Self.model, filter: [], limit: 3))
        let stats = try index.stats(EventStatsQuery(model: Self.model, root: "0"))
        let elapsed = clock.now - started

        #expect(all.total == UInt64(3 * rungs))
        #expect(all.entries.last?.id == .integer(t(rungs)) && all.entries.last?.depth == UInt32(2 * rungs))
        #expect(board.rows.map(\.id) == [t(0), a(0), b(0)].map(NodeID.integer))
        #expect(board.rows.map { $0.treeValues.first } == [rungs, rungs, rungs])
        #expect(board.rows.map(\.downlineSize) == [UInt32(3 * rungs), UInt32(3 * rungs - 2), UInt32(3 * rungs - 2)])
        #expect(stats.totals == [rungs + 1])
        #expect(elapsed < .seconds(10), "took \(elapsed); linear work should take milliseconds")
    }
}
