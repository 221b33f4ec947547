import ArborModel
import ArborTestSupport
import Foundation
import Testing

@testable import ArborStore

/// Rollups and the change log under concurrent, random writers.
@Suite struct RollupTests {
    static let users = (0..<6).map { _ in UUID() }
    static let types: [String?] = ["door", "camp", nil]
    static let channels: [String?] = ["app", "web", nil]

    /// A deterministic random generator, so a failure can be replayed from its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One writer: random multi-row inserts, deletes and updates (moving rows between users, days, types and
    /// channels) of the rows it owns (tagged by its channel suffix so writers never wait on each other's rows),
    /// some transactions rolled back. Rollup keys overlap across writers.
    static func write(
        client: PostgresClient, writer: Int, seed: UInt64, transactions: Int, maxStatements: Int
    ) async throws -> (rolledBack: Int, deadlocks: Int) {
        var rng = SplitMix(state: seed)
        var rolledBack = 0
        var deadlocks = 0
        for _ in 0..<transactions {
            let rollback = Int.random(in: 0..<5, using: &rng) == 0
            let operations = (0..<Int.random(in: 1...maxStatements, using: &rng)).map { _ in
                Self.randomOperation(writer: writer, using: &rng)
            }
            do {
                try await client.withTransaction { connection in
                    for (sql, params) in operations { try connection.execute(sql, params) }
                    if rollback { throw StoreError(.invalidArgument, "rolled back on purpose") }
                }
            } catch let error as StoreError where error.message == "rolled back on purpose" {
                rolledBack += 1
            } catch let error as StoreError where error.code == .serializationFailure {
                // Two multi-statement transactions that touch the same rollup rows in different orders can
                // deadlock; PostgreSQL aborts one (40P01), which is a rollback like any other.
                deadlocks += 1
            }
        }
        return (rolledBack, deadlocks)
    }

