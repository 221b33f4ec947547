import ArborModel
import ArborStore
import Testing

/// A live Leaderboard over everyone on a medium organisation takes far longer than 50 ms; given 50 ms it fails with
/// `deadlineExceeded` promptly and the server has stopped the statement.
@Suite struct LiveDeadlineTests {
    @Test func leaderboardGivenFiftyMillisecondsIsCancelled() async throws {
        try await TestDatabase.withMigratedClient("deadline", maxConnections: 2) { client in
            _ = try await DemoOrganisation.seed(
                DemoOrganisation.Options(users: 20_000, days: 30, registrations: 1_000_000, seed: 3), client: client)
            let live = LiveQueries(client: client)
            // Open the pool's connections first so the deadline measures the query, not the login.
            _ = try await live.findUsers(FindUsersQuery(namePrefix: "Raj"), deadline: nil)

            // The bound is about PostgreSQL stopping the statement, not about the test machine's scheduler: on a
            // loaded 2-core box one attempt can be descheduled past it, so the best of three attempts counts. Every
            // attempt must fail with deadlineExceeded and leave nothing running.
            var fastest = Duration.seconds(60)
            for _ in 0..<3 {
                let clock = ContinuousClock()
                let start = clock.now
                let error = await #expect(throws: StoreError.self) {
                    try await live.leaderboard(
                        LeaderboardQuery(metric: .treeRegistrations), deadline: start + .milliseconds(50))
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
