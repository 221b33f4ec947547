import ArborModel
import ArborStore
import ArborTestSupport
import Foundation
import Testing

/// ``LiveModelQueries/run(_:deadline:_:)``: one read-only snapshot per call, stamped with its version, stopped at
/// the deadline.
@Suite struct LiveModelRunTests {
    @Test func answersCarryTheirSnapshotAndStopAtTheDeadline() async throws {
        try await LiveModelFixture.textEdgeTable.run { h in
            let before = Int64(Date().timeIntervalSince1970 * 1000)
            let answer = try await h.live.run(h.client, deadline: .now + .seconds(30)) { live, connection in
                let facts = try live.facts(on: connection)
                // The same transaction: read-only, REPEATABLE READ, JIT off, its xmin is the stamp.
                let row = try connection.query(
                    """
                    SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only'),
                        current_setting('jit'), pg_snapshot_xmin(pg_current_snapshot())::text::int8
                    """)[0]
                return (
                    facts.nodes,
                    [
                        try row.decode(String.self, at: 0), try row.decode(String.self, at: 1),
                        try row.decode(String.self, at: 2),
                    ], try row.decode(Int64.self, at: 3)
                )
            }
            let after = Int64(Date().timeIntervalSince1970 * 1000)
            #expect(answer.value.0 == 10)
            #expect(answer.value.1 == ["repeatable read", "on", "off"])
            #expect(answer.stamp.version == UInt64(answer.value.2))
            #expect(answer.stamp.asOfUnixMs >= before - 1000 && answer.stamp.asOfUnixMs <= after)

            let start = ContinuousClock.now
            do {
                _ = try await h.live.run(h.client, deadline: .now + .milliseconds(300)) { _, connection in
                    try connection.execute("SELECT pg_sleep(5)")
                }
                Issue.record("the call should have stopped at its deadline")
            } catch let error as StoreError {
                #expect(error.code == .deadlineExceeded)
            }
            #expect(ContinuousClock.now - start < .seconds(3))
        }
    }
}