    static func randomOperation(writer: Int, using rng: inout SplitMix) -> (String, [PostgresBind]) {
        let owner = "w\(writer)"
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<5:
            let count = Int.random(in: 1...40, using: &rng)
            return (
                """
                INSERT INTO registrations (created_by, created_at, registration_type, channel)
                SELECT ($1::uuid[])[1 + (i * 7 + $5) % 6],
                       timestamptz '2024-05-01 00:00Z' + ((i * 37 + $5) % 200) * interval '1 hour',
                       ($2::text[])[1 + (i + $5) % 3], ($3::text[])[1 + (i * 5 + $5) % 3] || $4
                FROM generate_series(1, $6) i
                """,
                [
                    .uuidArray(users), .textArray(types), .textArray(channels), .text(owner),
                    .int(Int.random(in: 0..<1000, using: &rng)), .int(count),
                ]
            )
        case 5..<7:
            return (
                "DELETE FROM registrations WHERE id IN (SELECT id FROM registrations WHERE channel LIKE '%' || $1 "
                    + "ORDER BY random() LIMIT $2)",
                [.text(owner), .int(Int.random(in: 1...15, using: &rng))]
            )
        default:
            // Moves rows: another user, another day (possibly across a day boundary), another type and channel.
            return (
                """
                UPDATE registrations SET
                    created_by = ($1::uuid[])[1 + (id % 6)::int],
                    created_at = created_at + $2 * interval '1 minute',
                    registration_type = CASE WHEN id % 2 = 0 THEN registration_type ELSE ($3::text[])[1 + (id % 3)::int] END,
                    channel = CASE WHEN id % 3 = 0 THEN 'moved' || $4 ELSE channel END
                WHERE id IN (SELECT id FROM registrations WHERE channel LIKE '%' || $4 ORDER BY random() LIMIT $5)
                """,
                [
                    .uuidArray(users.shuffled(using: &rng)), .int(Int.random(in: -900...900, using: &rng)),
                    .textArray(types), .text(owner), .int(Int.random(in: 1...20, using: &rng)),
                ]
            )
        }
    }

    static func snapshotAndRollups(_ client: PostgresClient) async throws -> (PostgresSnapshot, [RollupKey: Int64]) {
        try await client.withReadOnlySnapshot { connection in
            (try connection.currentSnapshot(), try Rollups.read(connection))
        }
    }

    /// With one statement per transaction, writers never deadlock: each statement upserts its rollup rows in key
    /// order. With several, transactions touching the same rows in different orders can (and are retried).
    @Test(arguments: [(UInt64(1), 1), (2, 3), (3, 3)])
    func rollupsStayExactUnderConcurrentWritersAndTheChangeLogReplays(seed: UInt64, maxStatements: Int) async throws {
        try await TestDatabase.withMigratedClient("rollups_\(seed)", maxConnections: 6, timeZone: "Asia/Kolkata") {
            client in
            let (start, startRollups) = try await Self.snapshotAndRollups(client)
            var replayed = startRollups
            var previous = start
            var rolledBack = 0
            var deadlocks = 0
            for round in 0..<2 {
                let outcome = try await withThrowingTaskGroup(of: (rolledBack: Int, deadlocks: Int).self) { group in
                    for writer in 0..<5 {
                        group.addTask {
                            try await Self.write(
                                client: client, writer: writer, seed: seed * 1000 + UInt64(round * 10 + writer),
                                transactions: 12, maxStatements: maxStatements)
                        }
                    }
                    return try await group.reduce((0, 0)) { ($0.0 + $1.rolledBack, $0.1 + $1.deadlocks) }
                }
                rolledBack += outcome.0
                deadlocks += outcome.1
                // Replay the change log from the previous horizon to a new one; it must give the rollups at the
                // new snapshot, which must equal a GROUP BY over the raw rows.
                let since = previous
                let (snapshot, rollups, raw, entries, zeros) = try await client.withReadOnlySnapshot { connection in
                    let snapshot = try connection.currentSnapshot()
                    return (
                        snapshot, try Rollups.read(connection), try Rollups.fromRegistrations(connection),
                        try connection.changes(since: since, until: snapshot),
                        try connection.query("SELECT count(*) FROM arbor.daily_rollups WHERE registrations <= 0")
                            .first!.decode(Int.self, at: 0)
                    )
                }
                #expect(rollups == raw, "round \(round): rollups differ from GROUP BY over registrations")
                #expect(zeros == 0)
                #expect(!entries.isEmpty)
                replayed = Rollups.apply(entries, to: replayed)
                #expect(replayed == rollups, "round \(round): replayed change log differs from rollups")
                previous = snapshot
            }
            #expect(rolledBack > 0, "some transactions should have rolled back")
            if maxStatements == 1 { #expect(deadlocks == 0) }
            #expect(replayed != startRollups)
        }
    }

    @Test func updatesThatMoveRowsAcrossEveryKeyColumn() async throws {
        try await TestDatabase.withMigratedClient(timeZone: "Asia/Kolkata") { client in
            let (a, b) = (Self.users[0], Self.users[1])
            try await client.withConnection { connection in
                try connection.execute(
                    """
                    INSERT INTO registrations (created_by, created_at, registration_type, channel)
                    VALUES ($1, '2024-01-01 18:00Z', 'door', 'app'), ($1, '2024-01-01 18:00Z', 'door', 'app'),
                           ($1, '2024-01-01 18:00Z', NULL, NULL), (NULL, NULL, 'door', 'app')
                    """, [.uuid(a)])
                // Move one row to another user, across the Kolkata midnight, to another type and channel; the
                // NULL-keyed rows move too.
                try connection.execute(
                    """
                    UPDATE registrations SET created_by = $2, created_at = created_at + interval '1 hour',
                        registration_type = 'camp', channel = 'web' WHERE id = (SELECT min(id) FROM registrations)
                    """, [.uuid(a), .uuid(b)])
                try connection.execute(
                    "UPDATE registrations SET registration_type = 'camp' WHERE registration_type IS NULL")
                try connection.execute("UPDATE registrations SET created_by = $1 WHERE created_by IS NULL", [.uuid(b)])
                try connection.execute("UPDATE registrations SET channel = channel")  // no net change
            }
            let (rollups, raw) = try await client.withConnection {
                (try Rollups.read($0), try Rollups.fromRegistrations($0))
            }
            #expect(rollups == raw)
            let day1 = Day(year: 2024, month: 1, day: 1)
            let day2 = Day(year: 2024, month: 1, day: 2)
            #expect(rollups[RollupKey(user: b, day: day2, type: "camp", channel: "web")] == 1)
            #expect(rollups[RollupKey(user: a, day: day1, type: "door", channel: "app")] == 1)
            #expect(rollups[RollupKey(user: a, day: day1, type: "camp", channel: nil)] == 1)
            #expect(rollups[RollupKey(user: b, day: nil, type: "door", channel: "app")] == 1)
            #expect(rollups.count == 4)
            // Deleting everything empties the rollups; TRUNCATE too (and logs a reset).
            try await client.withConnection {
                try $0.execute("DELETE FROM registrations WHERE created_by = $1", [.uuid(a)])
            }
            try await client.withConnection { try $0.execute("TRUNCATE registrations") }
            let (left, resets) = try await client.withConnection { connection in
                (
                    try Rollups.read(connection),
                    try connection.query("SELECT count(*) FROM arbor.change_log WHERE kind = 'reset'").first!
                        .decode(Int.self, at: 0)
                )
            }
            #expect(left.isEmpty)
            #expect(resets == 2, "one for the time zone, one for TRUNCATE")
        }
    }
}

