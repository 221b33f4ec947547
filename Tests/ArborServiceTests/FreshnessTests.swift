import ArborIndex
import ArborModel
import ArborService
import ArborStore
import ArborTestSupport
import ArborWire
import Foundation
import Testing

/// The freshness contract against a real database, through the service on the built-in model: writes reach the
/// snapshot on schedule, `min_version` never sees older data, `require_live` is always live, and a refresh racing
/// writers loses nothing.
@Suite struct FreshnessTests {
    @Test func aCommittedWriteIsAnsweredFromTheCacheWithinTheRefreshIntervalPlusOneSecond() async throws {
        try await TestDatabase.withClient { client in
            let model = try await DemoTree.install(into: client)
            let interval = Duration.milliseconds(1000)
            let harness = ServiceHarness(model: model, client: client, refreshInterval: interval)
            let refreshing = Task { await harness.refresher.run() }
            defer { refreshing.cancel() }
            try await harness.firstSnapshot()
            let before = try await harness.total()

            _ = try await DemoTree.register(client: client)
            let committed = ContinuousClock.now
            var after = before
            while after.count == before.count, ContinuousClock.now - committed < .seconds(10) {
                try await Task.sleep(for: .milliseconds(20))
                after = try await harness.total()
            }
            let elapsed = ContinuousClock.now - committed
            #expect(after.count == before.count + 1)
            #expect(after.meta?.source == .cache)
            #expect(elapsed <= interval + .seconds(1), "the write reached the cache after \(elapsed)")
        }
    }

