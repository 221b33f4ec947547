import ArborModel

// Small graphs for diamonds, self-edges and cycles. Each comment shows the edges and the per-user numbers the
// expectations were worked out from.

private let volunteerRoles = [
    RoleRow(name: "ADMIN", level: 1), RoleRow(name: "DPR", level: 2), RoleRow(name: "VOLUNTEER", level: 5),
]

private func user(_ id: UserID, _ name: String, _ role: String) -> UserRow {
    UserRow(
        id: id, name: name, role: role, state: "KA", district: "Mysuru", block: "B2", village: "V2", status: "active",
        appInstalled: true)
}

private func ok(_ pairs: [(UserID, UInt32)], total: UInt64) -> Result<DescendantsResult, QueryError> {
    .success(DescendantsResult(entries: entries(pairs), total: total))
}

private func ok(_ rows: [StatsRow], total: UInt64, inScope: UInt32) -> Result<FilteredStatsResult, QueryError> {
    .success(FilteredStatsResult(rows: rows, totalRegistrations: total, usersInScope: inScope))
}

private func ok(_ rows: [LeaderboardRow], total: UInt32) -> Result<LeaderboardResult, QueryError> {
    .success(LeaderboardResult(rows: rows, totalRanked: total))
}

private func ok(_ cycles: [[UserID]], total: UInt32) -> Result<CyclesResult, QueryError> {
    .success(CyclesResult(cycles: cycles, total: total))
}

extension HandBuiltGraphs {
    // 1 → 2, 1 → 3, 2 → 4, 3 → 4 (4 has two supervisors), 4 → 5, 1 → 5 (a shortcut: 5 is at depth 1), 3 → 6.
    // Registrations: 4 ×2 (05-01), 5 ×1 (05-02), 6 ×1 (05-01).
    // Downlines: 1 {2,3,4,5,6} · 2 {4,5} · 3 {4,5,6} · 4 {5}. Tree registrations: 1: 4 · 2: 3 · 3: 4 · 4: 1.
    /// A DAG of diamonds: users with two supervisors are counted once, at their shortest depth.
    public static let diamonds = HandBuiltGraph(
        name: "diamonds",
        roles: volunteerRoles,
        users: [
            user(uid(1), "D1", "DPR"), user(uid(2), "D2", "VOLUNTEER"), user(uid(3), "D3", "VOLUNTEER"),
            user(uid(4), "D4", "VOLUNTEER"), user(uid(5), "D5", "VOLUNTEER"), user(uid(6), "D6", "VOLUNTEER"),
        ],
        edges: [
            edge(uid(1), uid(2)), edge(uid(1), uid(3)), edge(uid(2), uid(4)), edge(uid(3), uid(4)),
            edge(uid(4), uid(5)), edge(uid(1), uid(5)), edge(uid(3), uid(6)),
        ],
        registrations: [
            registration(uid(4), "2024-05-01 10:00:00+00", "NEW", "APP"),
            registration(uid(4), "2024-05-01 11:00:00+00", "NEW", "APP"),
            registration(uid(5), "2024-05-02 10:00:00+00", "NEW", "APP"),
            registration(uid(6), "2024-05-01 10:00:00+00", "NEW", "APP"),
        ],
        cases: [
            .descendants(
                "a user under two supervisors appears once, at its shortest depth", DescendantsQuery(root: uid(1)),
                ok([(uid(2), 1), (uid(3), 1), (uid(5), 1), (uid(4), 2), (uid(6), 2)], total: 5)),
            .descendants(
                "max_depth 1 uses shortest depth", DescendantsQuery(root: uid(1), maxDepth: 1),
                ok([(uid(2), 1), (uid(3), 1), (uid(5), 1)], total: 3)),
            .descendants(
                "the other side of the diamond", DescendantsQuery(root: uid(3)),
                ok([(uid(4), 1), (uid(6), 1), (uid(5), 2)], total: 3)),
            .filteredStats(
                "a shared descendant's registrations count once", FilteredStatsQuery(root: uid(1)),
                ok([stats([], 4, 3)], total: 4, inScope: 6)),
            .filteredStats(
                "max_depth 1 includes the shortcut child", FilteredStatsQuery(root: uid(1), maxDepth: 1),
                ok([stats([], 1, 1)], total: 1, inScope: 4)),
            .filteredStats(
                "group by USER under one side", FilteredStatsQuery(root: uid(2), groupBy: [.user]),
                ok(
                    [
                        stats(["00000000-0000-0000-0000-000000000004"], 2, 1),
                        stats(["00000000-0000-0000-0000-000000000005"], 1, 1),
                    ], total: 3, inScope: 3)),
            .leaderboard(
                "tree_registrations counts distinct descendants once", LeaderboardQuery(),
                ok(
                    [
                        ranked(
                            1, uid(1), "D1", "DPR", self: 0, tree: 4, children: 3, downline: 5,
                            byRole: [("VOLUNTEER", 5)]),
                        ranked(
                            2, uid(3), "D3", "VOLUNTEER", self: 0, tree: 4, children: 2, downline: 3,
                            byRole: [("VOLUNTEER", 3)]),
                        ranked(
                            3, uid(2), "D2", "VOLUNTEER", self: 0, tree: 3, children: 1, downline: 2,
                            byRole: [("VOLUNTEER", 2)]),
                        ranked(
                            4, uid(4), "D4", "VOLUNTEER", self: 2, tree: 1, children: 1, downline: 1,
                            byRole: [("VOLUNTEER", 1)]),
                        ranked(5, uid(5), "D5", "VOLUNTEER", self: 1, tree: 0, children: 0, downline: 0, byRole: []),
                        ranked(6, uid(6), "D6", "VOLUNTEER", self: 1, tree: 0, children: 0, downline: 0, byRole: []),
                    ], total: 6)),
            .cycles("a DAG has no cycles", CyclesQuery(), ok([], total: 0)),
        ]
    )

