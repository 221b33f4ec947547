import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// FilteredStats on both fixtures, against answers worked out by hand (see ``LiveModelFixture``): days in the
/// model's time zone around both DST changes, weeks keyed by Monday, months, rounding of scaled sums, NULL and ""
/// sharing a key, keys in their type's order, paging, scope rules.
@Suite struct LiveModelStatsTests {
    @Test func salesInNewYork() async throws {
        try await LiveModelFixture.integerParentColumn.run { h in
            let m = h.model
            let byDay = try await h.stats(
                EventStatsQuery(model: m, root: "1", groupBy: ["day"], measures: ["count", "amount", "fee", "qty"]))
            #expect(
                byDay.rows == [
                    statsRow(["2024-03-09"], [2, 1100, 2, 3], nodes: 1),
                    statsRow(["2024-03-10"], [3, 2526, 1, 3], nodes: 3),
                    statsRow(["2024-03-11"], [1, 0, 1, 3], nodes: 1),
                    statsRow(["2024-11-03"], [2, 300, 0, 9], nodes: 2),
                    statsRow(["2024-11-04"], [2, -300, 0, -6], nodes: 2),
                ])
            #expect(byDay.totals == [10, 3626, 4, 12])
            #expect(byDay.nodesInScope == 8)
            #expect(!byDay.hasMore)

            let byWeek = try await h.stats(EventStatsQuery(model: m, root: "1", groupBy: ["week"]))
            #expect(
                byWeek.rows == [
                    statsRow(["2024-03-04"], [5], nodes: 4), statsRow(["2024-03-11"], [1], nodes: 1),
                    statsRow(["2024-10-28"], [2], nodes: 2), statsRow(["2024-11-04"], [2], nodes: 2),
                ])
            // A week keyed by a Monday before from_date counts only the days in the window.
            let window = try await h.stats(
                EventStatsQuery(model: m, root: "1", fromDate: "2024-03-10", toDate: "2024-11-03", groupBy: ["week"]))
            #expect(
                window.rows == [
                    statsRow(["2024-03-04"], [3], nodes: 3), statsRow(["2024-03-11"], [1], nodes: 1),
                    statsRow(["2024-10-28"], [2], nodes: 2),
                ])
            #expect(window.totals == [6])
            let byMonth = try await h.stats(EventStatsQuery(model: m, root: "1", groupBy: ["month"]))
            #expect(byMonth.rows == [statsRow(["2024-03"], [6], nodes: 4), statsRow(["2024-11"], [4], nodes: 3)])

            // Dimension keys: NULL and "" share "", booleans false before true; pages continue after the keys.
            let all = [
                statsRow(["", "false"], [4], nodes: 1), statsRow(["", "true"], [3], nodes: 1),
                statsRow(["store", ""], [0], nodes: 1), statsRow(["store", "true"], [-6], nodes: 1),
                statsRow(["web", ""], [0], nodes: 1), statsRow(["web", "false"], [2], nodes: 1),
                statsRow(["web", "true"], [9], nodes: 3),
            ]
            let whole = try await h.stats(
                EventStatsQuery(model: m, root: "1", groupBy: ["channel", "promo"], measures: ["qty"]))
            #expect(whole.rows == all)
            var pages: [[EventStatsRow]] = []
            var after: [String]?
            for _ in 0..<4 {
                let page = try await h.stats(
                    EventStatsQuery(
                        model: m, root: "1", groupBy: ["channel", "promo"], measures: ["qty"], limit: 3, after: after))
                #expect(page.totals == [12])
                pages.append(page.rows)
                guard page.hasMore else { break }
                after = page.rows.last?.keys
            }
            #expect(pages == [Array(all[0..<3]), Array(all[3..<6]), Array(all[6...])])

            // Attributes and nodes as keys; integer keys numerically with "" (NULL) first.
            let managers = try await h.stats(
                EventStatsQuery(
                    model: m, root: "1", excludeRoot: true, maxDepth: 2,
                    filter: [ValueMatch(name: "active", values: ["true"])], groupBy: ["role", "node"],
                    measures: ["count", "amount"]))
            #expect(
                managers.rows == [
                    statsRow(["Agent", "4"], [2, 525], nodes: 1), statsRow(["Agent", "6"], [1, 100], nodes: 1),
                    statsRow(["Manager", "2"], [1, 2000], nodes: 1),
                ])
            #expect(managers.totals == [4, 2625])
            #expect(managers.nodesInScope == 3)
            let byLevel = try await h.stats(EventStatsQuery(model: m, root: "1", groupBy: ["level"]))
            #expect(
                byLevel.rows == [
                    statsRow([""], [1], nodes: 1), statsRow(["-1"], [2], nodes: 1), statsRow(["1"], [2], nodes: 1),
                    statsRow(["2"], [2], nodes: 2), statsRow(["3"], [2], nodes: 1), statsRow(["10"], [1], nodes: 1),
                ])
            let levelPage = try await h.stats(
                EventStatsQuery(model: m, root: "1", groupBy: ["level"], limit: 2, after: ["1"]))
            #expect(levelPage.rows == [statsRow(["2"], [2], nodes: 2), statsRow(["3"], [2], nodes: 1)])
            #expect(levelPage.hasMore)
            let afterNull = try await h.stats(
                EventStatsQuery(model: m, root: "1", groupBy: ["level"], limit: 1, after: [""]))
            #expect(afterNull.rows == [statsRow(["-1"], [2], nodes: 1)])
            let byNode = try await h.stats(EventStatsQuery(model: m, root: "1", groupBy: ["node"]))
            #expect(byNode.rows.map(\.keys) == [["1"], ["2"], ["3"], ["4"], ["6"], ["7"], ["20"]])
            let nodePage = try await h.stats(
                EventStatsQuery(model: m, root: "1", groupBy: ["node"], limit: 2, after: ["7"]))
            #expect(nodePage.rows == [statsRow(["20"], [2], nodes: 1)])
            #expect(!nodePage.hasMore)

            // No grouping: one row while anything counts.
            let one = try await h.stats(EventStatsQuery(model: m, root: "1", measures: ["count", "fee"]))
            #expect(one.rows == [statsRow([], [10, 4], nodes: 7)])
            let nothing = try await h.stats(EventStatsQuery(model: m, root: "12", measures: ["count", "fee"]))
            #expect(nothing.rows.isEmpty && nothing.totals == [0, 0] && nothing.nodesInScope == 1)
            let afterOne = try await h.stats(EventStatsQuery(model: m, root: "1", limit: 1, after: []))
            #expect(afterOne.rows.isEmpty && afterOne.totals == [10] && !afterOne.hasMore)

            // Event scope matches.
            let web = try await h.stats(
                EventStatsQuery(
                    model: m, root: "1", eventMatches: [ValueMatch(name: "channel", values: ["web"])],
                    groupBy: ["day"]))
            #expect(
                web.rows == [
                    statsRow(["2024-03-09"], [2], nodes: 1), statsRow(["2024-03-10"], [2], nodes: 2),
                    statsRow(["2024-11-03"], [1], nodes: 1), statsRow(["2024-11-04"], [1], nodes: 1),
                ])
            let notWeb = try await h.stats(
                EventStatsQuery(
                    model: m, root: "1", eventMatches: [ValueMatch(name: "channel", values: ["web"], negate: true)]))
            #expect(notWeb.totals == [3])
            let empty = try await h.stats(
                EventStatsQuery(model: m, root: "1", eventMatches: [ValueMatch(name: "channel", values: [""])]))
            #expect(empty.totals == [1])
            let promo = try await h.stats(
                EventStatsQuery(
                    model: m, root: "1", eventMatches: [ValueMatch(name: "promo", values: ["false"])],
                    measures: ["amount"]))
            #expect(promo.totals == [2100])

            // exclude_root removes the root even when it reaches itself on a cycle.
            let withRoot = try await h.stats(EventStatsQuery(model: m, root: "10"))
            #expect(withRoot.totals == [2] && withRoot.nodesInScope == 3)
            let withoutRoot = try await h.stats(EventStatsQuery(model: m, root: "10", excludeRoot: true))
            #expect(withoutRoot.totals == [1] && withoutRoot.nodesInScope == 2)
            let nearOnly = try await h.stats(EventStatsQuery(model: m, root: "10", excludeRoot: true, maxDepth: 1))
            #expect(nearOnly.rows.isEmpty && nearOnly.totals == [0] && nearOnly.nodesInScope == 1)
        }
    }

    @Test func joinsFromTheNodesTableByWallClock() async throws {
        try await LiveModelFixture.integerParentColumn.run { h in
            let m = h.model
            let byDay = try await h.stats(EventStatsQuery(model: m, root: "1", source: "joins", groupBy: ["day"]))
            #expect(
                byDay.rows == [
                    statsRow(["2024-01-01"], [2], nodes: 2), statsRow(["2024-01-02"], [1], nodes: 1),
                    statsRow(["2024-02-29"], [1], nodes: 1), statsRow(["2024-03-10"], [2], nodes: 2),
                    statsRow(["2024-12-31"], [1], nodes: 1),
                ])
            let byTeam = try await h.stats(EventStatsQuery(model: m, root: "1", source: "joins", groupBy: ["team"]))
            #expect(
                byTeam.rows == [
                    statsRow([""], [1], nodes: 1), statsRow(["a"], [3], nodes: 3), statsRow(["b"], [3], nodes: 3),
                ])
            let window = try await h.stats(
                EventStatsQuery(
                    model: m, root: "1", source: "joins", fromDate: "2024-01-02", toDate: "2024-03-10",
                    groupBy: ["team"]))
            #expect(
                window.rows == [
                    statsRow([""], [1], nodes: 1), statsRow(["a"], [1], nodes: 1), statsRow(["b"], [2], nodes: 2),
                ])
        }
    }

    @Test func visitsByDate() async throws {
        try await LiveModelFixture.textEdgeTable.run { h in
            let m = h.model
            let weekly = try await h.stats(
                EventStatsQuery(model: m, root: "R", groupBy: ["week", "kind"], measures: ["count", "mins"]))
            #expect(
                weekly.rows == [
                    statsRow(["2023-12-25", "call"], [1, 3], nodes: 1),
                    statsRow(["2024-01-01", ""], [1, 5], nodes: 1),
                    statsRow(["2024-01-01", "call"], [2, 10], nodes: 2),
                    statsRow(["2024-01-01", "visit"], [1, 20], nodes: 1),
                    statsRow(["2024-01-08", "call"], [1, 7], nodes: 1),
                    statsRow(["2024-01-29", "visit"], [1, 1], nodes: 1),
                ])
            #expect(weekly.totals == [7, 46])
            #expect(weekly.nodesInScope == 6)
            let later = try await h.stats(
                EventStatsQuery(
                    model: m, root: "R", fromDate: "2024-01-02", groupBy: ["week", "kind"], measures: ["count", "mins"])
            )
            #expect(
                later.rows == [
                    statsRow(["2024-01-01", ""], [1, 5], nodes: 1),
                    statsRow(["2024-01-01", "call"], [1, 0], nodes: 1),
                    statsRow(["2024-01-08", "call"], [1, 7], nodes: 1),
                    statsRow(["2024-01-29", "visit"], [1, 1], nodes: 1),
                ])
            #expect(later.totals == [4, 13])
            let months = try await h.stats(EventStatsQuery(model: m, root: "R", groupBy: ["month"]))
            #expect(
                months.rows == [
                    statsRow(["2023-12"], [1], nodes: 1), statsRow(["2024-01"], [5], nodes: 4),
                    statsRow(["2024-02"], [1], nodes: 1),
                ])

            // Text node keys in byte order, paged.
            let nodes = ["R", "a", "b", "c", "d", "e", "x"]
            var seen: [String] = []
            var after: [String]?
            var pages = 0
            repeat {
                let page = try await h.stats(
                    EventStatsQuery(model: m, root: "x", groupBy: ["node"], limit: 3, after: after))
                #expect(page.totals == [8] && page.nodesInScope == 8)
                seen += page.rows.map { $0.keys[0] }
                after = page.hasMore ? page.rows.last?.keys : nil
                pages += 1
            } while after != nil && pages < 5
            #expect(seen == nodes && pages == 3)

            let byRegion = try await h.stats(EventStatsQuery(model: m, root: "x", groupBy: ["region"]))
            #expect(
                byRegion.rows == [
                    statsRow([""], [2], nodes: 2), statsRow(["north"], [4], nodes: 3),
                    statsRow(["south"], [2], nodes: 2),
                ])
            let byTier = try await h.stats(EventStatsQuery(model: m, root: "x", groupBy: ["tier"]))
            #expect(
                byTier.rows == [
                    statsRow([""], [1], nodes: 1), statsRow(["1"], [2], nodes: 2), statsRow(["2"], [2], nodes: 1),
                    statsRow(["3"], [2], nodes: 2), statsRow(["10"], [1], nodes: 1),
                ])
            let byVIP = try await h.stats(EventStatsQuery(model: m, root: "x", groupBy: ["vip"], measures: ["mins"]))
            #expect(
                byVIP.rows == [
                    statsRow([""], [20], nodes: 1), statsRow(["false"], [6], nodes: 2),
                    statsRow(["true"], [24], nodes: 4),
                ])
            let northOnly = try await h.stats(
                EventStatsQuery(
                    model: m, root: "x", filter: [ValueMatch(name: "region", values: ["north"])], measures: ["mins"]))
            #expect(northOnly.totals == [37] && northOnly.nodesInScope == 3)
        }
    }
}