/// The change log read between snapshots, including transactions that commit out of id order.
@Suite struct ChangeLogTests {
    /// Runs blocking work with a connection of the test's own (outside the pool), for holding transactions open
    /// across steps.
    static func connect(_ configuration: PostgresConfiguration) throws -> PostgresConnection {
        try PostgresConnection.connect(configuration: configuration)
    }

    @Test func aTransactionThatCommitsAfterALaterOneIsNotLost() async throws {
        try await TestDatabase.with { configuration in
            let client = PostgresClient(configuration: configuration, maxConnections: 2, logger: TestDatabase.logger)
            defer { Task { await client.shutdown() } }
            try await MigrationRunner(client: client).migrate()
            let user = UUID()
            let insert =
                "INSERT INTO registrations (created_by, created_at, registration_type, channel) "
                + "SELECT $1, '2024-02-02 10:00Z', $2, 'app' FROM generate_series(1, $3)"
            let t1 = try Self.connect(configuration)
            let t2 = try Self.connect(configuration)
            let reader = try Self.connect(configuration)

            try reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let s0 = try reader.currentSnapshot()
            let base = try Rollups.read(reader)
            try reader.execute("COMMIT")

            // T1 starts and writes first (lower transaction id and lower seq), T2 writes and commits. T2 counts
            // for another user: writers of one user's month serialise on its rollup pack until the first commits.
            try t1.execute("BEGIN")
            try t1.execute(insert, [.uuid(user), .text("slow"), .int(3)])
            let t1ID = try t1.query("SELECT pg_current_xact_id()::text").first!.decode(String.self, at: 0)
            try t2.execute("BEGIN")
            try t2.execute(insert, [.uuid(UUID()), .text("fast"), .int(5)])
            try t2.execute("INSERT INTO roles VALUES ('LPR', 1)")
            try t2.execute("INSERT INTO users (id, name, role) VALUES ($1, 'Raj', 'LPR')", [.uuid(user)])
            try t2.execute("COMMIT")

            // The reader catches up to a snapshot in which T2 is visible and T1 is still running.
            try reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let s1 = try reader.currentSnapshot()
            let firstChanges = try reader.changes(since: s0, until: s1)
            let atS1 = try Rollups.read(reader)
            try reader.execute("COMMIT")
            #expect(s1.inProgress.map(String.init).contains(t1ID))
            #expect(firstChanges.contains { $0.kind == .user && $0.userID == user })
            #expect(firstChanges.filter { $0.kind == .rollup }.map(\.registrationType) == ["fast"])
            #expect(Rollups.apply(firstChanges, to: base) == atS1)
            let lastSeenSeq = firstChanges.map(\.sequence).max()!

            try t1.execute("COMMIT")

            try reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let s2 = try reader.currentSnapshot()
            let secondChanges = try reader.changes(since: s1, until: s2)
            let atS2 = try Rollups.read(reader)
            // What a plain "seq > last seen" reader would get: T1's rows have lower seqs, so they are lost.
            let naive = try reader.query("SELECT count(*) FROM arbor.change_log WHERE seq > $1", [.int64(lastSeenSeq)])
                .first!.decode(Int.self, at: 0)
            try reader.execute("COMMIT")
            #expect(naive == 0)
            #expect(secondChanges.map(\.registrationType) == ["slow"])
            #expect(secondChanges.allSatisfy { String($0.transactionID) == t1ID })
            #expect(Rollups.apply(secondChanges, to: atS1) == atS2)
            #expect(atS2[RollupKey(user: user, day: Day(iso: "2024-02-02"), type: "slow", channel: "app")] == 3)

            // Nothing is read twice, and nothing new means no entries.
            try reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let s3 = try reader.currentSnapshot()
            #expect(try reader.changes(since: s2, until: s3).isEmpty)
            try reader.execute("COMMIT")
        }
    }