    // 1 → 1 (self-edge), 1 → 2, 2 → 3. Registrations: 1 ×2, 2 ×1, 3 ×1.
    /// A self-edge: the user is a cycle of one but never its own descendant.
    public static let selfEdge = HandBuiltGraph(
        name: "self-edge",
        roles: volunteerRoles,
        users: [user(uid(1), "Sam", "ADMIN"), user(uid(2), "Tia", "VOLUNTEER"), user(uid(3), "Uma", "VOLUNTEER")],
        edges: [edge(uid(1), uid(1)), edge(uid(1), uid(2)), edge(uid(2), uid(3))],
        registrations: [
            registration(uid(1), "2024-05-01 10:00:00+00", "NEW", "APP"),
            registration(uid(1), "2024-05-01 11:00:00+00", "NEW", "APP"),
            registration(uid(2), "2024-05-01 10:00:00+00", "NEW", "APP"),
            registration(uid(3), "2024-05-02 10:00:00+00", "NEW", "APP"),
        ],
        cases: [
            .descendants(
                "a self-edge does not make the root its own descendant", DescendantsQuery(root: uid(1)),
                ok([(uid(2), 1), (uid(3), 2)], total: 2)),
            .descendants(
                "include_root with a self-edge: the root once, at depth 0",
                DescendantsQuery(root: uid(1), includeRoot: true),
                ok([(uid(1), 0), (uid(2), 1), (uid(3), 2)], total: 3)
            ),
            .filteredStats(
                "the root's own registrations are in scope", FilteredStatsQuery(root: uid(1)),
                ok([stats([], 4, 3)], total: 4, inScope: 3)),
            .filteredStats(
                "exclude_root with a self-edge", FilteredStatsQuery(root: uid(1), excludeRoot: true),
                ok([stats([], 2, 2)], total: 2, inScope: 2)),
            .leaderboard(
                "a self-edge is not a direct child nor downline", LeaderboardQuery(),
                ok(
                    [
                        ranked(
                            1, uid(1), "Sam", "ADMIN", self: 2, tree: 2, children: 1, downline: 2,
                            byRole: [("VOLUNTEER", 2)]),
                        ranked(
                            2, uid(2), "Tia", "VOLUNTEER", self: 1, tree: 1, children: 1, downline: 1,
                            byRole: [("VOLUNTEER", 1)]),
                        ranked(3, uid(3), "Uma", "VOLUNTEER", self: 1, tree: 0, children: 0, downline: 0, byRole: []),
                    ], total: 3)),
            .cycles("a self-edge is a cycle of one", CyclesQuery(), ok([[uid(1)]], total: 1)),
        ]
    )

