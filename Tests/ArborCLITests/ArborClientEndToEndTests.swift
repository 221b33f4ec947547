import ArborClient
import Foundation
import Testing

/// The Swift client library against the fixture servers: every call with typed and raw messages, ids of both types,
/// paging, streaming, pooling, deadlines and errors.
@Suite("ArborClient end to end")
struct ArborClientEndToEndTests {
    static func withClient<T>(
        _ fixture: Fixture, connections: Int = 2, _ body: (ArborClient) async throws -> T
    ) async throws -> T {
        let server = try await FixtureServer.get(fixture)
        let client = ArborClient(
            server: server.address, configuration: .init(connections: connections, defaultTimeout: .seconds(10)))
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }

    static let cached = Freshness(maxStaleness: .seconds(3600))

    @Test("describe, traversals, stats, leaderboard, cycles and find on a text-id model")
    func everyCallOnTextIDs() async throws {
        try await Self.withClient(.team) { client in
            #expect(try await client.health() == .serving)

            let model = try await client.describe(freshness: .live)
            #expect(model.value.idType == .text && model.value.timeZone == "Asia/Kolkata" && model.value.hasLabel)
            #expect(model.value.attributes.map(\.name) == ["role", "region", "active", "grade"])
            #expect(model.value.attribute(named: "role")?.closed == true)
            let sales = try #require(model.value.source(named: nil))
            #expect(sales.name == "sales" && sales.dimensions == ["channel", "kind"] && sales.events == 9)
            #expect(sales.measures == [.init(name: "count", scale: 0), .init(name: "amount", scale: 2)])
            #expect(sales.firstDay == Day(iso: "2026-01-10") && sales.lastDay == Day(iso: "2026-01-15"))
            #expect(model.value.source(named: "visits")?.events == 4)
            #expect(model.value.nodes == 11 && model.value.edges == 11 && model.value.cycleGroups == 1)
            #expect(model.meta.source == .live && model.meta.version > 0 && model.meta.asOfUnixMilliseconds > 0)

            let (nodes, summary) = try await client.descendants(
                TraversalQuery(root: "raj", attributes: ["label", "role"], includeParents: true), freshness: .live
            ).collect()
            #expect(nodes.map(\.id) == ["asha.c", "asha.d", "meena", "ravi", "sunil", "loop.1", "priya", "loop.2"])
            #expect(nodes.map(\.depth) == [1, 1, 2, 2, 2, 3, 3, 4])
            #expect(
                nodes[2]
                    == TraversedNode(id: "meena", depth: 2, parent: "asha.c", values: ["Meena Kumari", "VOLUNTEER"]))
            #expect(summary.total == 8 && summary.meta.source == .live)

            let ancestors = try await client.ancestors(TraversalQuery(root: "loop.2"), freshness: Self.cached).collect()
            #expect(ancestors.nodes.map(\.id) == ["loop.1", "ravi", "asha.d", "raj"])
            #expect(ancestors.nodes.allSatisfy { $0.parent == nil && $0.values.isEmpty })
            #expect(ancestors.summary.meta.source == .cache)

            let stats = try await client.filteredStats(
                StatsQuery(
                    root: "raj", filter: [Match("role", in: ["VOLUNTEER"])],
                    events: EventScope(match: [Match("channel", notIn: ["web"])], from: Day(iso: "2026-01-11")),
                    groupBy: ["node"], measures: ["amount", "count"]),
                freshness: .live)
            #expect(
                stats.value.rows == [
                    .init(keys: ["loop.2"], values: [100, 1], nodes: 1),
                    .init(keys: ["meena"], values: [0, 1], nodes: 1),
                    .init(keys: ["priya"], values: [25000, 1], nodes: 1),
                    .init(keys: ["ravi"], values: [9999, 1], nodes: 1),
                ])
            #expect(stats.value.totals == [35099, 4] && stats.value.nodesInScope == 5)
            #expect(stats.value.nextPageToken == nil)

            let board = try await client.leaderboard(
                LeaderboardQuery(
                    metric: .treeMeasure, measure: "amount", downlineFilter: [Match("region", in: ["east"])],
                    breakdownBy: "region", attributes: ["role"], limit: 1),
                freshness: .live)
            let top = try #require(board.value.rows.first)
            #expect(top.rank == 1 && top.id == "raj" && top.label == "Raj Kumar" && top.attributes == ["role": "RM"])
            #expect(top.selfMeasures == [1, 10000] && top.treeMeasures == [7, 35784])
            #expect(top.directChildren == 2 && top.downlineSize == 8 && top.downlineMatching == 2)
            #expect(top.breakdown.map(\.key) == ["", "east", "north", "south"])
            #expect(top.breakdown.map(\.count) == [1, 2, 3, 2])
            #expect(board.value.totalRanked == 11)

