import ArborModel
import ArborTestSupport
import Foundation
import Testing

@testable import ArborStore

/// The loader streams the packs of its snapshot, decoded, in order, and refuses a malformed one.
@Suite struct SnapshotLoaderTests {
    /// What one load streamed.
    struct Streamed: Sendable {
        var graph: SnapshotGraph
        var packs: [(user: UserID, entries: [RollupEntry])]
    }

    static func load(_ client: PostgresClient) async throws -> Streamed {
        try await SnapshotLoader(client: client).load { graph, streamPacks in
            var packs: [(user: UserID, entries: [RollupEntry])] = []
            try streamPacks { user, entries in packs.append((user, entries)) }
            return Streamed(graph: graph, packs: packs)
        }
    }

    @Test func streamsEveryPackWithItsEntriesInOrder() async throws {
        try await TestDatabase.withMigratedClient(timeZone: "Asia/Kolkata") { client in
            var rng = RollupTests.SplitMix(state: 5)
            for _ in 0..<30 {
                let (sql, params) = RollupTests.randomOperation(writer: 1, using: &rng)
                try await client.withConnection { _ = try $0.execute(sql, params) }
            }
            // Rows in three months, one with a NULL user (never packed); then one month emptied.
            try await client.withConnection { connection in
                try connection.execute(
                    """
                    INSERT INTO registrations (created_by, created_at, registration_type, channel)
                    VALUES ($1, '2024-02-29 19:00Z', 'door', NULL), ($1, '2024-07-01 03:00Z', NULL, 'x'),
                        (NULL, '2024-07-01 03:00Z', 'door', 'app'), ($2, '2024-08-10 03:00Z', 'door', 'app')
                    """, [.uuid(RollupTests.users[2]), .uuid(RollupTests.users[3])])
                try connection.execute("DELETE FROM registrations WHERE created_at = '2024-08-10 03:00Z'")
            }
            let streamed = try await Self.load(client)
            let comparison = try await client.withConnection { try Packs.compare($0) }
            let kinds = Dictionary(uniqueKeysWithValues: streamed.graph.kinds.map { ($0.code, $0) })
            #expect(kinds.count == streamed.graph.kinds.count)
            var loaded: [RollupKey: Int64] = [:]
            for pack in streamed.packs {
                #expect(!pack.entries.isEmpty, "empty packs are not streamed")
                for entry in pack.entries {
                    let kind = try #require(kinds[entry.kind])
                    let key = RollupKey(
                        user: pack.user.uuid, day: entry.day, type: kind.registrationType, channel: kind.channel)
                    #expect(loaded[key] == nil)
                    loaded[key] = entry.registrations
                }
                for (previous, next) in zip(pack.entries, pack.entries.dropFirst()) {
                    #expect((previous.day, previous.kind) < (next.day, next.kind))
                }
            }
            #expect(loaded == comparison.expected)
            #expect(loaded.count > 20)
            #expect(streamed.graph.rollupRowCount == loaded.count)
            // (user, month) order: users ascending as PostgreSQL orders uuid, months ascending within a user.
            for (previous, next) in zip(streamed.packs, streamed.packs.dropFirst()) {
                let ordered =
                    previous.user.uuidString < next.user.uuidString
                    || (previous.user == next.user && previous.entries[0].day < next.entries[0].day)
                #expect(ordered)
            }
            #expect(comparison.emptyPacks >= 1, "August was emptied and kept")
        }
    }

