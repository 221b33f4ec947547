import Foundation
import Testing

@testable import ArborStore

@Suite struct DeadlineTests {
    /// Backends other than ours still running `pg_sleep` with the marker.
    static func running(_ marker: String, client: PostgresClient) async throws -> Int {
        try await client.withConnection { connection in
            try connection.query(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()",
                [.text("%pg_sleep%\(marker)%")]
            ).first!.decode(Int.self, at: 0)
        }
    }

    static let kinds = ["connection", "snapshot", "transaction"]

    static func sleep(_ kind: String, client: PostgresClient, marker: String, deadline: ContinuousClock.Instant?)
        async throws
    {
        let sql = "SELECT pg_sleep(10), '\(marker)'"  // the marker only labels the query in pg_stat_activity
        switch kind {
        case "connection": try await client.withConnection(deadline: deadline) { try $0.execute(sql) }
        case "snapshot": try await client.withReadOnlySnapshot(deadline: deadline) { try $0.execute(sql) }
        default: try await client.withTransaction(deadline: deadline) { try $0.execute(sql) }
        }
    }

    @Test(arguments: kinds)
    func aPassedDeadlineCancelsTheStatement(kind: String) async throws {
        try await TestDatabase.withClient("deadline_\(kind)") { client in
            _ = try await Self.running("warmup", client: client)
            let marker = "deadline-\(UUID().uuidString)"
            let start = ContinuousClock.now
            let error = await #expect(throws: StoreError.self) {
                try await Self.sleep(kind, client: client, marker: marker, deadline: start + .milliseconds(100))
            }
            let elapsed = ContinuousClock.now - start
            #expect(error?.code == .deadlineExceeded)
            #expect(elapsed < .milliseconds(250), "took \(elapsed)")
            #expect(try await Self.running(marker, client: client) == 0)
        }
    }

    @Test func aLongerDeadlineLetsTheStatementFinishAndResetsTheTimeout() async throws {
        try await TestDatabase.withClient(maxConnections: 1) { client in
            let value = try await client.withConnection(deadline: .now + .seconds(5)) { connection in
                let timeout = try connection.query("SHOW statement_timeout").first!.decode(String.self, at: 0)
                #expect(timeout != "0")
                return try connection.query("SELECT 41 + 1").first!.decode(Int.self, at: 0)
            }
            #expect(value == 42)
            let timeout = try await client.withConnection { connection in
                try connection.query("SHOW statement_timeout").first!.decode(String.self, at: 0)
            }
            #expect(timeout == "0")
        }
    }

    @Test func statementTimeoutComesFromTheDeadline() async throws {
        try await TestDatabase.withClient(maxConnections: 1) { client in
            let timeout = try await client.withReadOnlySnapshot(deadline: .now + .seconds(2)) { connection in
                try connection.query("SELECT current_setting('statement_timeout')").first!.decode(String.self, at: 0)
            }
            // Reported in the largest exact unit: somewhere below 2000 ms.
            let milliseconds =
                timeout.hasSuffix("ms") ? Int(timeout.dropLast(2)) : Int(timeout.dropLast(1)).map { $0 * 1000 }
            #expect((1...2000).contains(milliseconds ?? -1), "statement_timeout was \(timeout)")
        }
    }

    @Test func anExpiredDeadlineFailsBeforeDoingAnything() async throws {
        try await TestDatabase.withClient { client in
            let error = await #expect(throws: StoreError.self) {
                try await client.withConnection(deadline: .now - .milliseconds(1)) { try $0.execute("SELECT 1") }
            }
            #expect(error?.code == .deadlineExceeded)
        }
    }

    @Test(arguments: kinds)
    func cancellingTheTaskCancelsTheStatement(kind: String) async throws {
        try await TestDatabase.withClient("cancel_\(kind)") { client in
            _ = try await Self.running("warmup", client: client)
            let marker = "cancel-\(UUID().uuidString)"
            let task = Task { try await Self.sleep(kind, client: client, marker: marker, deadline: nil) }
            // Wait until the statement is really running, then cancel.
            let waitStart = ContinuousClock.now
            while try await Self.running(marker, client: client) == 0 {
                guard ContinuousClock.now - waitStart < .seconds(5) else { throw TestSetupError("never started") }
                try await Task.sleep(for: .milliseconds(10))
            }
            let start = ContinuousClock.now
            task.cancel()
            let result = await task.result
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < .milliseconds(250), "took \(elapsed)")
            #expect(throws: StoreError.self) { try result.get() }
            if case .failure(let error as StoreError) = result { #expect(error.code == .cancelled) }
            #expect(try await Self.running(marker, client: client) == 0)
        }
    }

    @Test func waitingForABusyPoolEndsAtTheDeadlineAndOnCancellation() async throws {
        try await TestDatabase.withClient(maxConnections: 1) { client in
            let hold = Task { try await client.withConnection { try $0.execute("SELECT pg_sleep(1)") } }
            try await Task.sleep(for: .milliseconds(100))
            let start = ContinuousClock.now
            let timedOut = await #expect(throws: StoreError.self) {
                try await client.withConnection(deadline: .now + .milliseconds(100)) { try $0.execute("SELECT 1") }
            }
            #expect(timedOut?.code == .deadlineExceeded)
            #expect(ContinuousClock.now - start < .milliseconds(300))

            let waiting = Task { try await client.withConnection { try $0.execute("SELECT 1") } }
            try await Task.sleep(for: .milliseconds(50))
            waiting.cancel()
            let cancelled = await waiting.result
            if case .failure(let error as StoreError) = cancelled {
                #expect(error.code == .cancelled)
            } else {
                Issue.record("expected cancellation, got \(cancelled)")
            }
            _ = try await hold.value
            // The pool still works.
            #expect(try await client.withConnection { try $0.query("SELECT 7").first!.decode(Int.self, at: 0) } == 7)
        }
    }
}
