import ArborIndex
import ArborModel
import ArborService
import ArborStore
import ArborTestSupport
import Testing

/// Running day totals (what a leaderboard over a window reads instead of rows) against a real refresher: never
/// built on a request, built by the refresher once a leaderboard asked for them, kept through incremental
/// refreshes and full loads, and answering like rows throughout.
@Suite(.serialized) struct RunningTotalsRefreshTests {
    @Test func aLeaderboardsWishIsBuiltByTheRefresherAndKeptOverRefreshes() async throws {
        try await TestDatabase.withClient { client in
            _ = try await DemoOrganisation.seed(
                DemoOrganisation.Options(users: 300, days: 20, registrations: 20_000, seed: 11), client: client)
            let model = try await client.withConnection { try ModelCatalog.check(.demo, on: $0).resolved! }
            let (snapshots, refresher) = try await ModelRefreshTests.installed(model, client: client)
            try await refresher.refresh(forceFullLoad: true)
            let loaded = try #require(snapshots.current).index
            #expect(!loaded.runningTotalsWanted && !loaded.runningTotalsReady)
            let bytesBefore = loaded.approximateByteCount
            // The demo's registrations end yesterday: windows relative to its first day.
            let first = try #require(loaded.facts().sources.first?.firstDay)
            func day(_ offset: Int32) -> String { first.advanced(by: offset).isoString }

            // The first leaderboard reads rows and builds nothing on its way.
            let ranking = try RankingQuery(
                model: model, metric: .treeMeasure, source: "registrations", fromDate: day(2), toDate: day(11),
                limit: 10)
            let fromRows = try loaded.rank(ranking)
            #expect(loaded.runningTotalsWanted && !loaded.runningTotalsReady)
            #expect(loaded.approximateByteCount == bytesBefore)

            // The next refresh (nothing changed) builds them, off the request path.
            #expect(try await refresher.refresh() == .unchanged)
            #expect(loaded.runningTotalsReady)
            #expect(loaded.approximateByteCount > bytesBefore, "the demo's registrations are dense enough for totals")
            #expect(try loaded.rank(ranking) == fromRows)

            // A new registration: the refreshed index carries the totals over and ranks like a full build.
            let raj = try loaded.find(FindNodesQuery(model: model, labelPrefix: "Raj")).nodes.first!.id
            try await client.withConnection { connection in
                try connection.execute(
                    "INSERT INTO public.registrations (created_by, created_at, registration_type, channel) "
                        + "SELECT $1::uuid, created_at, registration_type, channel FROM public.registrations "
                        + "ORDER BY id LIMIT 5",
                    [.text(raj.canonical)])
            }
            guard case .incremental = try await refresher.refresh() else {
                Issue.record("one registration refreshes incrementally")
                return
            }
            let refreshed = try #require(snapshots.current).index
            #expect(refreshed.runningTotalsReady && refreshed.runningTotalsWanted)
            let rows = try await client.withReadOnlySnapshot { try ModelRows.read(model, events: .rollups, on: $0) }
            let built = try ModelIndex(model: model, rows: rows)
            for (from, to) in [("", ""), (day(0), day(0)), (day(4), day(30)), (day(-3), day(1))] {
                let query = try RankingQuery(
                    model: model, metric: .treeMeasure, source: "registrations", fromDate: from, toDate: to,
                    limit: 20)
                #expect(try refreshed.rank(query) == (try built.rank(query)), "\(from)...\(to)")
            }
            #expect(!built.runningTotalsReady)

            // A full load of an index whose totals were wanted builds them right after publishing.
            guard case .fullLoad = try await refresher.refresh(forceFullLoad: true) else {
                Issue.record("a forced refresh loads everything")
                return
            }
            let reloaded = try #require(snapshots.current).index
            #expect(reloaded.runningTotalsReady && reloaded.runningTotalsWanted)
        }
    }
}
