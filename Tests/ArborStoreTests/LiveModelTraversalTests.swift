import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// Descendants and Ancestors on both fixtures, against answers worked out by hand (see ``LiveModelFixture``).
@Suite struct LiveModelTraversalTests {
    @Test func integerIDsWithAParentColumn() async throws {
        try await LiveModelFixture.integerParentColumn.run { h in
            let m = h.model
            let all = try await h.traverse(
                NodeTraversalQuery(
                    model: m, direction: .descendants, root: "1", includeRoot: true,
                    attributes: ["label", "role", "active", "level", "city"], includeParents: true))
            #expect(
                all.entries == [
                    entry(int(1), 0, int(1)), entry(int(2), 1, int(1)), entry(int(3), 1, int(1)),
                    entry(int(4), 2, int(2)), entry(int(5), 2, int(2)), entry(int(6), 2, int(3)),
                    entry(int(7), 3, int(6)), entry(int(20), 4, int(7)),
                ])
            #expect(all.total == 8)
            #expect(
                all.columns == [
                    ["Asha", "bala", "Chen", "Dev", "", "Éva", "asha K", "Dev%"],
                    ["CEO", "Manager", "Manager", "Agent", "Agent", "Agent", "", "Agent"],
                    ["true", "true", "false", "true", "", "true", "false", "true"],
                    ["1", "2", "2", "3", "3", "10", "", "-1"],
                    ["Pune", "Pune", "", "", "Goa", "Goa", "Pune", "Goa"],
                ])

            // The filter picks the returned nodes; the limit cuts after the total is counted.
            let agents = try await h.traverse(
                NodeTraversalQuery(
                    model: m, direction: .descendants, root: "1", maxDepth: 3,
                    filter: [ValueMatch(name: "role", values: ["Agent"])], limit: 2))
            #expect(agents.entries == [entry(int(4), 2, int(2)), entry(int(5), 2, int(2))])
            #expect(agents.total == 3)
            #expect(agents.columns.isEmpty)

            // Negated: NULL never matches; "" matches only the empty string.
            let inactive = try await h.traverse(
                NodeTraversalQuery(
                    model: m, direction: .descendants, root: "1",
                    filter: [ValueMatch(name: "active", values: ["true"], negate: true)]))
            #expect(inactive.entries == [entry(int(3), 1, int(1)), entry(int(7), 3, int(6))])
            let withCity = try await h.traverse(
                NodeTraversalQuery(
                    model: m, direction: .descendants, root: "1",
                    filter: [ValueMatch(name: "city", values: [""], negate: true)], includeRoot: true,
                    attributes: ["city"]))
            #expect(withCity.entries.map(\.id) == [int(1), int(2), int(5), int(6), int(7), int(20)])
            #expect(withCity.total == 6)
            #expect(withCity.columns == [["Pune", "Pune", "Goa", "Goa", "Pune", "Goa"]])
            let emptyCity = try await h.traverse(
                NodeTraversalQuery(
                    model: m, direction: .descendants, root: "1", filter: [ValueMatch(name: "city", values: [""])]))
            #expect(emptyCity.entries == [entry(int(4), 2, int(2))])

            // Integers compare as integers; a parent the filter leaves out is still the tree parent.
            let levels = try await h.traverse(
                NodeTraversalQuery(
                    model: m, direction: .descendants, root: "1",
                    filter: [ValueMatch(name: "level", values: ["10", "-1"])]))
            #expect(levels.entries == [entry(int(6), 2, int(3)), entry(int(20), 4, int(7))])

            // A root left out by the filter is not returned even with include_root.
            let rootFiltered = try await h.traverse(
                NodeTraversalQuery(
                    model: m, direction: .descendants, root: "1",
                    filter: [ValueMatch(name: "role", values: ["Manager"])], includeRoot: true))
            #expect(rootFiltered.entries == [entry(int(2), 1, int(1)), entry(int(3), 1, int(1))])
            #expect(rootFiltered.total == 2)

