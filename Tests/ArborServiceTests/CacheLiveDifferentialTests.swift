import ArborFixtures
import ArborModel
import ArborService
import ArborStore
import ArborTestSupport
import ArborWire
import Testing

/// Hundreds of random graphs (trees, DAGs, cycles, self-edges, ladders, tangles) with random registrations, each
/// loaded into PostgreSQL; random requests of every call answered through the service from the snapshot and from
/// live SQL must be identical, errors included.
@Suite struct CacheLiveDifferentialTests {
    static let graphs = 200
    static let requestsPerCall = 2

    @Test func snapshotAndLiveSQLAnswerEveryRandomRequestIdentically() async throws {
        try await TestDatabase.withMigrated { _, client in
            let harness = ServiceHarness(client: client)
            var compared = 0
            var answered = 0
            for seed in 0..<UInt64(Self.graphs) {
                let graph = RandomGraph(seed: seed &+ 10_000)
                try await Self.replaceData(with: graph, client: client)
                let outcome = try await harness.refresher.refresh(forceFullLoad: true)
                // Packs arrive in PostgreSQL's uuid order, which must be the index's user order.
                guard case .fullLoad(_, _, let inPlace, _) = outcome else {
                    Issue.record("a forced refresh did not load: \(outcome)")
                    continue
                }
                #expect(inPlace, "graph seed \(seed &+ 10_000): packs did not arrive in user order")
                var queries = RandomQueries(
                    random: SeededGenerator(seed: seed &* 31 &+ 7), users: graph.users.map(\.id))
                var cases: [FixtureCase] = []
                for _ in 0..<Self.requestsPerCall {
                    cases.append(
                        .descendants("descendants", queries.descendants(), .success(.init(entries: [], total: 0))))
                    cases.append(
                        .filteredStats(
                            "stats", queries.filteredStats(),
                            .success(.init(rows: [], totalRegistrations: 0, usersInScope: 0))))
                    cases.append(
                        .leaderboard("leaderboard", queries.leaderboard(), .success(.init(rows: [], totalRanked: 0))))
                    cases.append(.findUsers("users", queries.findUsers(), .success(.init(users: []))))
                }
                cases.append(.cycles("cycles", CyclesQuery(limit: 0), .success(.init(cycles: [], total: 0))))
                for fixture in cases {
                    let cached = await harness.run(fixture, nil)
                    let live = await harness.run(fixture, ArborV1.Freshness(requireLive: true))
                    #expect(
                        cached.answer.matches(live.answer), "graph seed \(seed &+ 10_000), \(fixture.label): \(fixture)"
                    )
                    if case .success = cached.answer {
                        #expect(cached.meta?.source == .cache)
                        answered += 1
                    }
                    if case .success = live.answer { #expect(live.meta?.source == .live) }
                    compared += 1
                }
            }
            #expect(compared == Self.graphs * (Self.requestsPerCall * 4 + 1))
            // Most requests must be answered (not refused alike by both paths) for the comparison to mean much.
            #expect(answered > compared * 3 / 4, "only \(answered) of \(compared) requests were answered")
        }
    }

    /// Replaces the application tables' rows with `graph`: edges and rollups of users that do not exist are left
    /// out (the database's foreign keys refuse them), and each rollup becomes that many registrations at noon UTC.
    static func replaceData(with graph: RandomGraph, client: PostgresClient) async throws {
        try await GraphLoader.truncate(client)
        let known = Set(graph.users.map(\.id))
        var seen = Set<EdgeRow>()
        let edges = graph.edges.filter {
            known.contains($0.parent) && known.contains($0.child) && seen.insert($0).inserted
        }
        try await GraphLoader.load(
            roles: graph.roles, users: graph.users, edges: edges,
            registrations: GraphLoader.registrations(reproducing: graph.rollups.filter { known.contains($0.user) }),
            into: client)
    }
}
