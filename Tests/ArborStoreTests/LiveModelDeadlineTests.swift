import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// A live Leaderboard over everyone on a medium demo organisation takes far longer than 50 ms; given 50 ms it fails
/// with `deadlineExceeded` promptly and the server has stopped the statement.
@Suite struct LiveModelDeadlineTests {
    @Test func leaderboardGivenFiftyMillisecondsIsCancelled() async throws {
        try await TestDatabase.withClient("deadline", maxConnections: 1) { client in
            _ = try await DemoOrganisation.seed(
                DemoOrganisation.Options(users: 8000, days: 30, registrations: 300_000, seed: 3), client: client)
            let model = try await client.withConnection { connection in
                try #require(try ModelCatalog.check(.demo, on: connection).resolved)
            }
            let live = LiveModelQueries(model: model)
            let ranking = try RankingQuery(model: model, metric: .treeMeasure)
            // The dataset is big enough: unbounded, this Leaderboard takes several times the 50 ms.
            let clock = ContinuousClock()
            let unbounded = clock.now
            _ = try await live.run(client, deadline: nil) { try $0.rank(ranking, on: $1) }
            #expect(clock.now - unbounded > .milliseconds(150))

            // The bound is about PostgreSQL stopping the statement, not about the test machine's scheduler: on a
            // loaded 2-core box one attempt can be descheduled past it, so the best of three attempts counts. Every
            // attempt must fail with deadlineExceeded and leave nothing running.
            var fastest = Duration.seconds(60)
            for _ in 0..<3 {
                let start = clock.now
                let error = await #expect(throws: StoreError.self) {
                    try await live.run(client, deadline: start + .milliseconds(50)) { try $0.rank(ranking, on: $1) }
                }
                fastest = min(fastest, clock.now - start)
                #expect(error?.code == .deadlineExceeded)
                let running = try await client.withConnection { connection in
                    try connection.query(
                        """
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
                        """)[0].decode(Int64.self, at: 0)
                }
                #expect(running == 0)
                if fastest < .milliseconds(100) { break }
            }
            #expect(fastest < .milliseconds(100), "fastest failure after \(fastest)")
        }
    }
}
