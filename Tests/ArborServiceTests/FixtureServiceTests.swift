import ArborFixtures
import ArborModel
import ArborService
import ArborTestSupport
import ArborWire
import Testing

/// Every hand-built case answered through the service from the snapshot and live, both equal to the
/// hand-written expectation, each with a truthful `meta`.
@Suite struct FixtureServiceTests {
    @Test(arguments: HandBuiltGraphs.all.map(\.name))
    func cacheAndLiveBothAnswerAsWrittenByHand(graphName: String) async throws {
        let graph = try #require(HandBuiltGraphs.all.first { $0.name == graphName })
        try await TestDatabase.withMigrated("fixture \(graphName)") { _, client in
            try await GraphLoader.load(graph, into: client)
            let harness = ServiceHarness(client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            let snapshotVersion = try #require(harness.snapshots.current?.stamp.version)
            for fixture in graph.cases {
                let expected = fixture.expectedAnswer
                let cached = await harness.run(fixture, nil)
                #expect(cached.answer.matches(expected), "\(graphName) / \(fixture.label): cache")
                if case .success = cached.answer {
                    #expect(cached.meta?.source == .cache && cached.meta?.version == snapshotVersion)
                }
                let live = await harness.run(fixture, ArborV1.Freshness(requireLive: true))
                #expect(live.answer.matches(expected), "\(graphName) / \(fixture.label): live")
                if case .success = live.answer {
                    #expect(live.meta?.source == .live && (live.meta?.version ?? 0) >= snapshotVersion)
                }
            }
        }
    }
}
