import ArborClient
import ArborFixtures
import ArborIndex
import ArborModel
import ArborService
import ArborStore
import ArborTestSupport
import ArborWire
import Foundation
import Testing

/// The freshness contract against a real database: writes reach the snapshot on schedule, `min_version` never
/// sees older data, `require_live` is always live, and a refresh racing writers loses nothing.
@Suite struct FreshnessTests {
    static let tree = HandBuiltGraphs.all.first { $0.name.lowercased().contains("tree") }!
    static let root = tree.users.first { $0.name == "Asha" }!.id

    static func totalRequest(_ freshness: ArborV1.Freshness? = nil) -> ArborV1.FilteredStatsRequest {
        FilteredStatsQuery(root: root).wire(freshness)
    }

    static func insertRegistration(_ client: PostgresClient) async throws -> UInt64 {
        try await client.withTransaction { connection in
            try connection.execute(
                "INSERT INTO registrations (created_by, created_at, registration_type, channel) VALUES ($1, now(), 'NEW', 'APP')",
                [.uuid(root.foundationUUID)])
        }
        return try await client.withConnection { try $0.currentVersion() }
    }

    @Test func aCommittedWriteIsAnsweredFromTheCacheWithinTheRefreshIntervalPlusOneSecond() async throws {
        try await TestDatabase.withMigrated { _, client in
            try await GraphLoader.load(Self.tree, into: client)
            let interval = Duration.milliseconds(1000)
            let harness = ServiceHarness(client: client, refreshInterval: interval)
            let refreshing = Task { await harness.refresher.run() }
            defer { refreshing.cancel() }
            while harness.snapshots.current == nil { try await Task.sleep(for: .milliseconds(20)) }
            let before = try await harness.service.filteredStats(Self.totalRequest(), deadline: nil)

            _ = try await Self.insertRegistration(client)
            let committed = ContinuousClock.now
            var after = before
            while after.totalRegistrations == before.totalRegistrations, ContinuousClock.now - committed < .seconds(10)
            {
                try await Task.sleep(for: .milliseconds(20))
                after = try await harness.service.filteredStats(Self.totalRequest(), deadline: nil)
            }
            let elapsed = ContinuousClock.now - committed
            #expect(after.totalRegistrations == before.totalRegistrations + 1)
            #expect(after.meta?.source == .cache)
            #expect(elapsed <= interval + .seconds(1), "the write reached the cache after \(elapsed)")
        }
    }