    // 1 → 2, 2 → 3, 3 → 2 (a 2-cycle {2,3}), 3 → 4. Registrations: 1 ×1, 2 ×2, 3 ×3, 4 ×4 (2 on 05-01, 2 on 05-02).
    // Downlines: 1 {2,3,4} · 2 {3,4} · 3 {2,4} · 4 {}. Tree registrations: 1: 9 · 2: 7 · 3: 6.
    /// A 2-cycle below the root.
    public static let twoCycle = HandBuiltGraph(
        name: "two-cycle",
        roles: volunteerRoles,
        users: [
            user(uid(1), "Ana", "ADMIN"), user(uid(2), "Ben", "DPR"), user(uid(3), "Cid", "DPR"),
            user(uid(4), "Dov", "VOLUNTEER"),
        ],
        edges: [edge(uid(1), uid(2)), edge(uid(2), uid(3)), edge(uid(3), uid(2)), edge(uid(3), uid(4))],
        registrations: [
            registration(uid(1), "2024-05-01 10:00:00+00", "NEW", "APP"),
            registration(uid(2), "2024-05-01 10:00:00+00", "NEW", "APP"),
            registration(uid(2), "2024-05-01 11:00:00+00", "NEW", "APP"),
            registration(uid(3), "2024-05-01 10:00:00+00", "NEW", "APP"),
            registration(uid(3), "2024-05-01 11:00:00+00", "NEW", "APP"),
            registration(uid(3), "2024-05-01 12:00:00+00", "NEW", "APP"),
            registration(uid(4), "2024-05-01 10:00:00+00", "NEW", "APP"),
            registration(uid(4), "2024-05-01 11:00:00+00", "NEW", "APP"),
            registration(uid(4), "2024-05-02 10:00:00+00", "NEW", "APP"),
            registration(uid(4), "2024-05-02 11:00:00+00", "NEW", "APP"),
        ],
        cases: [
            .descendants(
                "through a 2-cycle", DescendantsQuery(root: uid(1)),
                ok([(uid(2), 1), (uid(3), 2), (uid(4), 3)], total: 3)),
            .descendants(
                "a root on a 2-cycle is not its own descendant", DescendantsQuery(root: uid(2)),
                ok([(uid(3), 1), (uid(4), 2)], total: 2)),
            .descendants(
                "the other member of the 2-cycle", DescendantsQuery(root: uid(3)),
                ok([(uid(2), 1), (uid(4), 1)], total: 2)),
            .descendants(
                "include_root on a cycle: the root only at depth 0",
                DescendantsQuery(root: uid(2), includeRoot: true),
                ok([(uid(2), 0), (uid(3), 1), (uid(4), 2)], total: 3)
            ),
            .descendants(
                "include_root with max_depth 1 on a cycle",
                DescendantsQuery(root: uid(3), maxDepth: 1, includeRoot: true),
                ok([(uid(3), 0), (uid(2), 1), (uid(4), 1)], total: 3)),
            .filteredStats(
                "a root on a cycle is counted once", FilteredStatsQuery(root: uid(2)),
                ok([stats([], 9, 3)], total: 9, inScope: 3)),
            .filteredStats(
                "exclude_root removes a root that sits on a cycle", FilteredStatsQuery(root: uid(2), excludeRoot: true),
                ok([stats([], 7, 2)], total: 7, inScope: 2)),
            .filteredStats(
                "exclude_root on a cycle with max_depth 1",
                FilteredStatsQuery(root: uid(2), excludeRoot: true, maxDepth: 1),
                ok([stats([], 3, 1)], total: 3, inScope: 1)),
            .filteredStats(
                "max_depth 1 on a cycle, root kept", FilteredStatsQuery(root: uid(2), maxDepth: 1, groupBy: [.user]),
                ok(
                    [
                        stats(["00000000-0000-0000-0000-000000000002"], 2, 1),
                        stats(["00000000-0000-0000-0000-000000000003"], 3, 1),
                    ], total: 5, inScope: 2)),
            .leaderboard(
                "downline_size on a 2-cycle excludes the user itself", LeaderboardQuery(metric: .downlineSize),
                ok(
                    [
                        ranked(
                            1, uid(1), "Ana", "ADMIN", self: 1, tree: 9, children: 1, downline: 3,
                            byRole: [("DPR", 2), ("VOLUNTEER", 1)]),
                        ranked(
                            2, uid(2), "Ben", "DPR", self: 2, tree: 7, children: 1, downline: 2,
                            byRole: [("DPR", 1), ("VOLUNTEER", 1)]),
                        ranked(
                            3, uid(3), "Cid", "DPR", self: 3, tree: 6, children: 2, downline: 2,
                            byRole: [("DPR", 1), ("VOLUNTEER", 1)]),
                        ranked(4, uid(4), "Dov", "VOLUNTEER", self: 4, tree: 0, children: 0, downline: 0, byRole: []),
                    ], total: 4)),
            .leaderboard(
                "direct_children on a 2-cycle", LeaderboardQuery(metric: .directChildren, limit: 2),
                ok(
                    [
                        ranked(
                            1, uid(3), "Cid", "DPR", self: 3, tree: 6, children: 2, downline: 2,
                            byRole: [("DPR", 1), ("VOLUNTEER", 1)]),
                        ranked(
                            2, uid(1), "Ana", "ADMIN", self: 1, tree: 9, children: 1, downline: 3,
                            byRole: [("DPR", 2), ("VOLUNTEER", 1)]),
                    ], total: 4)),
            .cycles("a 2-cycle", CyclesQuery(), ok([[uid(2), uid(3)]], total: 1)),
        ]
    )

