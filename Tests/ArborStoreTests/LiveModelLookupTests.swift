import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// FindNodes, Cycles and Describe's facts on both fixtures, against answers worked out by hand.
@Suite struct LiveModelLookupTests {
    @Test func integerParentColumn() async throws {
        try await LiveModelFixture.integerParentColumn.run { h in
            let m = h.model
            let asha = try await h.find(FindNodesQuery(model: m, labelPrefix: "asha"))
            #expect(
                asha.nodes == [
                    FoundNode(id: int(1), label: "Asha", attributes: ["CEO", "true", "1", "Pune"]),
                    FoundNode(id: int(7), label: "asha K", attributes: ["", "false", "", "Pune"]),
                ])
            #expect(!asha.hasMore)
            // `%` is no wildcard; non-ASCII letters are not folded.
            #expect(try await h.find(FindNodesQuery(model: m, labelPrefix: "dev%")).nodes.map(\.id) == [int(20)])
            #expect(try await h.find(FindNodesQuery(model: m, labelPrefix: "é")).nodes.isEmpty)
            #expect(try await h.find(FindNodesQuery(model: m, labelPrefix: "É")).nodes.map(\.id) == [int(6)])
            let byID = try await h.find(FindNodesQuery(model: m, ids: ["12", "500", "5"], attributes: ["city"]))
            #expect(
                byID.nodes == [
                    FoundNode(id: int(5), label: "", attributes: ["Goa"]),
                    FoundNode(id: int(12), label: "Lee", attributes: ["Pune"]),
                ])
            let both = try await h.find(
                FindNodesQuery(model: m, labelPrefix: "d", ids: ["4", "7"], attributes: ["level"]))
            #expect(both.nodes == [FoundNode(id: int(4), label: "Dev", attributes: ["3"])])

            let first = try await h.find(
                FindNodesQuery(
                    model: m, filter: [ValueMatch(name: "role", values: ["Manager"])], attributes: ["role"], limit: 2))
            #expect(first.nodes.map(\.id) == [int(3), int(10)] && first.hasMore)
            let second = try await h.find(
                FindNodesQuery(
                    model: m, filter: [ValueMatch(name: "role", values: ["Manager"])], attributes: ["role"], limit: 2,
                    after: (label: "Jo", id: int(10))))
            #expect(second.nodes == [FoundNode(id: int(2), label: "bala", attributes: ["Manager"])] && !second.hasMore)

            let cycles = try await h.cycles(limit: 0)
            #expect(cycles.groups == [[int(9), int(10)], [int(11)]] && cycles.total == 2)
            let firstCycle = try await h.cycles(limit: 1)
            #expect(firstCycle.groups == [[int(9), int(10)]] && firstCycle.total == 2)

            let facts = try await h.facts()
            #expect(
                facts
                    == ModelFacts(
                        nodes: 13, edges: 11, cycleGroups: 2, distinctValues: [3, 2, 7, 3],
                        sources: [
                            ModelFacts.SourceFacts(
                                events: 12, firstDay: Day(iso: "2024-03-09"), lastDay: Day(iso: "2024-11-04")),
                            ModelFacts.SourceFacts(
                                events: 10, firstDay: Day(iso: "2024-01-01"), lastDay: Day(iso: "2024-12-31")),
                        ]))
        }
    }

    @Test func textEdgeTable() async throws {
        try await LiveModelFixture.textEdgeTable.run { h in
            let m = h.model
            #expect(try await h.find(FindNodesQuery(model: m, labelPrefix: "e")).nodes.map(\.id) == [txt("e")])
            #expect(try await h.find(FindNodesQuery(model: m, labelPrefix: "Z")).nodes.map(\.id) == [txt("Z")])
            let ids = try await h.find(FindNodesQuery(model: m, ids: ["é", "nobody", "R"]))
            #expect(
                ids.nodes == [
                    FoundNode(id: txt("R"), label: "Root", attributes: ["north", "1", "true"]),
                    FoundNode(id: txt("é"), label: "Émile", attributes: ["north", "3", "true"]),
                ])
            var pages: [[NodeID]] = []
            var after: (label: String, id: NodeID)?
            for _ in 0..<4 {
                let page = try await h.find(
                    FindNodesQuery(
                        model: m, filter: [ValueMatch(name: "vip", values: ["true"])], limit: 2, after: after))
                pages.append(page.nodes.map(\.id))
                guard page.hasMore, let last = page.nodes.last else { break }
                after = (last.label, last.id)
            }
            #expect(pages == [[txt("d"), txt("b")], [txt("R"), txt("x")], [txt("é")]])

            let cycles = try await h.cycles(limit: 0)
            #expect(cycles.groups == [[txt("b"), txt("c"), txt("d")], [txt("Z"), txt("é")], [txt("e")]])
            #expect(cycles.total == 3)

            let facts = try await h.facts()
            #expect(
                facts
                    == ModelFacts(
                        nodes: 10, edges: 12, cycleGroups: 3, distinctValues: [3, 4, 2],
                        sources: [
                            ModelFacts.SourceFacts(
                                events: 9, firstDay: Day(iso: "2023-12-31"), lastDay: Day(iso: "2024-02-01"))
                        ]))
        }
    }
}
