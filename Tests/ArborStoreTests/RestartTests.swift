import Foundation
import Testing

@testable import ArborStore

/// PostgreSQL goes away while the pool is in use and comes back; the same client recovers.
@Suite struct RestartTests {
    static func one(_ client: PostgresClient, deadline: ContinuousClock.Instant? = nil) async throws -> Int {
        try await client.withConnection(deadline: deadline) { try $0.query("SELECT 1").first!.decode(Int.self, at: 0) }
    }

    @Test func callsFailFastDuringAnOutageAndSucceedAfterwards() async throws {
        let cluster = try PrivateCluster()
        defer { cluster.destroy() }
        try cluster.start()
        let client = PostgresClient(
            configuration: try cluster.configuration, maxConnections: 4, logger: TestDatabase.logger)

        // In use: all connections open and busy, one long statement running.
        let warm = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await Self.one(client) } }
            return try await group.reduce(0, +)
        }
        #expect(warm == 8)
        let long = Task { try await client.withConnection { try $0.execute("SELECT pg_sleep(30)") } }
        try await Task.sleep(for: .milliseconds(200))

        try cluster.stop()

        // The running statement fails with connectionFailed rather than hanging.
        let longResult = await long.result
        if case .failure(let error as StoreError) = longResult {
            #expect(error.code == .connectionFailed)
        } else {
            Issue.record("the running statement should fail, got \(longResult)")
        }

        // Every call during the outage fails quickly and cleanly: idle connections are dead, reconnects are refused.
        for _ in 0..<10 {
            let start = ContinuousClock.now
            let error = await #expect(throws: StoreError.self) { try await Self.one(client) }
            #expect(error?.code == .connectionFailed)
            #expect(ContinuousClock.now - start < .seconds(1))
        }
        let concurrentStart = ContinuousClock.now
        let failures = await withTaskGroup(of: StoreError.Code?.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    do {
                        _ = try await Self.one(client)
                        return nil
                    } catch let error as StoreError {
                        return error.code
                    } catch {
                        return .protocolViolation
                    }
                }
            }
            return await group.reduce(into: [StoreError.Code?]()) { $0.append($1) }
        }
        #expect(failures.allSatisfy { $0 == .connectionFailed })
        #expect(ContinuousClock.now - concurrentStart < .seconds(2))

        try cluster.start()

        // The same client recovers once its backoff lets it reconnect (at most a few seconds).
        let restarted = ContinuousClock.now
        var recovered = false
        while ContinuousClock.now - restarted < .seconds(15) {
            if (try? await Self.one(client)) == 1 {
                recovered = true
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(recovered)
        #expect(ContinuousClock.now - restarted < .seconds(5))
        let after = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await Self.one(client) } }
            return try await group.reduce(0, +)
        }
        #expect(after == 8)

        // A restart while the pool sits idle costs no failed call: stale idle connections are noticed before use.
        try cluster.stop()
        try cluster.start()
        let afterIdleRestart = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await Self.one(client) } }
            return try await group.reduce(0, +)
        }
        #expect(afterIdleRestart == 8)
        await client.shutdown()
    }
}