    // 1 → 2, 2 → 3, 3 → 1 (the root is on the cycle {1,2,3}), 3 → 4.
    // Registrations: 1 ×5 (05-01), 2, 3 and 4 ×1 each (05-02).
    // Downlines: 1 {2,3,4} · 2 {1,3,4} · 3 {1,2,4}. Tree registrations: 1: 3 · 2: 7 · 3: 7 · 4: 0.
    /// A cycle through the root.
    public static let cycleThroughRoot = HandBuiltGraph(
        name: "cycle-through-root",
        roles: volunteerRoles,
        users: [
            user(uid(1), "Kai", "ADMIN"), user(uid(2), "Lea", "VOLUNTEER"), user(uid(3), "Max", "VOLUNTEER"),
            user(uid(4), "Noa", "VOLUNTEER"),
        ],
        edges: [edge(uid(1), uid(2)), edge(uid(2), uid(3)), edge(uid(3), uid(1)), edge(uid(3), uid(4))],
        registrations: [
            registration(uid(1), "2024-05-01 10:00:00+00", "NEW", "APP"),
            registration(uid(1), "2024-05-01 10:01:00+00", "NEW", "APP"),
            registration(uid(1), "2024-05-01 10:02:00+00", "NEW", "APP"),
            registration(uid(1), "2024-05-01 10:03:00+00", "NEW", "APP"),
            registration(uid(1), "2024-05-01 10:04:00+00", "NEW", "APP"),
            registration(uid(2), "2024-05-02 10:00:00+00", "NEW", "APP"),
            registration(uid(3), "2024-05-02 10:00:00+00", "NEW", "APP"),
            registration(uid(4), "2024-05-02 10:00:00+00", "NEW", "APP"),
        ],
        cases: [
            .descendants(
                "a root on a cycle is not its own descendant", DescendantsQuery(root: uid(1)),
                ok([(uid(2), 1), (uid(3), 2), (uid(4), 3)], total: 3)),
            .descendants(
                "include_root with the root on a cycle", DescendantsQuery(root: uid(1), includeRoot: true),
                ok([(uid(1), 0), (uid(2), 1), (uid(3), 2), (uid(4), 3)], total: 4)),
            .descendants(
                "include_root, root on a cycle failing the filter",
                DescendantsQuery(root: uid(1), filter: UserFilter(roles: ["VOLUNTEER"]), includeRoot: true),
                ok([(uid(2), 1), (uid(3), 2), (uid(4), 3)], total: 3)),
            .descendants(
                "a filter matching only the root on a cycle finds nothing",
                DescendantsQuery(root: uid(1), filter: UserFilter(roles: ["ADMIN"])), ok([], total: 0)),
            .descendants(
                "from another member: the root of the cycle comes back as a descendant",
                DescendantsQuery(root: uid(2)), ok([(uid(3), 1), (uid(1), 2), (uid(4), 2)], total: 3)),
            .filteredStats(
                "root on a cycle counted once", FilteredStatsQuery(root: uid(1)),
                ok([stats([], 8, 4)], total: 8, inScope: 4)),
            .filteredStats(
                "exclude_root removes the root even though it reaches itself",
                FilteredStatsQuery(root: uid(1), excludeRoot: true, groupBy: [.user]),
                ok(
                    [
                        stats(["00000000-0000-0000-0000-000000000002"], 1, 1),
                        stats(["00000000-0000-0000-0000-000000000003"], 1, 1),
                        stats(["00000000-0000-0000-0000-000000000004"], 1, 1),
                    ], total: 3, inScope: 3)),
            .filteredStats(
                "exclude_root, by day", FilteredStatsQuery(root: uid(2), excludeRoot: true, groupBy: [.day]),
                ok([stats(["2024-05-01"], 5, 1), stats(["2024-05-02"], 2, 2)], total: 7, inScope: 3)),
            .leaderboard(
                "everyone on the cycle has the whole cycle's downline", LeaderboardQuery(),
                ok(
                    [
                        ranked(
                            1, uid(2), "Lea", "VOLUNTEER", self: 1, tree: 7, children: 1, downline: 3,
                            byRole: [("ADMIN", 1), ("VOLUNTEER", 2)]),
                        ranked(
                            2, uid(3), "Max", "VOLUNTEER", self: 1, tree: 7, children: 2, downline: 3,
                            byRole: [("ADMIN", 1), ("VOLUNTEER", 2)]),
                        ranked(
                            3, uid(1), "Kai", "ADMIN", self: 5, tree: 3, children: 1, downline: 3,
                            byRole: [("VOLUNTEER", 3)]),
                        ranked(4, uid(4), "Noa", "VOLUNTEER", self: 1, tree: 0, children: 0, downline: 0, byRole: []),
                    ], total: 4)),
            .leaderboard(
                "within a user on a cycle never ranks that user", LeaderboardQuery(within: uid(1)),
                ok(
                    [
                        ranked(
                            1, uid(2), "Lea", "VOLUNTEER", self: 1, tree: 7, children: 1, downline: 3,
                            byRole: [("ADMIN", 1), ("VOLUNTEER", 2)]),
                        ranked(
                            2, uid(3), "Max", "VOLUNTEER", self: 1, tree: 7, children: 2, downline: 3,
                            byRole: [("ADMIN", 1), ("VOLUNTEER", 2)]),
                        ranked(3, uid(4), "Noa", "VOLUNTEER", self: 1, tree: 0, children: 0, downline: 0, byRole: []),
                    ], total: 3)),
            .leaderboard(
                "downline_role counts cycle members", LeaderboardQuery(metric: .downlineRole("ADMIN"), limit: 2),
                ok(
                    [
                        ranked(
                            1, uid(2), "Lea", "VOLUNTEER", self: 1, tree: 7, children: 1, downline: 3,
                            byRole: [("ADMIN", 1), ("VOLUNTEER", 2)]),
                        ranked(
                            2, uid(3), "Max", "VOLUNTEER", self: 1, tree: 7, children: 2, downline: 3,
                            byRole: [("ADMIN", 1), ("VOLUNTEER", 2)]),
                    ], total: 4)),
            .cycles("a cycle through the root", CyclesQuery(), ok([[uid(1), uid(2), uid(3)]], total: 1)),
        ]
    )

