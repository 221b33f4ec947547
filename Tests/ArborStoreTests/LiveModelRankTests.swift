import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// Leaderboard on both fixtures, against answers worked out by hand (see ``LiveModelFixture``): every metric, the
/// closure from ranked nodes and from the page only, `within` on a cycle, event scopes, breakdowns, paging.
@Suite struct LiveModelRankTests {
    /// Sales per node, `count, amount, fee, qty`, and the distinct downlines (the node excluded even on a cycle):
    /// ```
    /// own:  1 [2,1100,2,3]  2 [1,2000,-1,2]  3 [1,1,0,1]  4 [2,525,3,3]  6 [1,100,0,4]  7 [1,0,0,0]
    ///       20 [2,-100,0,-1]  10 [1,100,0,1]  13 [1,700,10,7]   (5, 9, 11, 12: none)
    /// down: 1 {2,3,4,5,6,7,20}  2 {4,5}  3 {6,7,20}  6 {7,20}  7 {20}  9 {10,13}  10 {9,13}  others {}
    /// ```
    @Test func integerParentColumn() async throws {
        try await LiveModelFixture.integerParentColumn.run { h in
            let m = h.model
            let tree = try await h.rank(
                RankingQuery(model: m, breakdownBy: "active", attributes: ["role"], limit: 5))
            #expect(tree.totalRanked == 13)
            #expect(
                tree.rows == [
                    RankingRow(
                        rank: 1, id: int(1), label: "Asha", attributes: ["CEO"], selfValues: [2, 1100, 2, 3],
                        treeValues: [8, 2526, 2, 9], directChildren: 2, downlineSize: 7, downlineMatching: 0,
                        breakdown: [
                            KeyCount(key: "", count: 1), KeyCount(key: "false", count: 2),
                            KeyCount(key: "true", count: 4),
                        ]),
                    RankingRow(
                        rank: 2, id: int(3), label: "Chen", attributes: ["Manager"], selfValues: [1, 1, 0, 1],
                        treeValues: [4, 0, 0, 3], directChildren: 1, downlineSize: 3, downlineMatching: 0,
                        breakdown: [KeyCount(key: "false", count: 1), KeyCount(key: "true", count: 2)]),
                    RankingRow(
                        rank: 3, id: int(6), label: "Éva", attributes: ["Agent"], selfValues: [1, 100, 0, 4],
                        treeValues: [3, -100, 0, -1], directChildren: 1, downlineSize: 2, downlineMatching: 0,
                        breakdown: [KeyCount(key: "false", count: 1), KeyCount(key: "true", count: 1)]),
                    RankingRow(
                        rank: 4, id: int(2), label: "bala", attributes: ["Manager"], selfValues: [1, 2000, -1, 2],
                        treeValues: [2, 525, 3, 3], directChildren: 2, downlineSize: 2, downlineMatching: 0,
                        breakdown: [KeyCount(key: "", count: 1), KeyCount(key: "true", count: 1)]),
                    RankingRow(
                        rank: 5, id: int(7), label: "asha K", attributes: [""], selfValues: [1, 0, 0, 0],
                        treeValues: [2, -100, 0, -1], directChildren: 1, downlineSize: 1, downlineMatching: 0,
                        breakdown: [KeyCount(key: "true", count: 1)]),
                ])
            let next = try await h.rank(RankingQuery(model: m, limit: 5, offset: 5))
            #expect(next.rows.map(\.id) == [int(9), int(10), int(4), int(5), int(11)])
            #expect(next.rows.map(\.rank) == [6, 7, 8, 9, 10])
            #expect(next.rows[0].treeValues == [2, 800, 10, 8] && next.rows[0].downlineSize == 2)
            #expect(next.rows[0].directChildren == 2 && next.rows[1].directChildren == 1)
            #expect(next.rows[4].directChildren == 0 && next.rows[4].downlineSize == 0)  // 11 only has itself
            #expect(next.rows.allSatisfy { $0.attributes.isEmpty && $0.breakdown.isEmpty })
            let past = try await h.rank(RankingQuery(model: m, limit: 5, offset: 100))
            #expect(past.rows.isEmpty && past.totalRanked == 13)

            // SELF ascending among agents: the page comes first, the downline only for it.
            let cheapest = try await h.rank(
                RankingQuery(
                    model: m, metric: .selfMeasure, measure: "amount", ascending: true,
                    filter: [ValueMatch(name: "role", values: ["Agent"])], limit: 3))
            #expect(cheapest.totalRanked == 8)
            #expect(cheapest.rows.map(\.id) == [int(20), int(5), int(9)])
            #expect(cheapest.rows.map(\.selfValues) == [[2, -100, 0, -1], [0, 0, 0, 0], [0, 0, 0, 0]])
            #expect(cheapest.rows[2].treeValues == [2, 800, 10, 8] && cheapest.rows[2].downlineSize == 2)

            let within3 = try await h.rank(RankingQuery(model: m, metric: .downlineSize, within: "3"))
            #expect(within3.rows.map(\.id) == [int(6), int(7), int(20)])
            #expect(within3.rows.map(\.downlineSize) == [2, 1, 0] && within3.totalRanked == 3)

            // within on a cycle: its descendants, never itself (9's downline does include 10).
            let within10 = try await h.rank(RankingQuery(model: m, within: "10"))
            #expect(within10.rows.map(\.id) == [int(9), int(13)])
            #expect(within10.rows.map(\.treeValues) == [[2, 800, 10, 8], [0, 0, 0, 0]])
            #expect(within10.rows.map(\.selfValues) == [[0, 0, 0, 0], [1, 700, 10, 7]])

            let matching = try await h.rank(
                RankingQuery(
                    model: m, metric: .downlineMatching, downlineFilter: [ValueMatch(name: "role", values: ["Agent"])],
                    limit: 4))
            #expect(matching.rows.map(\.id) == [int(1), int(2), int(3), int(10)])
            #expect(matching.rows.map(\.downlineMatching) == [4, 2, 2, 2])
            let children = try await h.rank(RankingQuery(model: m, metric: .directChildren, limit: 3))
            #expect(children.rows.map(\.id) == [int(1), int(2), int(9)])
            #expect(children.rows.map(\.directChildren) == [2, 2, 2])
            #expect(children.rows[0].treeValues == [8, 2526, 2, 9] && children.rows[0].downlineSize == 7)
            let withMatching = try await h.rank(
                RankingQuery(
                    model: m, metric: .directChildren, downlineFilter: [ValueMatch(name: "active", values: ["false"])],
                    limit: 1))
            #expect(withMatching.rows.map(\.downlineMatching) == [2])

            // The event scope applies to self and tree.
            let scoped = try await h.rank(
                RankingQuery(
                    model: m, metric: .selfMeasure, eventMatches: [ValueMatch(name: "channel", values: ["web"])],
                    fromDate: "2024-03-10", toDate: "2024-03-10", limit: 4))
            #expect(scoped.rows.map(\.id) == [int(2), int(3), int(10), int(1)])
            #expect(
                scoped.rows.map(\.selfValues) == [[1, 2000, -1, 2], [1, 1, 0, 1], [1, 100, 0, 1], [0, 0, 0, 0]])
            #expect(scoped.rows[3].treeValues == [2, 2001, -1, 3])
            let treeScoped = try await h.rank(
                RankingQuery(model: m, measure: "qty", source: "sales", fromDate: "2024-11-01", limit: 3))
            // qty of the downline from November: 1 → 4+0-1 = 3, 3 → 3, 9 → 7, 10 → 7, 6 → -1, 7 → -1.
            #expect(treeScoped.rows.map(\.id) == [int(9), int(10), int(1)])
            #expect(treeScoped.rows.map { $0.treeValues[3] } == [7, 7, 3])

