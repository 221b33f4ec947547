import ArborClient
import Foundation
import Testing

/// The Swift client library against the fixture server: every call, typed answers, pooling, deadlines, streaming.
@Suite("ArborClient end to end")
struct ArborClientEndToEndTests {
    static let raj = UserID(uuidString: "00000000-0000-4000-8000-000000000001")!
    static let ashaCPOC = UserID(uuidString: "00000000-0000-4000-8000-000000000002")!
    static let ashaDPOC = UserID(uuidString: "00000000-0000-4000-8000-000000000003")!
    static let cycle = [
        UserID(uuidString: "00000000-0000-4000-8000-000000000008")!,
        UserID(uuidString: "00000000-0000-4000-8000-000000000009")!,
    ]

    static func withClient<T>(
        connections: Int = 2, _ body: (ArborClient) async throws -> T
    ) async throws -> T {
        let server = try await FixtureServer.get()
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

    @Test("every call answers with typed values and meta")
    func everyCall() async throws {
        try await Self.withClient { client in
            #expect(try await client.health() == .serving)

            let (entries, summary) = try await client.descendants(DescendantsQuery(root: Self.raj), freshness: .live)
                .collect()
            #expect(entries.count == 8 && summary.total == 8)
            #expect(entries.first == DescendantEntry(id: Self.ashaCPOC, depth: 1))
            #expect(entries.last == DescendantEntry(id: Self.cycle[1], depth: 4))
            #expect(summary.meta.source == .live && summary.meta.version > 0 && summary.meta.asOfUnixMilliseconds > 0)

            let stats = try await client.filteredStats(
                FilteredStatsQuery(
                    root: Self.raj, registrations: RegistrationFilter(from: Day(iso: "2026-01-11")), groupBy: [.day]),
                freshness: .live)
            #expect(stats.value.rows.map(\.keys) == [["2026-01-11"], ["2026-01-12"]])
            #expect(stats.value.totalRegistrations == 3)

            let board = try await client.leaderboard(
                LeaderboardQuery(metric: .downlineSize, limit: 2), freshness: Freshness(maxStaleness: .seconds(3600)))
            #expect(board.value.rows.map(\.userID) == [Self.raj, Self.ashaCPOC])
            #expect(board.value.rows.map(\.rank) == [1, 2])
            #expect(board.value.totalRanked == 10)
            #expect(board.meta.source == .cache)

            let cycles = try await client.cycles(freshness: Freshness(maxStaleness: .seconds(3600)))
            #expect(cycles.value.cycles == [Self.cycle] && cycles.value.total == 1)
            let liveCycles = try await client.cycles(freshness: .live)
            #expect(liveCycles.value == cycles.value && liveCycles.meta.source == .live)

            let users = try await client.users(namePrefix: "ASHA", freshness: .live)
            #expect(users.value.map(\.id) == [Self.ashaCPOC, Self.ashaDPOC])
            let byID = try await client.users(ids: [Self.raj, Self.raj, UserID(high: 0, low: 255)])
            #expect(byID.value.keys.sorted() == [Self.raj] && byID.value[Self.raj]?.name == "Raj Kumar")
        }
    }

    @Test("raw messages in, raw messages out")
    func rawMessages() async throws {
        try await Self.withClient { client in
            let stats = try await client.filteredStats(
                ArborV1.FilteredStatsRequest(root: Self.raj.bytes, freshness: ArborV1.Freshness(requireLive: true)))
            #expect(stats.totalRegistrations == 9 && stats.meta?.source == .live)
            let board = try await client.leaderboard(ArborV1.LeaderboardRequest(limit: 1))
            #expect(board.rows.map(\.userID) == [Self.raj.bytes])
            let users = try await client.findUsers(ArborV1.FindUsersRequest(ids: Self.raj.bytes))
            #expect(users.users.map(\.name) == ["Raj Kumar"])
            let cycles = try await client.cycles(
                ArborV1.CyclesRequest(freshness: ArborV1.Freshness(maxStalenessMs: 3_600_000)))
            #expect(cycles.total == 1)
            let health = try await client.health(GRPCHealthV1.HealthCheckRequest())
            #expect(health.status == .serving)
            var chunks = 0
            for try await chunk in try await client.descendants(ArborV1.DescendantsRequest(root: Self.raj.bytes))
                .messages
            {
                chunks += 1
                #expect(chunk.ids.count == chunk.depths.count * 16)
            }
            #expect(chunks >= 1)
        }
    }

    @Test("server errors arrive as RPCError with status and message")
    func errors() async throws {
        try await Self.withClient { client in
            do throws(RPCError) {
                _ = try await client.filteredStats(
                    FilteredStatsQuery(root: Self.raj, userFilter: UserFilter(roles: ["WIZARD"])))
                Issue.record("an unknown role was accepted")
            } catch {
                #expect(error.code == .invalidArgument && !error.message.isEmpty)
            }
            do throws(RPCError) {
                _ = try await client.descendants(DescendantsQuery(root: UserID(high: 0, low: 255))).collect()
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
    }

    @Test("a deadline that passes is DEADLINE_EXCEEDED, and the client stays usable")
    func deadline() async throws {
        try await Self.withClient(connections: 1) { client in
            do throws(RPCError) {
                _ = try await client.filteredStats(
                    FilteredStatsQuery(root: Self.raj), freshness: .live, timeout: .nanoseconds(1))
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
        try await Self.withClient(connections: 3) { client in
            let totals = try await withThrowingTaskGroup(of: UInt64.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        if index % 2 == 0 {
                            return try await client.filteredStats(FilteredStatsQuery(root: Self.raj)).value
                                .totalRegistrations
                        }
                        return try await client.descendants(DescendantsQuery(root: Self.raj)).collect().summary.total
                    }
                }
                var totals: [UInt64] = []
                for try await total in group { totals.append(total) }
                return totals
            }
            #expect(totals.count == 200)
            #expect(Set(totals) == [9, 8])
        }
    }

    @Test("stopping a Descendants iteration early ends the call; entries stream one by one")
    func earlyStop() async throws {
        try await Self.withClient(connections: 1) { client in
            var iterator = try await client.descendants(DescendantsQuery(root: Self.raj)).makeAsyncIterator()
            let first = try await iterator.next()
            #expect(first?.id == Self.ashaCPOC)
            var count = 1
            while try await iterator.next() != nil { count += 1 }
            #expect(count == 8 && iterator.summary?.total == 8)

            for _ in 0..<20 {
                for try await _ in try await client.descendants(DescendantsQuery(root: Self.raj)) { break }
            }
            #expect(try await client.health() == .serving)
        }
    }
}
