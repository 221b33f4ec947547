import ArborModel

// A ladder of 30 diamonds: t(k) → a(k), t(k) → b(k), a(k) → t(k+1), b(k) → t(k+1) for k in 0..<30. There are 2^30
// paths from t(0) to t(30), so anything that enumerates paths never finishes. Each t(k) has one registration.
//
// Answers by formula: depth of t(k) is 2k, of a(k) and b(k) 2k+1; t(k) has 3(30-k) descendants, a(k) and b(k)
// have 88-3k; ids order a(k) (2000+k) before b(k) (3000+k), and t(k) is 1000+k.
private let rungs = 30
private func t(_ k: Int) -> UserID { uid(UInt64(1000 + k)) }
private func a(_ k: Int) -> UserID { uid(UInt64(2000 + k)) }
private func b(_ k: Int) -> UserID { uid(UInt64(3000 + k)) }

extension HandBuiltGraphs {
    /// A ladder of 30 diamonds (91 users), with answers stated by formula.
    public static let ladder = HandBuiltGraph(
        name: "ladder",
        roles: [RoleRow(name: "DPOC", level: 3), RoleRow(name: "VOLUNTEER", level: 5)],
        users: (0...rungs).map { UserRow(id: t($0), name: "T\($0)", role: "DPOC") }
            + (0..<rungs).flatMap {
                [
                    UserRow(id: a($0), name: "A\($0)", role: "VOLUNTEER"),
                    UserRow(id: b($0), name: "B\($0)", role: "VOLUNTEER"),
                ]
            },
        edges: (0..<rungs).flatMap {
            [edge(t($0), a($0)), edge(t($0), b($0)), edge(a($0), t($0 + 1)), edge(b($0), t($0 + 1))]
        },
        registrations: (0...rungs).map { registration(t($0), "2024-05-01 12:00:00+00", "NEW", "APP") },
        cases: [
            .descendants(
                "every user once, depth by formula", DescendantsQuery(root: t(0)),
                .success(
                    DescendantsResult(
                        entries: (0..<rungs).flatMap {
                            entries([
                                (a($0), UInt32(2 * $0 + 1)), (b($0), UInt32(2 * $0 + 1)),
                                (t($0 + 1), UInt32(2 * $0 + 2)),
                            ])
                        }, total: 90))),
            .descendants(
                "max_depth 3", DescendantsQuery(root: t(0), maxDepth: 3),
                .success(
                    DescendantsResult(
                        entries: entries([(a(0), 1), (b(0), 1), (t(1), 2), (a(1), 3), (b(1), 3)]), total: 5))),
            .descendants(
                "role filter with limit", DescendantsQuery(root: t(0), filter: UserFilter(roles: ["DPOC"]), limit: 5),
                .success(
                    DescendantsResult(
                        entries: entries([(t(1), 2), (t(2), 4), (t(3), 6), (t(4), 8), (t(5), 10)]), total: 30))),
            .filteredStats(
                "each registration once despite 2^30 paths", FilteredStatsQuery(root: t(0), groupBy: [.day]),
                .success(
                    FilteredStatsResult(
                        rows: [stats(["2024-05-01"], 31, 31)], totalRegistrations: 31, usersInScope: 91))),
            .filteredStats(
                "max_depth in the middle of the ladder", FilteredStatsQuery(root: t(15), maxDepth: 4),
                .success(FilteredStatsResult(rows: [stats([], 3, 3)], totalRegistrations: 3, usersInScope: 7))),
            .leaderboard(
                "downline_size on the ladder", LeaderboardQuery(metric: .downlineSize, limit: 3),
                .success(
                    LeaderboardResult(
                        rows: [
                            ranked(
                                1, t(0), "T0", "DPOC", self: 1, tree: 30, children: 2, downline: 90,
                                byRole: [("DPOC", 30), ("VOLUNTEER", 60)]),
                            ranked(
                                2, a(0), "A0", "VOLUNTEER", self: 0, tree: 30, children: 1, downline: 88,
                                byRole: [("DPOC", 30), ("VOLUNTEER", 58)]),
                            ranked(
                                3, b(0), "B0", "VOLUNTEER", self: 0, tree: 30, children: 1, downline: 88,
                                byRole: [("DPOC", 30), ("VOLUNTEER", 58)]),
                        ], totalRanked: 91))),
            .cycles("a ladder has no cycles", CyclesQuery(), .success(CyclesResult(cycles: [], total: 0))),
        ]
    )
}
