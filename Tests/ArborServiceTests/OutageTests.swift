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
        let model = try await DemoTree.install(into: client)

        let harness = ServiceHarness(
            model: model, client: client, maxStaleness: .milliseconds(300), staleIfError: .seconds(3600),
            refreshInterval: .milliseconds(300))
        let refreshing = Task { await harness.refresher.run() }
        try await harness.firstSnapshot()
        let healthy = try await harness.total()

        try cluster.stop()
        try await Task.sleep(for: .milliseconds(700))
        let stale = try await harness.total(deadline: .now + .seconds(5))
        #expect(stale.meta?.source == .cache && stale.meta?.stale == true)
        #expect(stale.count == healthy.count)

        for freshness in [ArborV2.Freshness(requireLive: true), ArborV2.Freshness(minVersion: UInt64.max)] {
            let started = ContinuousClock.now
            do {
                _ = try await harness.total(freshness, deadline: .now + .seconds(2))
                Issue.record("a live-only read answered while PostgreSQL was down")
            } catch let error as RPCError {
                #expect(error.code == .unavailable, "\(error)")
            } catch {
                Issue.record("unexpected error \(error)")
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
        let recovered = try await harness.total()
        #expect(recovered.meta?.stale == false)
        let live = try await harness.total(ArborV2.Freshness(requireLive: true), deadline: .now + .seconds(5))
        #expect(live.meta?.source == .live && live.count == healthy.count)

        refreshing.cancel()
        await refreshing.value
        await client.shutdown()
    }
}