    // Components: {7,8,9} (7 → 8 → 9 → 7, plus the chord 7 → 9), {1,2}, {3,4}, {H1,H2} (ids 01… and ff…),
    // self-edges 5 → 5 and 10 → 10, and 2 → 11 → 3 joining cycles without merging them.
    /// Several cycles, for the ordering of `Cycles`: largest first, then by first member.
    public static let cycleZoo: HandBuiltGraph = {
        let low = UserID(high: 0x0100_0000_0000_0000, low: 0)
        let high = UserID(high: 0xFF00_0000_0000_0000, low: 0)
        let members = (1...11).map { uid(UInt64($0)) } + [low, high]
        return HandBuiltGraph(
            name: "cycle-zoo",
            roles: volunteerRoles,
            users: members.enumerated().map { user($0.element, "Z\($0.offset + 1)", "VOLUNTEER") },
            edges: [
                edge(uid(7), uid(8)), edge(uid(8), uid(9)), edge(uid(9), uid(7)), edge(uid(7), uid(9)),
                edge(uid(1), uid(2)), edge(uid(2), uid(1)), edge(uid(3), uid(4)), edge(uid(4), uid(3)),
                edge(high, low), edge(low, high), edge(uid(5), uid(5)), edge(uid(10), uid(10)),
                edge(uid(2), uid(11)), edge(uid(11), uid(3)),
            ],
            registrations: [],
            cases: [
                .cycles(
                    "largest first, then by first member, members ascending", CyclesQuery(),
                    ok(
                        [
                            [uid(7), uid(8), uid(9)], [uid(1), uid(2)], [uid(3), uid(4)], [low, high], [uid(5)],
                            [uid(10)],
                        ], total: 6)),
                .cycles(
                    "limit keeps the first groups, total counts all", CyclesQuery(limit: 2),
                    ok([[uid(7), uid(8), uid(9)], [uid(1), uid(2)]], total: 6)),
                .descendants(
                    "through chained cycles", DescendantsQuery(root: uid(1)),
                    ok([(uid(2), 1), (uid(11), 2), (uid(3), 3), (uid(4), 4)], total: 4)),
                .filteredStats(
                    "no registrations at all: no rows", FilteredStatsQuery(root: uid(1), groupBy: [.day]),
                    ok([], total: 0, inScope: 5)),
            ]
        )
    }()
}