    @Test func logsUsersEdgesAndVersions() async throws {
        try await TestDatabase.withMigratedClient { client in
            let (parent, child) = (UUID(), UUID())
            try await client.withConnection { try $0.execute("INSERT INTO roles VALUES ('LPR', 1)") }
            let start = try await client.withReadOnlySnapshot { try $0.currentSnapshot() }
            let writeID = try await client.withTransaction { connection in
                try connection.execute(
                    "INSERT INTO users (id, name, role) VALUES ($1, 'P', 'LPR'), ($2, 'C', 'LPR')",
                    [.uuid(parent), .uuid(child)])
                try connection.execute("INSERT INTO user_hierarchy VALUES ($1, $2)", [.uuid(parent), .uuid(child)])
                try connection.execute("UPDATE users SET status = 'inactive' WHERE id = $1", [.uuid(child)])
                return try connection.query("SELECT pg_current_xact_id()").first!.decode(UInt64.self, at: 0)
            }
            try await client.withTransaction { connection in
                try connection.execute("DELETE FROM user_hierarchy WHERE child_id = $1", [.uuid(child)])
            }
            let version = try await client.withConnection { try $0.currentVersion() }
            #expect(version > writeID, "a version read after a commit covers the write")
            let (snapshot, entries) = try await client.withReadOnlySnapshot { connection in
                let snapshot = try connection.currentSnapshot()
                return (snapshot, try connection.changes(since: start, until: snapshot))
            }
            #expect(snapshot.isVisible(writeID) && snapshot.xmax > writeID)
            let described = entries.map { entry in
                let who = entry.userID == parent ? "P" : entry.userID == child ? "C" : "?"
                let other = entry.otherID.map { $0 == child ? "C" : "?" } ?? ""
                return "\(entry.kind.rawValue) \(who)\(other)"
            }
            #expect(described.sorted() == ["edge PC", "edge PC", "user C", "user C", "user P"])

            // Pruning below a horizon past these writes removes them; later reads still work. The horizon is a
            // snapshot's xmin, which other databases' transactions on the shared cluster may hold back for a while.
            var horizon = snapshot
            let waitStart = ContinuousClock.now
            while horizon.xmin < version, ContinuousClock.now - waitStart < .seconds(20) {
                try await Task.sleep(for: .milliseconds(50))
                horizon = try await client.withReadOnlySnapshot { try $0.currentSnapshot() }
            }
            let pruneAt = horizon
            let pruned = try await client.withConnection { try $0.pruneChangeLog(before: pruneAt) }
            #expect(pruned >= entries.count)
            let remaining = try await client.withConnection {
                try $0.query("SELECT count(*) FROM arbor.change_log").first!.decode(Int.self, at: 0)
            }
            #expect(remaining == 0, "every entry was written before the horizon")
            let after = try await client.withReadOnlySnapshot { connection in
                try connection.changes(since: pruneAt, until: try connection.currentSnapshot())
            }
            #expect(after.isEmpty)
        }
    }

    @Test(arguments: [
        ("10:20:", UInt64(10), UInt64(20), [UInt64]()),
        ("10:20:12,15", 10, 20, [12, 15]),
    ])
    func parsesSnapshots(text: String, xmin: UInt64, xmax: UInt64, inProgress: [UInt64]) throws {
        let snapshot = try #require(PostgresSnapshot(text))
        #expect(snapshot.xmin == xmin && snapshot.xmax == xmax && snapshot.inProgress == inProgress)
        #expect(snapshot.description == text)
        #expect(snapshot.isVisible(xmin - 1) && !snapshot.isVisible(xmax))
        for xid in inProgress { #expect(!snapshot.isVisible(xid)) }
    }

    @Test(arguments: ["", "1:2", "5:3:", "1:5:7", "a:b:", "1:5:2,,3"])
    func rejectsMalformedSnapshots(text: String) {
        #expect(PostgresSnapshot(text) == nil)
    }
}