    @Test func aRequestCarryingTheVersionOfAWriteNeverSeesOlderData() async throws {
        try await TestDatabase.withClient { client in
            let model = try await DemoTree.install(into: client)
            let harness = ServiceHarness(model: model, client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            let before = try await harness.total()
            #expect(before.meta?.source == .cache && before.count == DemoTree.totalRegistrations)

            let version = try await DemoTree.register(client: client)
            let fresh = ArborV2.Freshness(minVersion: version)
            let afterWrite = try await harness.total(fresh)
            #expect(afterWrite.count == before.count + 1)
            // Live reads take a new snapshot, which holds every committed write; its version (xmin) may still be
            // below the token while other transactions on the cluster run.
            #expect(afterWrite.meta?.source == .live)
            // Without the token the stale-but-allowed snapshot still answers, showing why the token matters.
            let withoutToken = try await harness.total()
            #expect(withoutToken.meta?.source == .cache && withoutToken.count == before.count)

            // The snapshot answers once its own version reaches the token: refresh until it does (other tests'
            // transactions can hold the horizon back for a moment).
            let started = ContinuousClock.now
            repeat {
                try await harness.refresher.refresh()
            } while (harness.snapshots.current?.stamp.version ?? 0) < version
                && ContinuousClock.now - started < .seconds(30)
            let refreshed = try await harness.total(fresh)
            #expect(refreshed.meta?.source == .cache && (refreshed.meta?.version ?? 0) >= version)
            #expect(refreshed.count == before.count + 1)
        }
    }

    /// A version the database has not reached names data that does not exist: refused at once, never answered
    /// from an older state, whatever source would otherwise answer.
    @Test func aMinVersionAheadOfTheDatabaseIsOutOfRangeAtOnce() async throws {
        try await TestDatabase.withClient { client in
            let model = try await DemoTree.install(into: client)
            let harness = ServiceHarness(model: model, client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            let current = try await client.withConnection { try $0.currentVersion() }
            for freshness in [
                ArborV2.Freshness(minVersion: current + 1_000_000), ArborV2.Freshness(minVersion: UInt64.max),
                ArborV2.Freshness(requireLive: true, minVersion: current + 1_000_000),
            ] {
                let started = ContinuousClock.now
                await #expect {
                    _ = try await harness.total(freshness, deadline: .now + .seconds(5))
                } throws: { error in
                    (error as? RPCError)?.code == .outOfRange
                        && (error as? RPCError)?.message.contains("ahead of the database") == true
                }
                #expect(ContinuousClock.now - started < .seconds(2))
            }
            // The database's own current version names data that exists: it is answered.
            let answer = try await harness.total(ArborV2.Freshness(minVersion: current), deadline: .now + .seconds(5))
            #expect(try #require(answer.meta).version >= current || answer.meta?.source == .live)
        }
    }

    @Test func requireLiveAlwaysAnswersLive() async throws {
        try await TestDatabase.withClient { client in
            let model = try await DemoTree.install(into: client)
            let harness = ServiceHarness(model: model, client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            let live = ArborV2.Freshness(maxStalenessMs: 3_600_000, requireLive: true)
            let service = harness.service
            let traversal = ArborV2.TraversalRequest(root: DemoTree.root, freshness: live)
            var metas: [(String, ArborV2.ResponseMeta?)] = [
                ("Describe", try await service.describe(ArborV2.DescribeRequest(freshness: live), deadline: nil).meta),
                ("FilteredStats", try await harness.total(live).meta),
                (
                    "Leaderboard",
                    try await service.leaderboard(ArborV2.LeaderboardRequest(freshness: live), deadline: nil).meta
                ),
                ("Cycles", try await service.cycles(ArborV2.CyclesRequest(freshness: live), deadline: nil).meta),
                (
                    "FindNodes",
                    try await service.findNodes(
                        ArborV2.FindNodesRequest(labelPrefix: "a", freshness: live), deadline: nil
                    ).meta
                ),
            ]
            for direction in [NodeTraversalQuery.Direction.descendants, .ancestors] {
                let chunks = try await service.traverse(traversal, direction: direction, deadline: nil)
                metas.append(("\(direction)", chunks.last?.meta))
            }
            for (call, meta) in metas { #expect(meta?.source == .live, "\(call)") }
            // The same calls without require_live come from the snapshot.
            #expect(try await harness.total().meta?.source == .cache)
        }
    }

    @Test func aRefreshRacingWritersLosesATransactionThatCommitsAfterALaterOne() async throws {
        try await TestDatabase.with { configuration in
            try await TestDatabase.withClient(on: configuration) { client in
                let model = try await DemoTree.install(into: client)
                let harness = ServiceHarness(model: model, client: client)
                try await harness.refresher.refresh(forceFullLoad: true)
                let before = try await harness.total()

                // The earlier transaction writes first and commits last. Its registration is a child's, so the two
                // writers update different rollup rows and neither waits for the other's lock.
                let early = try PostgresConnection.connect(configuration: configuration)
                try early.execute("BEGIN")
                try early.execute(
                    """
                    INSERT INTO registrations (created_by, created_at, registration_type, channel)
                    VALUES ($1::text::uuid, now(), 'NEW', 'WEB')
                    """, [.text(DemoTree.id("Ira"))])
                _ = try await DemoTree.register(client: client)
                try await harness.refresher.refresh()
                let between = try await harness.total()
                #expect(between.count == before.count + 1)
                try early.execute("COMMIT")

                try await harness.refresher.refresh()
                let cached = try await harness.total()
                let live = try await harness.total(ArborV2.Freshness(requireLive: true))
                #expect(cached.meta?.source == .cache)
                #expect(cached.count == before.count + 2)
                #expect(cached.count == live.count)
            }
        }
    }

    @Test func unchangedRepublishesAndWritesApplyIncrementally() async throws {
        try await TestDatabase.withClient { client in
            let model = try await DemoTree.install(into: client)
            let harness = ServiceHarness(model: model, client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            let first = try #require(harness.snapshots.current)
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await harness.refresher.refresh() == .unchanged)
            let second = try #require(harness.snapshots.current)
            #expect(first.index === second.index)
            #expect(second.stamp.asOfUnixMs > first.stamp.asOfUnixMs)
            // Registrations and a new user are applied to the published index; the cached answer then equals the
            // live one.
            _ = try await DemoTree.register(client: client)
            try await client.withTransaction { connection in
                try connection.execute(
                    "INSERT INTO users (id, name, role) VALUES (gen_random_uuid(), 'Newcomer', 'VOLUNTEER')")
            }
            guard case .incremental = try await harness.refresher.refresh() else {
                Issue.record("new registrations and users must be applied incrementally")
                return
            }
            let cached = try await harness.service.filteredStats(ServiceHarness.totalRequest(), deadline: nil)
            let live = try await harness.service.filteredStats(
                ServiceHarness.totalRequest(ArborV2.Freshness(requireLive: true)), deadline: nil)
            #expect(cached.meta?.source == .cache && live.meta?.source == .live)
            #expect(cached.totals == live.totals && cached.rows == live.rows)
            #expect(cached.totals == [DemoTree.totalRegistrations + 1])
            let found = try await harness.service.findNodes(
                ArborV2.FindNodesRequest(labelPrefix: "newcomer"), deadline: nil)
            #expect(found.nodes.map(\.label) == ["Newcomer"] && found.meta?.source == .cache)
        }
    }

    @Test func theChangeLogIsPrunedAfterItsRetentionAndAnOldSnapshotReloadsEverything() async throws {
        try await TestDatabase.withClient { client in
            let model = try await DemoTree.install(into: client)
            let harness = ServiceHarness(model: model, client: client, changeLogRetention: .milliseconds(800))
            try await harness.refresher.refresh()
            _ = try await DemoTree.register(client: client)
            func logged() async throws -> Int {
                try await client.withConnection {
                    try $0.query("SELECT count(*) FROM arbor.model_changes").first!.decode(Int.self, at: 0)
                }
            }
            #expect(try await logged() > 0)
            try await Task.sleep(for: .milliseconds(900))
            // Older than half the retention: entries it would need may be gone, so it reloads (and prunes).
            guard case .fullLoad = try await harness.refresher.refresh() else {
                Issue.record("a snapshot older than half the retention must reload everything")
                return
            }
            #expect(try await logged() == 0)
            #expect(try await harness.refresher.refresh() == .unchanged)
        }
    }

    @Test func aDeadlineThatHasPassedIsDeadlineExceededFromEitherSource() async throws {
        try await TestDatabase.withClient { client in
            let model = try await DemoTree.install(into: client)
            let harness = ServiceHarness(model: model, client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            for freshness in [nil, ArborV2.Freshness(requireLive: true)] {
                do {
                    _ = try await harness.total(freshness, deadline: .now - .microseconds(1))
                    Issue.record("an expired call answered")
                } catch let error as RPCError {
                    #expect(error.code == .deadlineExceeded)
                } catch {
                    Issue.record("unexpected error \(error)")
                }
            }
        }
    }
}