    @Test func aCorruptPackFailsTheLoadNamingItsUserAndMonth() async throws {
        try await TestDatabase.withMigratedClient { client in
            let user = RollupTests.users[4]
            try await client.withConnection { connection in
                try connection.execute(
                    """
                    INSERT INTO registrations (created_by, created_at, registration_type, channel)
                    VALUES ($1, '2024-06-03 10:00Z', 'door', 'app'), ($1, '2024-06-04 10:00Z', 'camp', 'app')
                    """, [.uuid(user)])
                try connection.execute("UPDATE arbor.rollup_packs SET entries = substr(entries, 1, 13)")
            }
            let error = try await #require(throws: StoreError.self) { _ = try await Self.load(client) }
            #expect(error.code == .decodingFailed)
            #expect(error.message.contains(UserID(uuid: user).uuidString) && error.message.contains("2024-06-01"))
            // The connection is usable afterwards (the COPY was abandoned cleanly).
            try await client.withConnection { connection in
                // Whole entries, but not as many as row_count says.
                try connection.execute(
                    "UPDATE arbor.rollup_packs SET entries = substr(int8send(0) || int8send(0) || int8send(0)"
                        + " || int8send(0), 1, 28), row_count = 1")
            }
            let mismatch = try await #require(throws: StoreError.self) { _ = try await Self.load(client) }
            #expect(mismatch.code == .decodingFailed && mismatch.message.contains("row_count 1"))
        }
    }
}

/// The pack entry format, byte by byte.
@Suite struct RollupPackDecodingTests {
    static let user = UserID(high: 1, low: 2)
    static let month = Day(year: 2024, month: 2, day: 1)!

    static func entry(day: Int16, kind: Int32, registrations: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        BigEndianBytes.append(day, to: &bytes)
        BigEndianBytes.append(kind, to: &bytes)
        BigEndianBytes.append(registrations, to: &bytes)
        return bytes
    }

    @Test func decodesEntriesAfterWhatIsAlreadyThere() throws {
        let bytes =
            Self.entry(day: 0, kind: 1, registrations: 5) + Self.entry(day: 28, kind: 70_000, registrations: 1 << 40)
            + Self.entry(day: 28, kind: 70_001, registrations: -3)
        var entries = [RollupEntry(day: Self.month, kind: 9, registrations: 9)]
        try RollupPack.decode(bytes[...], rowCount: 3, user: Self.user, month: Self.month, into: &entries)
        #expect(
            entries == [
                RollupEntry(day: Self.month, kind: 9, registrations: 9),
                RollupEntry(day: Self.month, kind: 1, registrations: 5),
                RollupEntry(day: Day(year: 2024, month: 2, day: 29)!, kind: 70_000, registrations: 1 << 40),
                RollupEntry(day: Day(year: 2024, month: 2, day: 29)!, kind: 70_001, registrations: -3),
            ])
        // A slice that does not start at index 0 decodes the same.
        let padded = [0xFF] + Self.entry(day: 3, kind: 2, registrations: 7)
        var fromSlice: [RollupEntry] = []
        try RollupPack.decode(padded[1...], rowCount: 1, user: Self.user, month: Self.month, into: &fromSlice)
        #expect(fromSlice == [RollupEntry(day: Day(year: 2024, month: 2, day: 4)!, kind: 2, registrations: 7)])
    }

    @Test(arguments: [Int16(31), -1, .max, .min])
    func rejectsDayOffsetsOutsideAMonth(offset: Int16) throws {
        let bytes = Self.entry(day: 2, kind: 1, registrations: 1) + Self.entry(day: offset, kind: 1, registrations: 1)
        var entries: [RollupEntry] = []
        let error = try #require(throws: StoreError.self) {
            try RollupPack.decode(bytes[...], rowCount: 2, user: Self.user, month: Self.month, into: &entries)
        }
        #expect(error.code == .decodingFailed)
        #expect(
            error.message.contains(Self.user.uuidString) && error.message.contains("entry 1 has day offset \(offset)"))
    }

    @Test(arguments: [(length: 13, rowCount: Int32(1)), (14, 0), (14, 2), (28, 1), (27, 2), (0, 1), (15, 1)])
    func rejectsLengthsThatDoNotMatch(length: Int, rowCount: Int32) throws {
        let bytes = [UInt8](repeating: 0, count: length)
        var entries: [RollupEntry] = []
        let error = try #require(throws: StoreError.self) {
            try RollupPack.decode(bytes[...], rowCount: rowCount, user: Self.user, month: Self.month, into: &entries)
        }
        #expect(error.code == .decodingFailed)
        #expect(error.message.contains(Self.user.uuidString) && error.message.contains("2024-02-01"))
    }
}
