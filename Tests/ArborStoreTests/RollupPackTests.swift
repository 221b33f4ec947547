import ArborModel
import ArborTestSupport
import Foundation
import Testing

@testable import ArborStore

/// `arbor.rollup_packs` equals `arbor.daily_rollups` after every kind of write, alone and concurrent.
@Suite struct RollupPackTests {
    static let insertRow =
        "INSERT INTO registrations (created_by, created_at, registration_type, channel) VALUES ($1, $2::timestamptz, $3, $4)"

    /// Compares packs and rollups on `client` and records every difference.
    static func expectExact(
        _ client: PostgresClient, _ context: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let comparison = try await client.withConnection { try Packs.compare($0) }
        #expect(
            comparison.problems.isEmpty, "\(context): \(comparison.problems.prefix(5))", sourceLocation: sourceLocation)
        #expect(comparison.packed == comparison.expected, "\(context): packs differ", sourceLocation: sourceLocation)
    }

    @Test(arguments: [UInt64(11), 12, 13])
    func packsFollowRandomMultiRowWrites(seed: UInt64) async throws {
        try await TestDatabase.withMigratedClient("packs_random_\(seed)", timeZone: "Asia/Kolkata") { client in
            var rng = RollupTests.SplitMix(state: seed)
            for step in 0..<40 {
                let (sql, params) = RollupTests.randomOperation(writer: Int(seed % 5), using: &rng)
                try await client.withConnection { _ = try $0.execute(sql, params) }
                try await Self.expectExact(client, "step \(step)")
            }
            let rows = try await client.withConnection {
                try $0.query("SELECT count(*) FROM arbor.daily_rollups").first!.decode(Int.self, at: 0)
            }
            #expect(rows > 20, "the random writes should leave rollups to pack")
        }
    }

    /// Single rows moved through every column a pack depends on, one statement at a time.
    @Test func packsFollowSingleRowChangesOfEveryColumn() async throws {
        try await TestDatabase.withMigratedClient(timeZone: "Asia/Kolkata") { client in
            let (a, b) = (RollupTests.users[0], RollupTests.users[1])
            let steps: [(String, String, [PostgresBind])] = [
                ("insert", Self.insertRow, [.uuid(a), .text("2024-01-31 18:00Z"), .text("door"), .text("app")]),
                ("insert NULLs", Self.insertRow, [.uuid(a), .text("2024-01-31 17:00Z"), .text(nil), .text(nil)]),
                ("insert NULL user", Self.insertRow, [.uuid(nil), .text("2024-01-31 17:00Z"), .text("x"), .text("y")]),
                ("insert NULL time", Self.insertRow, [.uuid(b), .text(nil), .text("door"), .text("app")]),
                (
                    "across the month boundary (Kolkata midnight)",
                    "UPDATE registrations SET created_at = created_at + interval '1 hour' WHERE channel = 'app'", []
                ),
                ("back again", "UPDATE registrations SET created_at = created_at - interval '1 hour'", []),
                (
                    "another user", "UPDATE registrations SET created_by = $1 WHERE created_by = $2",
                    [.uuid(b), .uuid(a)]
                ),
                ("type to NULL", "UPDATE registrations SET registration_type = NULL WHERE channel = 'app'", []),
                ("channel to NULL", "UPDATE registrations SET channel = NULL WHERE channel = 'app'", []),
                ("NULL to values", "UPDATE registrations SET registration_type = 'camp', channel = 'web'", []),
                (
                    "user to NULL", "UPDATE registrations SET created_by = NULL WHERE created_at < '2024-01-31 17:30Z'",
                    []
                ),
                ("NULL user back", "UPDATE registrations SET created_by = $1 WHERE created_by IS NULL", [.uuid(a)]),
                ("time to NULL", "UPDATE registrations SET created_at = NULL WHERE created_by = $1", [.uuid(a)]),
                (
                    "NULL time back",
                    "UPDATE registrations SET created_at = '2024-03-05 10:00Z' WHERE created_at IS NULL", []
                ),
                ("no net change", "UPDATE registrations SET channel = channel", []),
                ("delete one", "DELETE FROM registrations WHERE id = (SELECT min(id) FROM registrations)", []),
                ("delete all", "DELETE FROM registrations", []),
            ]
            for (name, sql, params) in steps {
                try await client.withConnection { _ = try $0.execute(sql, params) }
                try await Self.expectExact(client, name)
            }
            // Packs are never deleted by the triggers: every month touched is still there, empty.
            let comparison = try await client.withConnection { try Packs.compare($0) }
            #expect(comparison.packCount >= 3 && comparison.emptyPacks == comparison.packCount)
            let emptyBytes = try await client.withConnection {
                try $0.query("SELECT count(*) FROM arbor.rollup_packs WHERE length(entries) <> 0").first!
                    .decode(Int.self, at: 0)
            }
            #expect(emptyBytes == 0)
        }
    }

    /// Five READ COMMITTED writers sharing users and months: the locks make each pack's last writer see the others.
    @Test(arguments: [1, 3])
    func packsStayExactUnderConcurrentReadCommittedWriters(maxStatements: Int) async throws {
        try await TestDatabase.withMigratedClient(
            "packs_concurrent_\(maxStatements)", maxConnections: 6, timeZone: "Asia/Kolkata"
        ) { client in
            var deadlocks = 0
            for round in 0..<2 {
                deadlocks += try await withThrowingTaskGroup(of: Int.self) { group in
                    for writer in 0..<5 {
                        group.addTask {
                            try await RollupTests.write(
                                client: client, writer: writer, seed: UInt64(700 + round * 10 + writer),
                                transactions: 12, maxStatements: maxStatements
                            ).deadlocks
                        }
                    }
                    return try await group.reduce(0, +)
                }
                try await Self.expectExact(client, "round \(round)")
            }
            if maxStatements == 1 { #expect(deadlocks == 0, "single-statement writers never deadlock") }
        }
    }

    /// REPEATABLE READ writers retry on 40001 as an application would; what commits leaves the packs exact.
    @Test func packsStayExactUnderRepeatableReadWritersThatRetry() async throws {
        try await TestDatabase.withMigratedClient(maxConnections: 6, timeZone: "Asia/Kolkata") { client in
            let retries = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<5 {
                    group.addTask {
                        var rng = RollupTests.SplitMix(state: UInt64(900 + writer))
                        var retries = 0
                        for _ in 0..<10 {
                            let operations = (0..<Int.random(in: 1...2, using: &rng)).map { _ in
                                RollupTests.randomOperation(writer: writer, using: &rng)
                            }
                            var attempts = 0
                            while true {
                                attempts += 1
                                do {
                                    try await client.withConnection { connection in
                                        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
                                        do {
                                            for (sql, params) in operations { try connection.execute(sql, params) }
                                            try connection.execute("COMMIT")
                                        } catch {
                                            _ = try? connection.execute("ROLLBACK")
                                            throw error
                                        }
                                    }
                                    break
                                } catch let error as StoreError where error.code == .serializationFailure {
                                    retries += 1
                                    if attempts >= 100 { throw error }
                                }
                            }
                        }
                        return retries
                    }
                }
                return try await group.reduce(0, +)
            }
            try await Self.expectExact(client, "after \(retries) retries")
        }
    }

    /// How much a statement in ``writersOfOnePackWaitForEachOther(first:second:repeatableRead:)`` writes.
    enum StatementSize: Sendable, CustomTestStringConvertible {
        case oneRow, bulk
        var testDescription: String { self == .oneRow ? "one row" : "bulk" }

        /// One registration of `user` in May 2024 of `type`; bulk adds one for each of 1100 other users.
        func statement(user: UUID, type: String) -> (String, [PostgresBind]) {
            switch self {
            case .oneRow:
                return (
                    RollupPackTests.insertRow, [.uuid(user), .text("2024-05-10 10:00Z"), .text(type), .text("app")]
                )
            case .bulk:
                return (
                    """
                    INSERT INTO registrations (created_by, created_at, registration_type, channel)
                    SELECT CASE WHEN i = 0 THEN $1 ELSE gen_random_uuid() END, '2024-05-11 10:00Z', $2, 'app'
                    FROM generate_series(0, 1100) i
                    """, [.uuid(user), .text(type)]
                )
            }
        }
    }

    /// Two writers of one pack: the second waits until the first commits, then computes the pack from data that
    /// includes the first's rows (READ COMMITTED), or fails with 40001 (REPEATABLE READ, snapshot taken before).
    @Test(arguments: [
        (first: StatementSize.oneRow, second: StatementSize.oneRow, repeatableRead: false),
        (.bulk, .oneRow, false), (.oneRow, .bulk, false), (.bulk, .bulk, false),
        (.oneRow, .oneRow, true), (.bulk, .oneRow, true),
    ])
    func writersOfOnePackWaitForEachOther(
        first: StatementSize, second: StatementSize, repeatableRead: Bool
    ) async throws {
        try await TestDatabase.withMigrated { configuration, client in
            let user = RollupTests.users[0]
            try await client.withConnection { connection in
                try connection.execute(
                    Self.insertRow, [.uuid(user), .text("2024-05-01 10:00Z"), .text("base"), .text("app")])
            }
            let early = try PostgresConnection.connect(configuration: configuration)
            let late = try PostgresConnection.connect(configuration: configuration)
            let latePID = try late.query("SELECT pg_backend_pid()").first!.decode(Int32.self, at: 0)
            try early.execute("BEGIN")
            let (firstSQL, firstParams) = first.statement(user: user, type: "door")
            try early.execute(firstSQL, firstParams)
            if repeatableRead {
                try late.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
                _ = try late.query("SELECT count(*) FROM arbor.rollup_packs")
            }
            // Another rollup row of the same pack, so only the pack can make the writers wait for each other.
            let (secondSQL, secondParams) = second.statement(user: user, type: "camp")
            let waiting = Task.detached { () -> StoreError? in
                do {
                    try late.execute(secondSQL, secondParams)
                    if repeatableRead { try late.execute("COMMIT") }
                    return nil
                } catch let error as StoreError {
                    return error
                } catch {
                    return StoreError(.queryFailed, "\(error)")
                }
            }
            var blocked = false
            for _ in 0..<200 where !blocked {
                try await Task.sleep(for: .milliseconds(25))
                blocked = try await client.withConnection { connection in
                    try connection.query(
                        "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'",
                        [.int32(latePID)]
                    ).first!.decode(Int.self, at: 0) == 1
                }
            }
            #expect(blocked, "the second writer waits for the first")
            try early.execute("COMMIT")
            let failure = await waiting.value
            if repeatableRead {
                #expect(failure?.code == .serializationFailure, "\(String(describing: failure))")
                try late.execute("ROLLBACK")
            } else {
                #expect(failure == nil, "\(String(describing: failure))")
            }
            try await Self.expectExact(client, "after both writers")
        }
    }

    /// Up to 1000 (user, month) pairs a statement takes one advisory lock per pair; more lock the whole table.
    @Test(arguments: [(pairs: 1, bulk: false), (1000, false), (1001, true), (2500, true)])
    func statementsLockPacksByTheirSize(pairs: Int, bulk: Bool) async throws {
        try await TestDatabase.withMigratedClient("packs_lock_\(pairs)") { client in
            try await client.withConnection { connection in
                try connection.execute(
                    "CREATE TABLE pack_users AS SELECT gen_random_uuid() AS id FROM generate_series(1, 1300)")
            }
            // Pairs: users × two months, two rows each pair, so some pairs hold several rollup rows.
            let insert = """
                INSERT INTO registrations (created_by, created_at, registration_type, channel)
                SELECT u.id, timestamptz '2024-03-31 12:00Z' + (i % 2) * interval '1 day' + r * interval '1 minute',
                    (ARRAY['door', 'camp', NULL])[1 + (i + r) % 3], 'app'
                FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM pack_users) u,
                    generate_series(0, 1) i, generate_series(0, 1) r
                WHERE u.n * 2 + i < $1
                """
            let (advisory, tableLocks) = try await client.withTransaction { connection in
                try connection.execute(insert, [.int(pairs)])
                let locks = try connection.query(
                    """
                    SELECT count(*) FILTER (WHERE locktype = 'advisory' AND classid = 1346454347 AND objsubid = 2),
                        count(*) FILTER (WHERE locktype = 'relation' AND relation = 'arbor.rollup_packs'::regclass
                            AND mode = 'ShareRowExclusiveLock')
                    FROM pg_locks WHERE pid = pg_backend_pid()
                    """
                ).first!
                return (try locks.decode(Int.self, at: 0), try locks.decode(Int.self, at: 1))
            }
            #expect(tableLocks == (bulk ? 1 : 0))
            // hashtext may map two pairs to one key; then they share a lock.
            if bulk { #expect(advisory == 0) } else { #expect(advisory > pairs * 99 / 100 && advisory <= pairs) }
            try await Self.expectExact(client, "insert of \(pairs) pairs")
            try await client.withConnection { connection in
                try connection.execute(
                    "UPDATE registrations SET created_at = created_at - interval '40 days', channel = NULL WHERE id % 3 = 0"
                )
            }
            try await Self.expectExact(client, "update")
            try await client.withConnection { _ = try $0.execute("DELETE FROM registrations WHERE id % 2 = 0") }
            try await Self.expectExact(client, "delete")
        }
    }

    @Test func packsFollowTimeZoneChangesAndTruncate() async throws {
        try await TestDatabase.withMigratedClient(timeZone: "UTC") { client in
            try await client.withConnection { connection in
                // 20:00 UTC on a month's last day is the next month in Kolkata.
                try connection.execute(
                    """
                    INSERT INTO registrations (created_by, created_at, registration_type, channel)
                    SELECT ($1::uuid[])[1 + i % 3], timestamptz '2024-04-30 20:00Z' + i * interval '20 minutes',
                        (ARRAY['door', NULL])[1 + i % 2], 'app'
                    FROM generate_series(0, 30) i
                    """, [.uuidArray(Array(RollupTests.users.prefix(3)))])
            }
            try await Self.expectExact(client, "UTC")
            let changed = try await client.withConnection {
                try $0.query("SELECT arbor.set_time_zone('Asia/Kolkata')").first!.decode(Bool.self, at: 0)
            }
            #expect(changed)
            try await Self.expectExact(client, "Asia/Kolkata")
            let months = try await client.withConnection {
                try $0.query("SELECT count(DISTINCT month) FROM arbor.rollup_packs WHERE row_count > 0").first!
                    .decode(Int.self, at: 0)
            }
            #expect(months == 1, "every row is in May in Kolkata")
            try await client.withConnection { _ = try $0.execute("TRUNCATE registrations") }
            try await Self.expectExact(client, "TRUNCATE")
            let nonEmpty = try await client.withConnection {
                try $0.query("SELECT count(*) FROM arbor.rollup_packs WHERE row_count <> 0 OR length(entries) <> 0")
                    .first!.decode(Int.self, at: 0)
            }
            #expect(nonEmpty == 0)
        }
    }

    @Test func seededDemoHasExactPacks() async throws {
        try await TestDatabase.withMigratedClient(timeZone: "Asia/Kolkata") { client in
            let options = DemoOrganisation.Options(users: 300, days: 40, registrations: 30_000, seed: 3)
            let report = try await DemoOrganisation.seed(options, client: client)
            let comparison = try await client.withConnection { try Packs.compare($0) }
            #expect(comparison.problems.isEmpty, "\(comparison.problems.prefix(5))")
            #expect(comparison.packed == comparison.expected)
            #expect(Int64(comparison.packed.count) == report.rollupRows)
            // The trigger is back on after seeding: a write keeps them exact.
            try await client.withConnection { connection in
                try connection.execute(
                    "INSERT INTO registrations (created_by, created_at, registration_type, channel) "
                        + "SELECT created_by, created_at, 'new', channel FROM registrations WHERE id % 100 = 0")
            }
            try await Self.expectExact(client, "after a write")
            // Seeding again with replace truncates and refills.
            var again = options
            again.replace = true
            again.seed = 4
            _ = try await DemoOrganisation.seed(again, client: client)
            try await Self.expectExact(client, "after replacing")
        }
    }

    /// A kind already present costs no identity value, however many statements name it.
    @Test func kindCodesAreNotBurnedByRepeatedStatements() async throws {
        try await TestDatabase.withMigratedClient { client in
            let user = RollupTests.users[0]
            try await client.withConnection { connection in
                for _ in 0..<100 {
                    try connection.execute(
                        Self.insertRow, [.uuid(user), .text("2024-01-01 10:00Z"), .text("door"), .text("app")])
                }
                try connection.execute(
                    "UPDATE registrations SET created_at = created_at + interval '1 minute' WHERE id % 2 = 0")
                try connection.execute(
                    Self.insertRow, [.uuid(user), .text("2024-01-01 10:00Z"), .text(nil), .text(nil)])
                try connection.execute(
                    Self.insertRow, [.uuid(user), .text("2024-01-01 10:00Z"), .text(nil), .text(nil)])
            }
            let kinds = try await client.withConnection { connection in
                try connection.query("SELECT code, registration_type, channel FROM arbor.rollup_kinds ORDER BY code")
                    .map {
                        "\(try $0.decode(Int32.self, at: 0)) \(try $0.decode(String?.self, at: 1) ?? "NULL") \(try $0.decode(String?.self, at: 2) ?? "NULL")"
                    }
            }
            #expect(kinds == ["1 door app", "2 NULL NULL"])
            try await Self.expectExact(client, "kinds")
        }
    }
}
