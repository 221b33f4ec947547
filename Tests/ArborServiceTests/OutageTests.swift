import ArborFixtures
import ArborModel
import ArborService
import ArborStore
import ArborTestSupport
import ArborWire
import Testing

/// PostgreSQL stopped under a running service, on a private cluster (the shared one must keep running).
@Suite struct OutageTests {
    @Test func cacheKeepsAnsweringLiveOnlyReadsFailAndRefreshResumes() async throws {
        let cluster = try PrivateCluster()
        defer { cluster.destroy() }
        try cluster.start()
        let client = PostgresClient(
            configuration: try cluster.configuration, maxConnections: 4, logger: TestDatabase.logger)
        try await MigrationRunner(client: client).migrate(timeZone: "UTC")
        try await GraphLoader.load(FreshnessTests.tree, into: client)

        let harness = ServiceHarness(
            client: client, maxStaleness: .milliseconds(300), staleIfError: .seconds(3600),
            refreshInterval: .milliseconds(300))
        let refreshing = Task { await harness.refresher.run() }
        while harness.snapshots.current == nil { try await Task.sleep(for: .milliseconds(20)) }
        let request = FreshnessTests.totalRequest()
        let healthy = try await harness.service.filteredStats(request, deadline: nil)

        try cluster.stop()
        try await Task.sleep(for: .milliseconds(700))
        let stale = try await harness.service.filteredStats(request, deadline: .now + .seconds(5))
        #expect(stale.meta?.source == .cache && stale.meta?.stale == true)
        #expect(stale.totalRegistrations == healthy.totalRegistrations)

        for freshness in [ArborV1.Freshness(requireLive: true), ArborV1.Freshness(minVersion: UInt64.max)] {
            let started = ContinuousClock.now
            do {
                _ = try await harness.service.filteredStats(
                    FreshnessTests.totalRequest(freshness), deadline: .now + .seconds(2))
                Issue.record("a live-only read answered while PostgreSQL was down")
            } catch {
                #expect(error.code == .unavailable, "\(error)")
            }
            #expect(ContinuousClock.now - started < .seconds(2))
        }

        try cluster.start()
        let restarted = WallClock.nowUnixMs()
        let back = ContinuousClock.now
        while (harness.snapshots.current?.stamp.asOfUnixMs ?? 0) < restarted, ContinuousClock.now - back < .seconds(15)
        {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(ContinuousClock.now - back <= .seconds(5), "refresh resumed after \(ContinuousClock.now - back)")
        let recovered = try await harness.service.filteredStats(request, deadline: nil)
        #expect(recovered.meta?.stale == false)
        let live = try await harness.service.filteredStats(
            FreshnessTests.totalRequest(ArborV1.Freshness(requireLive: true)), deadline: .now + .seconds(5))
        #expect(live.meta?.source == .live && live.totalRegistrations == healthy.totalRegistrations)

        refreshing.cancel()
        await refreshing.value
        await client.shutdown()
    }
}
