import ArborModel
import Testing

@testable import ArborIndex

/// The per-day downline totals a build computes in one sweep over the rows (in chunks over the cores once there are
/// enough ranks) must equal each component totalled from its own rows, on random hierarchies with cycles, shared
/// descendants and ghost edges.
@Suite struct SubtreeDaysSweepTests {
    @Test(arguments: [(UInt64(1), 30), (2, 900), (3, 5000)])
    func theSweepEqualsTotallingEachComponent(seed: UInt64, nodes: Int) throws {
        let data = ModelIndexRandomData(idType: .integer(.int64), seed: seed, nodes: nodes)
        let index = try ModelIndex(model: data.model, rows: data.rows, subtreeMinimumDownline: 1)
        let hierarchy = index.hierarchy
        var components: [Range<Int32>] = []
        var rank = 0
        while rank < hierarchy.nodeCount {
            let component = hierarchy.componentRanks(of: Int(hierarchy.nodeAt[rank]))
            components.append(component)
            rank = Int(component.upperBound)
        }
        for table in index.sources where table.dayCount > 0 {
            let swept = try #require(SubtreeDays.sweptTotals(of: components, table: table, hierarchy: hierarchy))
            let reference = SubtreeDays.totals(of: components, table: table, hierarchy: hierarchy)
            #expect(swept.count == reference.count)
            for (index, (a, b)) in zip(swept, reference).enumerated() {
                #expect(a.days == b.days, "seed \(seed), component \(index): days")
                #expect(a.nodes == b.nodes, "seed \(seed), component \(index): nodes")
                #expect(a.sums == b.sums, "seed \(seed), component \(index): sums")
                #expect(a.overflow == b.overflow, "seed \(seed), component \(index): overflow")
            }
        }
    }
}
