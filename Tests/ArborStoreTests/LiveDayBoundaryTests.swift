import ArborModel
import ArborStore
import Testing

/// A day is the calendar date in the organisation's time zone: with Asia/Kolkata (UTC+05:30), 18:29 UTC is still
/// the same date and 18:30 UTC is already the next.
@Suite struct LiveDayBoundaryTests {
    static let root = UserID(high: 0, low: 1)
    static let child = UserID(high: 0, low: 2)

    static func withKolkataGraph(_ label: String, _ body: (LiveQueries) async throws -> Void) async throws {
        try await TestDatabase.withMigratedClient(label, timeZone: "Asia/Kolkata") { client in
            try await GraphLoader.load(
                roles: [RoleRow(name: "DPR", level: 2), RoleRow(name: "VOLUNTEER", level: 1)],
                users: [
                    UserRow(id: root, name: "Root", role: "DPR", status: "active"),
                    UserRow(id: child, name: "Child", role: "VOLUNTEER", status: "active"),
                ],
                edges: [EdgeRow(parent: root, child: child)],
                registrations: [
                    (child, "2024-03-10 18:29:00+00", "VOTER", "APP"),
                    (child, "2024-03-10 18:31:00+00", "VOTER", "APP"),
                    (root, "2024-03-10 18:30:00+00", "VOTER", "WEB"),
                    (root, "2024-03-10 18:29:59+00", "MEMBER", "WEB"),
                ],
                into: client)
            try await body(LiveQueries(client: client))
        }
    }

    @Test func filteredStatsGroupsByLocalDate() async throws {
        try await Self.withKolkataGraph(#function) { live in
            let result = try await live.filteredStats(
                FilteredStatsQuery(root: Self.root, groupBy: [.day, .user]), deadline: nil
            ).value
            #expect(
                result.rows == [
                    StatsRow(keys: ["2024-03-10", Self.root.uuidString], registrations: 1, registeringUsers: 1),
                    StatsRow(keys: ["2024-03-10", Self.child.uuidString], registrations: 1, registeringUsers: 1),
                    StatsRow(keys: ["2024-03-11", Self.root.uuidString], registrations: 1, registeringUsers: 1),
                    StatsRow(keys: ["2024-03-11", Self.child.uuidString], registrations: 1, registeringUsers: 1),
                ])
            #expect(result.totalRegistrations == 4 && result.usersInScope == 2)
        }
    }

    @Test(arguments: [
        ("2024-03-10", "2024-03-10", UInt64(2)), ("2024-03-11", "2024-03-11", 2), ("2024-03-11", "", 2),
        ("", "2024-03-09", 0), ("2024-03-10", "2024-03-11", 4),
    ])
    func windowsAreLocalDates(from: String, to: String, expected: UInt64) async throws {
        try await Self.withKolkataGraph("window\(from)\(to)") { live in
            let window = RegistrationFilter(from: Day(iso: from), to: Day(iso: to))
            let stats = try await live.filteredStats(
                FilteredStatsQuery(root: Self.root, registrations: window), deadline: nil
            ).value
            #expect(stats.totalRegistrations == expected)
            #expect(stats.rows.count == (expected > 0 ? 1 : 0))
            let board = try await live.leaderboard(
                LeaderboardQuery(metric: .treeRegistrations, registrations: window), deadline: nil
            ).value
            let rootRow = try #require(board.rows.first { $0.userID == Self.root })
            let childRow = try #require(board.rows.first { $0.userID == Self.child })
            #expect(rootRow.selfRegistrations + rootRow.treeRegistrations == expected)
            #expect(rootRow.treeRegistrations == childRow.selfRegistrations)
        }
    }
}