            let ancestors = try await h.traverse(NodeTraversalQuery(model: m, direction: .ancestors, root: "20"))
            #expect(
                ancestors.entries == [
                    entry(int(7), 1, int(20)), entry(int(6), 2, int(7)), entry(int(3), 3, int(6)),
                    entry(int(1), 4, int(3)),
                ])
            let shallow = try await h.traverse(
                NodeTraversalQuery(model: m, direction: .ancestors, root: "20", maxDepth: 2, includeRoot: true))
            #expect(
                shallow.entries == [entry(int(20), 0, int(20)), entry(int(7), 1, int(20)), entry(int(6), 2, int(7))])

            // On a cycle the root is never its own descendant or ancestor.
            let cycle = try await h.traverse(NodeTraversalQuery(model: m, direction: .descendants, root: "9"))
            #expect(cycle.entries == [entry(int(10), 1, int(9)), entry(int(13), 1, int(9))])
            let cycleUp = try await h.traverse(NodeTraversalQuery(model: m, direction: .ancestors, root: "9"))
            #expect(cycleUp.entries == [entry(int(10), 1, int(9))])
            let selfParent = try await h.traverse(
                NodeTraversalQuery(model: m, direction: .descendants, root: "11", includeRoot: true))
            #expect(selfParent.entries == [entry(int(11), 0, int(11))])
            #expect(selfParent.total == 1)

            // A parent value that is no node is ignored.
            let orphan = try await h.traverse(NodeTraversalQuery(model: m, direction: .ancestors, root: "12"))
            #expect(orphan.entries.isEmpty && orphan.total == 0)
            let none = try await h.traverse(
                NodeTraversalQuery(
                    model: m, direction: .descendants, root: "1", filter: [ValueMatch(name: "role", values: ["Intern"])]
                ))
            #expect(none.entries.isEmpty && none.total == 0)
        }
    }

    @Test func textIDsWithAnEdgeTable() async throws {
        try await LiveModelFixture.textEdgeTable.run { h in
            let m = h.model
            let down = try await h.traverse(
                NodeTraversalQuery(
                    model: m, direction: .descendants, root: "R", attributes: ["label", "region", "tier", "vip"],
                    includeParents: true))
            #expect(
                down.entries == [
                    entry(txt("a"), 1, txt("R")), entry(txt("b"), 1, txt("R")), entry(txt("c"), 2, txt("a")),
                    entry(txt("d"), 3, txt("c")), entry(txt("e"), 4, txt("d")),
                ])
            #expect(
                down.columns == [
                    ["Ann", "Bob", "Cy", "", "Eve"], ["north", "", "south", "north", ""], ["2", "3", "3", "", "10"],
                    ["", "true", "false", "true", "false"],
                ])

            // A ghost parent is ignored; depth bounds the search.
            let fromX = try await h.traverse(
                NodeTraversalQuery(model: m, direction: .descendants, root: "x", maxDepth: 2))
            #expect(
                fromX.entries == [
                    entry(txt("R"), 1, txt("x")), entry(txt("y"), 1, txt("x")), entry(txt("a"), 2, txt("R")),
                    entry(txt("b"), 2, txt("R")),
                ])
            let tier3 = try await h.traverse(
                NodeTraversalQuery(
                    model: m, direction: .descendants, root: "x", filter: [ValueMatch(name: "tier", values: ["3"])]))
            #expect(tier3.entries == [entry(txt("b"), 2, txt("R")), entry(txt("c"), 3, txt("a"))])

            // Shortest depth and the smallest parent one level up, walking upwards through the cycle b→c→d→b.
            let up = try await h.traverse(NodeTraversalQuery(model: m, direction: .ancestors, root: "c"))
            #expect(
                up.entries == [
                    entry(txt("a"), 1, txt("c")), entry(txt("b"), 1, txt("c")), entry(txt("R"), 2, txt("a")),
                    entry(txt("d"), 2, txt("b")), entry(txt("x"), 3, txt("R")),
                ])
            let fromB = try await h.traverse(NodeTraversalQuery(model: m, direction: .descendants, root: "b"))
            #expect(
                fromB.entries == [
                    entry(txt("c"), 1, txt("b")), entry(txt("d"), 2, txt("c")), entry(txt("e"), 3, txt("d")),
                ])

            let notVIP = try await h.traverse(
                NodeTraversalQuery(
                    model: m, direction: .descendants, root: "R", filter: [ValueMatch(name: "vip", values: ["false"])],
                    includeRoot: true))
            #expect(notVIP.entries == [entry(txt("c"), 2, txt("a")), entry(txt("e"), 4, txt("d"))])

            // Bytes order text ids: "Z" < "é"; a dangling child is ignored.
            let pair = try await h.traverse(
                NodeTraversalQuery(model: m, direction: .descendants, root: "é", includeRoot: true))
            #expect(pair.entries == [entry(txt("é"), 0, txt("é")), entry(txt("Z"), 1, txt("é"))])
            let leaf = try await h.traverse(NodeTraversalQuery(model: m, direction: .descendants, root: "y"))
            #expect(leaf.entries.isEmpty)
        }
    }
}