            // Another source: joins are counted per node (one each).
            let joins = try await h.rank(RankingQuery(model: m, within: "1", source: "joins", limit: 2))
            #expect(joins.rows.map(\.id) == [int(3), int(6)])
            #expect(joins.rows.map(\.treeValues) == [[3], [2]])
            #expect(joins.rows.map(\.selfValues) == [[1], [1]])
        }
    }

    /// Visits per node `count, mins`: R [1,10] a [2,20] b [1,3] c [1,5] d [1,7] e [1,1] x [1,4] é [1,2];
    /// downlines R {a,b,c,d,e} a {b,c,d,e} b {c,d,e} c {b,d,e} d {b,c,e} x {R,y,a,b,c,d,e} Z {é} é {Z}.
    @Test func textEdgeTable() async throws {
        try await LiveModelFixture.textEdgeTable.run { h in
            let m = h.model
            let top = try await h.rank(
                RankingQuery(model: m, measure: "mins", breakdownBy: "region", attributes: ["tier", "vip"], limit: 4))
            #expect(top.totalRanked == 10)
            #expect(top.rows.map(\.id) == [txt("x"), txt("R"), txt("a"), txt("b")])
            #expect(top.rows.map(\.label) == ["Xi", "Root", "Ann", "Bob"])
            #expect(top.rows.map(\.attributes) == [["1", "true"], ["1", "true"], ["2", ""], ["3", "true"]])
            #expect(top.rows.map(\.treeValues) == [[7, 46], [6, 36], [4, 16], [3, 13]])
            #expect(top.rows.map(\.selfValues) == [[1, 4], [1, 10], [2, 20], [1, 3]])
            #expect(top.rows.map(\.directChildren) == [2, 2, 1, 1])
            #expect(top.rows.map(\.downlineSize) == [7, 5, 4, 3])
            #expect(
                top.rows.map(\.breakdown) == [
                    [KeyCount(key: "", count: 3), KeyCount(key: "north", count: 3), KeyCount(key: "south", count: 1)],
                    [KeyCount(key: "", count: 2), KeyCount(key: "north", count: 2), KeyCount(key: "south", count: 1)],
                    [KeyCount(key: "", count: 2), KeyCount(key: "north", count: 1), KeyCount(key: "south", count: 1)],
                    [KeyCount(key: "", count: 1), KeyCount(key: "north", count: 1), KeyCount(key: "south", count: 1)],
                ])
            let rest = try await h.rank(RankingQuery(model: m, measure: "mins", limit: 10, offset: 4))
            #expect(rest.rows.map(\.id) == [txt("c"), txt("d"), txt("Z"), txt("e"), txt("y"), txt("é")])
            #expect(rest.rows.map(\.rank) == [5, 6, 7, 8, 9, 10])

            let smallest = try await h.rank(
                RankingQuery(model: m, metric: .downlineSize, ascending: true, within: "R", breakdownBy: "tier"))
            #expect(smallest.rows.map(\.id) == [txt("e"), txt("b"), txt("c"), txt("d"), txt("a")])
            #expect(smallest.rows.map(\.downlineSize) == [0, 3, 3, 3, 4])
            #expect(
                smallest.rows[4].breakdown == [
                    KeyCount(key: "", count: 1), KeyCount(key: "3", count: 2), KeyCount(key: "10", count: 1),
                ])
            let vips = try await h.rank(
                RankingQuery(model: m, metric: .selfMeasure, filter: [ValueMatch(name: "vip", values: ["true"])]))
            #expect(vips.rows.map(\.id) == [txt("R"), txt("b"), txt("d"), txt("x"), txt("é")])
            #expect(vips.rows.map(\.treeValues) == [[6, 36], [3, 13], [3, 9], [7, 46], [0, 0]])
            let children = try await h.rank(RankingQuery(model: m, metric: .directChildren, within: "x"))
            #expect(children.rows.map(\.id) == [txt("R"), txt("d"), txt("a"), txt("b"), txt("c"), txt("e"), txt("y")])
            #expect(children.rows.map(\.directChildren) == [2, 2, 1, 1, 1, 0, 0])
            let north = try await h.rank(
                RankingQuery(
                    model: m, metric: .downlineMatching,
                    downlineFilter: [ValueMatch(name: "region", values: ["north"])],
                    limit: 3))
            // north: R a d é; x → {R,a,d} 3, R → {a,d} 2, a → {d} 1, b/c → {d} 1, Z → {é} 1.
            #expect(north.rows.map(\.id) == [txt("x"), txt("R"), txt("Z")])
            #expect(north.rows.map(\.downlineMatching) == [3, 2, 1])
        }
    }
}
