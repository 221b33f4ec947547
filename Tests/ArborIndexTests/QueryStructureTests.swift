import ArborModel
import Testing

@testable import ArborIndex

/// The query-side structures that only large data reaches through the public calls: a level sorted through its
/// bitset, and leaderboard totals from running day totals. Each must give exactly what the plain path gives.
@Suite struct QueryStructureTests {
    @Test(arguments: [40, 300, 5000, 70000])
    func levelSorterOrdersEveryLevelByNode(nodeCount: Int) {
        var random = SystemRandomNumberGenerator()
        var sorter = LevelSorter(nodeCount: nodeCount)
        for size in [0, 1, 255, 256, 1000, min(nodeCount, 4000)] where size <= nodeCount {
            let nodes = (0..<nodeCount).shuffled(using: &random).prefix(size)
            var level = nodes.map { UInt64($0) << 32 | UInt64.random(in: 0..<UInt64(nodeCount), using: &random) }
            let expected = level.sorted()
            sorter.sort(&level)
            #expect(level == expected, "\(size) of \(nodeCount) nodes")
        }
    }

    @Test(arguments: 0..<40)
    func runningDayTotalsGiveTheRowsTotals(seed: Int) throws {
        let data = ModelIndexRandomData(idType: .integer(.int64), seed: UInt64(seed) &* 7 &+ 3)
        let index = try ModelIndex(model: data.model, rows: data.rows)
        var random = ModelIndexRandomData.Random(seed: UInt64(seed))
        for table in index.sources {
            let running = try #require(CumulativeDayTotals(table: table, nodeCount: index.nodeCount))
            for _ in 0..<8 {
                let from = random.below(table.dayCount + 2) - 1
                let to = from + random.below(table.dayCount + 1)
                let window = table.dayWindow(
                    from: Day(daysSinceEpoch: table.firstDay + Int32(from)),
                    to: Day(daysSinceEpoch: table.firstDay + Int32(to)))
                let root = random.below(max(index.nodeCount, 1))
                let domains = [
                    RankDomain(intervals: index.nodeCount == 0 ? [] : [0..<Int32(index.nodeCount)]),
                    RankDomain(
                        intervals: index.nodeCount == 0
                            ? []
                            : index.hierarchy.reachIntervals(
                                of: root, includingComponent: true)),
                ]
                for domain in domains {
                    let fromRows = try #require(
                        DownlineTotals<Int128>(
                            domain: domain, hierarchy: index.hierarchy, table: table, window: window,
                            combinationPasses: nil))
                    let fromRunning = try #require(
                        DownlineTotals<Int128>(
                            domain: domain, hierarchy: index.hierarchy, running: running, window: window))
                    #expect(fromRunning.own == fromRows.own, "window \(from)...\(to)")
                    #expect(fromRunning.prefix == fromRows.prefix, "window \(from)...\(to)")
                }
            }
        }
    }
}