    @Test func aRequestCarryingTheVersionOfAWriteNeverSeesOlderData() async throws {
        try await TestDatabase.withMigrated { _, client in
            try await GraphLoader.load(Self.tree, into: client)
            let harness = ServiceHarness(client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            let before = try await harness.service.filteredStats(Self.totalRequest(), deadline: nil)
            #expect(before.meta?.source == .cache)

            let version = try await Self.insertRegistration(client)
            let fresh = ArborV1.Freshness(minVersion: version)
            let afterWrite = try await harness.service.filteredStats(Self.totalRequest(fresh), deadline: nil)
            #expect(afterWrite.totalRegistrations == before.totalRegistrations + 1)
            // Live reads take a new snapshot, which holds every committed write; its version (xmin) may still be
            // below the token while other transactions on the cluster run.
            #expect(afterWrite.meta?.source == .live)
            // Without the token the stale-but-allowed snapshot still answers, showing why the token matters.
            let withoutToken = try await harness.service.filteredStats(Self.totalRequest(), deadline: nil)
            #expect(withoutToken.meta?.source == .cache && withoutToken.totalRegistrations == before.totalRegistrations)

            // The snapshot answers once its own version reaches the token: refresh until it does (other tests'
            // transactions can hold the horizon back for a moment).
            let started = ContinuousClock.now
            repeat {
                try await harness.refresher.refresh()
            } while (harness.snapshots.current?.stamp.version ?? 0) < version
                && ContinuousClock.now - started < .seconds(30)
            let refreshed = try await harness.service.filteredStats(Self.totalRequest(fresh), deadline: nil)
            #expect(refreshed.meta?.source == .cache && (refreshed.meta?.version ?? 0) >= version)
            #expect(refreshed.totalRegistrations == before.totalRegistrations + 1)
        }
    }

    /// A version the database has not reached names data that does not exist: refused at once, never answered
    /// from an older state, whatever source would otherwise answer.
    @Test func aMinVersionAheadOfTheDatabaseIsOutOfRangeAtOnce() async throws {
        try await TestDatabase.withMigrated { _, client in
            try await GraphLoader.load(Self.tree, into: client)
            let harness = ServiceHarness(client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            let current = try await client.withConnection { try $0.currentVersion() }
            for freshness in [
                ArborV1.Freshness(minVersion: current + 1_000_000), ArborV1.Freshness(minVersion: UInt64.max),
                ArborV1.Freshness(requireLive: true, minVersion: current + 1_000_000),
            ] {
                let started = ContinuousClock.now
                await #expect {
                    _ = try await harness.service.filteredStats(
                        Self.totalRequest(freshness), deadline: .now + .seconds(5))
                } throws: { error in
                    (error as? RPCError)?.code == .outOfRange
                        && (error as? RPCError)?.message.contains("ahead of the database") == true
                }
                #expect(ContinuousClock.now - started < .seconds(2))
            }
            // The database's own current version names data that exists: it is answered.
            let answer = try await harness.service.filteredStats(
                Self.totalRequest(ArborV1.Freshness(minVersion: current)), deadline: .now + .seconds(5))
            #expect(try #require(answer.meta).version >= current || answer.meta?.source == .live)
        }
    }

    @Test func requireLiveAlwaysAnswersLive() async throws {
        try await TestDatabase.withMigrated { _, client in
            try await GraphLoader.load(Self.tree, into: client)
            let harness = ServiceHarness(client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            let live = ArborV1.Freshness(maxStalenessMs: 3_600_000, requireLive: true)
            for fixture in Self.tree.cases {
                let (answer, meta) = await harness.run(fixture, live)
                if case .success = answer { #expect(meta?.source == .live, "\(fixture.label)") }
            }
        }
    }

    @Test func aRefreshRacingWritersLosesATransactionThatCommitsAfterALaterOne() async throws {
        try await TestDatabase.withMigrated { configuration, client in
            try await GraphLoader.load(Self.tree, into: client)
            let harness = ServiceHarness(client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            let before = try await harness.service.filteredStats(Self.totalRequest(), deadline: nil)

            // The earlier transaction writes first and commits last. Its registration is a child's, so the two
            // writers update different rollup rows and rollup packs and neither waits for the other's lock (writers
            // of one user's month serialise on its pack).
            let child = try #require(Self.tree.edges.first { $0.parent == Self.root && $0.child != Self.root }).child
            let early = try PostgresConnection.connect(configuration: configuration)
            try early.execute("BEGIN")
            try early.execute(
                "INSERT INTO registrations (created_by, created_at, registration_type, channel) VALUES ($1, now(), 'NEW', 'WEB')",
                [.uuid(child.foundationUUID)])
            _ = try await Self.insertRegistration(client)
            try await harness.refresher.refresh()
            let between = try await harness.service.filteredStats(Self.totalRequest(), deadline: nil)
            #expect(between.totalRegistrations == before.totalRegistrations + 1)
            try early.execute("COMMIT")

            try await harness.refresher.refresh()
            let cached = try await harness.service.filteredStats(Self.totalRequest(), deadline: nil)
            let live = try await harness.service.filteredStats(
                Self.totalRequest(ArborV1.Freshness(requireLive: true)), deadline: nil)
            #expect(cached.meta?.source == .cache)
            #expect(cached.totalRegistrations == before.totalRegistrations + 2)
            #expect(cached.totalRegistrations == live.totalRegistrations)
        }
    }

    @Test func unchangedRepublishesRegistrationsApplyIncrementallyOtherChangesRebuild() async throws {
        try await TestDatabase.withMigrated { _, client in
            try await GraphLoader.load(Self.tree, into: client)
            let harness = ServiceHarness(client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            let first = try #require(harness.snapshots.current)
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await harness.refresher.refresh() == .unchanged)
            let second = try #require(harness.snapshots.current)
            #expect(first.index === second.index)
            #expect(second.stamp.asOfUnixMs > first.stamp.asOfUnixMs)
            // Registrations are applied as rollup deltas; the cached answer then equals the live one.
            _ = try await Self.insertRegistration(client)
            guard case .incremental(let deltas, _) = try await harness.refresher.refresh() else {
                Issue.record("new registrations must be applied incrementally")
                return
            }
            #expect(deltas == 1)
            let cached = try await harness.service.filteredStats(Self.totalRequest(), deadline: nil)
            let live = try await harness.service.filteredStats(
                Self.totalRequest(ArborV1.Freshness(requireLive: true)), deadline: nil)
            #expect(cached.meta?.source == .cache)
            #expect(ResponseDecoding.stats(cached).value == ResponseDecoding.stats(live).value)
            // Anything else (here a new user) rebuilds the whole snapshot.
            try await client.withTransaction { connection in
                try connection.execute("INSERT INTO users (id, name) VALUES (gen_random_uuid(), 'Newcomer')")
            }
            guard case .fullLoad = try await harness.refresher.refresh() else {
                Issue.record("a new user must rebuild the snapshot")
                return
            }
        }
    }

    @Test func theChangeLogIsPrunedAfterItsRetentionAndAnOldSnapshotReloadsEverything() async throws {
        try await TestDatabase.withMigrated { _, client in
            try await GraphLoader.load(Self.tree, into: client)
            let snapshots = SnapshotHolder<IndexSnapshot>()
            let refresher = Refresher(
                client: client, snapshots: snapshots, health: nil,
                configuration: .init(changeLogRetention: .milliseconds(800)), logger: TestDatabase.logger)
            try await refresher.refresh()
            _ = try await Self.insertRegistration(client)
            func logged() async throws -> Int {
                try await client.withConnection {
                    try $0.query("SELECT count(*) FROM arbor.change_log").first!.decode(Int.self, at: 0)
                }
            }
            #expect(try await logged() > 0)
            try await Task.sleep(for: .milliseconds(900))
            // Older than half the retention: entries it would need may be gone, so it reloads (and prunes).
            guard case .fullLoad = try await refresher.refresh() else {
                Issue.record("a snapshot older than half the retention must reload everything")
                return
            }
            #expect(try await logged() == 0)
            #expect(try await refresher.refresh() == .unchanged)
        }
    }

    @Test func aDeadlineThatHasPassedIsDeadlineExceededFromEitherSource() async throws {
        try await TestDatabase.withMigrated { _, client in
            try await GraphLoader.load(Self.tree, into: client)
            let harness = ServiceHarness(client: client)
            try await harness.refresher.refresh(forceFullLoad: true)
            for freshness in [nil, ArborV1.Freshness(requireLive: true)] {
                do {
                    _ = try await harness.service.filteredStats(
                        Self.totalRequest(freshness), deadline: .now - .microseconds(1))
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
