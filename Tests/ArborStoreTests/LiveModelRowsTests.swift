import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// `ModelRows.read` fills the events (summed per node, day and dimension values, in the model's time zone) and the
/// closed-value sets, as the cached path is built from them.
@Suite struct LiveModelRowsTests {
    struct RollupRow: Hashable, CustomStringConvertible {
        var node: NodeID
        var day: String
        var dimensions: [String?]
        var measures: [Int64]
        var description: String { "\(node) \(day) \(dimensions) \(measures)" }
    }

    static func rows(_ rollup: EventRollupRows) -> Set<RollupRow> {
        Set(
            (0..<rollup.count).map { index in
                RollupRow(
                    node: rollup.nodes[index], day: rollup.days[index].isoString,
                    dimensions: rollup.dimensions.map { $0[index] }, measures: rollup.measures.map { $0[index] })
            })
    }

    @Test func integerParentColumn() async throws {
        try await LiveModelFixture.integerParentColumn.run { h in
            let model = h.model
            let rows = try await h.client.withReadOnlySnapshot { try ModelRows.read(model, on: $0) }
            #expect(rows.nodes.count == 13)
            #expect(rows.edges.count == 12)  // as stored: 12's parent 999 is kept for the index to drop
            #expect(rows.events.count == 2)
            let sales = Self.rows(rows.events[0])
            #expect(rows.events[0].count == 12)
            #expect(
                sales == [
                    RollupRow(
                        node: int(1), day: "2024-03-09", dimensions: ["web", "true"], measures: [2, 1100, 2, 3]),
                    RollupRow(
                        node: int(2), day: "2024-03-10", dimensions: ["web", "false"], measures: [1, 2000, -1, 2]),
                    RollupRow(node: int(4), day: "2024-03-10", dimensions: ["store", nil], measures: [1, 525, 2, 0]),
                    RollupRow(node: int(4), day: "2024-03-11", dimensions: [nil, "true"], measures: [1, 0, 1, 3]),
                    RollupRow(node: int(6), day: "2024-11-03", dimensions: ["", "false"], measures: [1, 100, 0, 4]),
                    RollupRow(
                        node: int(20), day: "2024-11-03", dimensions: ["web", "true"], measures: [1, 200, 0, 5]),
                    RollupRow(
                        node: int(20), day: "2024-11-04", dimensions: ["store", "true"], measures: [1, -300, 0, -6]),
                    RollupRow(
                        node: int(13), day: "2024-11-04", dimensions: ["web", "false"], measures: [1, 700, 10, 7]),
                    RollupRow(
                        node: int(10), day: "2024-03-10", dimensions: ["web", "true"], measures: [1, 100, 0, 1]),
                    RollupRow(node: int(3), day: "2024-03-10", dimensions: ["web", "true"], measures: [1, 1, 0, 1]),
                    RollupRow(node: int(7), day: "2024-11-04", dimensions: ["web", nil], measures: [1, 0, 0, 0]),
                    RollupRow(
                        node: int(999), day: "2024-03-10", dimensions: ["web", "true"], measures: [1, 10000, 0, 100]),
                ])
            let joins = Self.rows(rows.events[1])
            #expect(
                joins == [
                    RollupRow(node: int(1), day: "2024-01-01", dimensions: ["a"], measures: [1]),
                    RollupRow(node: int(2), day: "2024-01-01", dimensions: ["a"], measures: [1]),
                    RollupRow(node: int(3), day: "2024-01-02", dimensions: ["b"], measures: [1]),
                    RollupRow(node: int(4), day: "2024-02-29", dimensions: ["b"], measures: [1]),
                    RollupRow(node: int(6), day: "2024-03-10", dimensions: ["a"], measures: [1]),
                    RollupRow(node: int(7), day: "2024-03-10", dimensions: [nil], measures: [1]),
                    RollupRow(node: int(20), day: "2024-12-31", dimensions: ["b"], measures: [1]),
                    RollupRow(node: int(9), day: "2024-01-01", dimensions: ["a"], measures: [1]),
                    RollupRow(node: int(11), day: "2024-01-01", dimensions: ["b"], measures: [1]),
                    RollupRow(node: int(12), day: "2024-01-02", dimensions: ["a"], measures: [1]),
                ])
            #expect(rows.closedValues == ["role": ["CEO", "Manager", "Agent", "Intern"]])
        }
    }

    @Test func textEdgeTable() async throws {
        try await LiveModelFixture.textEdgeTable.run { h in
            let model = h.model
            let rows = try await h.client.withReadOnlySnapshot { try ModelRows.read(model, on: $0) }
            #expect(rows.edges.count == 15)
            let visits = Self.rows(rows.events[0])
            #expect(
                visits == [
                    RollupRow(node: txt("R"), day: "2024-01-01", dimensions: ["call"], measures: [1, 10]),
                    RollupRow(node: txt("a"), day: "2024-01-01", dimensions: ["visit"], measures: [1, 20]),
                    RollupRow(node: txt("a"), day: "2024-01-02", dimensions: ["call"], measures: [1, 0]),
                    RollupRow(node: txt("c"), day: "2024-01-07", dimensions: [nil], measures: [1, 5]),
                    RollupRow(node: txt("d"), day: "2024-01-08", dimensions: ["call"], measures: [1, 7]),
                    RollupRow(node: txt("e"), day: "2024-02-01", dimensions: ["visit"], measures: [1, 1]),
                    RollupRow(node: txt("b"), day: "2023-12-31", dimensions: ["call"], measures: [1, 3]),
                    RollupRow(node: txt("ghost"), day: "2024-01-01", dimensions: ["call"], measures: [1, 100]),
                    RollupRow(node: txt("é"), day: "2024-01-01", dimensions: ["visit"], measures: [1, 2]),
                    RollupRow(node: txt("x"), day: "2024-01-03", dimensions: [""], measures: [1, 4]),
                ])
            #expect(rows.closedValues == ["region": ["north", "south", "east"]])
        }
    }

    @Test func readingNeedsATransaction() async throws {
        try await LiveModelFixture.textEdgeTable.run { h in
            let model = h.model
            await #expect(throws: StoreError.self) {
                try await h.client.withConnection { try ModelRows.read(model, on: $0) }
            }
        }
    }
}