            let cycles = try await client.cycles(freshness: Self.cached)
            #expect(cycles.value == CycleGroups(groups: [["loop.1", "loop.2"]], total: 1))
            #expect(cycles.meta.source == .cache)

            let found = try await client.findNodes(NodeSearch(labelPrefix: "ASHA", attributes: ["role"]))
            #expect(
                found.value.nodes == [
                    NodeRecord(id: "asha.c", label: "Asha Devi", attributes: ["role": "CPOC"]),
                    NodeRecord(id: "asha.d", label: "Asha Devi", attributes: ["role": "DPOC"]),
                ])
            let byID = try await client.nodes(ids: ["raj", "raj", "ghost", "priya"])
            #expect(byID.value.keys.sorted() == ["priya", "raj"])
            #expect(
                byID.value["priya"]?.attributes == ["role": "VOLUNTEER", "region": "", "active": "true", "grade": ""])
        }
    }

    @Test("integer ids come back as decimal text in numeric order")
    func integerIDs() async throws {
        try await Self.withClient(.tasks) { client in
            let model = try await client.describe().value
            #expect(model.idType == .integer && model.timeZone == "UTC")
            #expect(model.idType.accepts("100") && !model.idType.accepts("0100") && !model.idType.accepts("abc"))
            let (nodes, summary) = try await client.descendants(
                TraversalQuery(root: "1", includeParents: true), freshness: .live
            ).collect()
            #expect(nodes.map(\.id) == ["2", "3", "20", "100", "4", "5", "6", "8"])
            #expect(nodes.map(\.parent) == ["1", "1", "1", "1", "2", "3", "3", "6"])
            #expect(summary.total == 8)
            let cycles = try await client.cycles(freshness: .live)
            #expect(cycles.value.groups == [["10", "11"]])
            let board = try await client.leaderboard(LeaderboardQuery(metric: .downlineSize, limit: 5))
            #expect(board.value.rows.map(\.id) == ["1", "3", "2", "6", "10"])
        }
    }

    @Test("paged calls: page by page, all pages, and from a token")
    func paging() async throws {
        try await Self.withClient(.tasks) { client in
            let query = StatsQuery(root: "1", groupBy: ["node"], measures: ["count", "effort"], pageSize: 3)
            var pages: [Answer<StatsPage>] = []
            for try await page in client.filteredStatsPages(query, freshness: .live) { pages.append(page) }
            #expect(pages.map(\.value.rows.count) == [3, 3, 2])
            #expect(pages.allSatisfy { $0.value.totals == [8, 35] && $0.meta.source == .live })
            #expect(pages.last?.value.nextPageToken == nil && pages.first?.value.nextPageToken != nil)

            var whole = query
            whole.pageSize = 0
            let single = try await client.filteredStats(whole).value
            let all = try await client.filteredStatsPages(query).allPages().value
            #expect(
                all.rows == single.rows && all.rows.map { $0.keys[0] } == ["1", "2", "3", "4", "5", "6", "8", "20"])
            #expect(all.totals == single.totals && all.nextPageToken == nil)

            let token = try #require(pages.first?.value.nextPageToken)
            let rest = try await client.filteredStatsPages(query, startingAt: token).allPages().value
            #expect(rest.rows == Array(single.rows.dropFirst(3)))

            let search = NodeSearch(filter: [Match("status", in: ["open"])], pageSize: 2)
            var nodePages = 0
            for try await _ in client.findNodesPages(search) { nodePages += 1 }
            #expect(nodePages == 4)
            let found = try await client.findNodesPages(search).allPages().value.nodes
            #expect(found.map(\.id) == ["8", "3", "1", "10", "11", "100", "5"])
        }
    }

    @Test("raw messages in, raw messages out")
    func rawMessages() async throws {
        try await Self.withClient(.tasks) { client in
            let live = ArborV2.Freshness(requireLive: true)
            let describe = try await client.describe(ArborV2.DescribeRequest(freshness: live))
            #expect(describe.idType == "integer" && describe.meta?.source == .live)
            let stats = try await client.filteredStats(ArborV2.FilteredStatsRequest(root: "1", freshness: live))
            #expect(stats.totals == [8] && stats.rows.first?.values == [8])
            let board = try await client.leaderboard(ArborV2.LeaderboardRequest(orderBy: .downlineSize, limit: 1))
            #expect(board.rows.map(\.id) == ["1"])
            let nodes = try await client.findNodes(ArborV2.FindNodesRequest(ids: ["6"]))
            #expect(nodes.nodes.map(\.label) == ["Fix login"])
            let cycles = try await client.cycles(ArborV2.CyclesRequest(freshness: live))
            #expect(cycles.cycles.first?.members?.ints == [10, 11])
            let health = try await client.health(GRPCHealthV1.HealthCheckRequest())
            #expect(health.status == .serving)
            var ids: [Int64] = []
            for try await chunk in try await client.descendants(ArborV2.TraversalRequest(root: "3")).messages {
                ids += chunk.ids?.ints ?? []
                #expect(chunk.ids?.texts.isEmpty ?? true)
            }
            #expect(ids == [5, 6, 8])
            let (ancestors, _) = try await client.ancestors(ArborV2.TraversalRequest(root: "8", maxDepth: 1)).collect()
            #expect(ancestors.map(\.id) == ["6"])
        }
        try await Self.withClient(.team) { client in
            var texts: [String] = []
            for try await chunk in try await client.ancestors(ArborV2.TraversalRequest(root: "priya")).messages {
                texts += chunk.ids?.texts ?? []
            }
            #expect(texts == ["sunil", "asha.c", "raj"])
        }
    }

    @Test("server errors arrive as RPCError with status and message")
    func errors() async throws {
        try await Self.withClient(.team) { client in
            do throws(RPCError) {
                _ = try await client.filteredStats(StatsQuery(root: "raj", filter: [Match("role", in: ["WIZARD"])]))
                Issue.record("an unknown value of a closed attribute was accepted")
            } catch {
                #expect(error.code == .invalidArgument && error.message.contains("WIZARD"))
            }
            do throws(RPCError) {
                _ = try await client.descendants(TraversalQuery(root: "ghost")).collect()
                Issue.record("an unknown root streamed")
            } catch {
                #expect(error.code == .notFound)
            }
            do throws(RPCError) {
                _ = try await client.health(service: "no.such.Service")
                Issue.record("an unknown service is healthy")
            } catch {
                #expect(error.code == .notFound)
            }
        }
        try await Self.withClient(.tasks) { client in
            do throws(RPCError) {
                _ = try await client.ancestors(TraversalQuery(root: "0100")).collect()
                Issue.record("a non-canonical integer id was accepted")
            } catch {
                #expect(error.code == .invalidArgument)
            }
        }
    }

    @Test("a deadline that passes is DEADLINE_EXCEEDED, and the client stays usable")
    func deadline() async throws {
        try await Self.withClient(.team, connections: 1) { client in
            do throws(RPCError) {
                _ = try await client.filteredStats(
                    StatsQuery(root: "raj"), freshness: .live, timeout: .nanoseconds(1))
                Issue.record("a 1 ns deadline was met")
            } catch {
                #expect(error.code == .deadlineExceeded)
            }
            let status = try await client.health()
            #expect(status == .serving)
        }
    }

    @Test("many concurrent calls share a small pool")
    func concurrency() async throws {
        try await Self.withClient(.team, connections: 3) { client in
            let totals = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        if index % 2 == 0 {
                            return try await client.filteredStats(StatsQuery(root: "raj")).value.totals[0]
                        }
                        return Int64(try await client.descendants(TraversalQuery(root: "raj")).collect().summary.total)
                    }
                }
                var totals: [Int64] = []
                for try await total in group { totals.append(total) }
                return totals
            }
            #expect(totals.count == 200)
            #expect(Set(totals) == [8])
        }
    }

    @Test("stopping a traversal early ends the call; nodes stream one by one")
    func earlyStop() async throws {
        try await Self.withClient(.team, connections: 1) { client in
            var iterator = try await client.descendants(TraversalQuery(root: "raj")).makeAsyncIterator()
            let first = try await iterator.next()
            #expect(first?.id == "asha.c")
            var count = 1
            while try await iterator.next() != nil { count += 1 }
            #expect(count == 8 && iterator.summary?.total == 8)

            for _ in 0..<20 {
                for try await _ in try await client.descendants(TraversalQuery(root: "raj")) { break }
            }
            #expect(try await client.health() == .serving)
        }
    }
}
