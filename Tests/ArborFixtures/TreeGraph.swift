import ArborModel

// A nine-user tree with every attribute varied, one NULL-attribute user and an id whose first byte is 0x80 (it
// must sort after every 0x00 id: UUIDs compare as unsigned bytes).
//
//            1 Asha (ADMIN)
//          /                \
//     2 Bala (DPR)        3 Chitra (DPR)
//     /        \               |
//  4 Deepa    5 Esha       6 Farid (LPR)
//  (DPOC)     (DPOC)           |
//   /   \                   ravi (VOLUNTEER, id 80000000-…)
// 7 Gita  8 Hari
// (VOL)   (VOL)
private let asha = uid(1)
private let bala = uid(2)
private let chitra = uid(3)
private let deepa = uid(4)
private let esha = uid(5)
private let farid = uid(6)
private let gita = uid(7)
private let hari = uid(8)
private let ravi = UserID(high: 0x8000_0000_0000_0000, low: 0)

// Registrations (UTC). Per user: Asha 1, Bala 2, Chitra 0, Deepa 3, Esha 2, Farid 1, Gita 1, Hari 1, ravi 1 = 12.
// By day: 04-30: 1 (ravi) · 05-01: 4 (Asha, Bala, Esha, Hari) · 05-02: 3 (Bala, Deepa, Farid)
//         05-03: 3 (Deepa ×2, Esha) · 05-04: 1 (Gita)
private let treeRegistrations = [
    registration(asha, "2024-05-01 10:00:00+00", "NEW", "APP"),
    registration(bala, "2024-05-01 09:00:00+00", "NEW", "APP"),
    registration(bala, "2024-05-02 23:59:59+00", "NEW", "WEB"),
    registration(deepa, "2024-05-02 00:00:00+00", "RENEW", "APP"),
    registration(deepa, "2024-05-03 12:00:00+00", "NEW", "APP"),
    registration(deepa, "2024-05-03 13:00:00+00", "NEW", "APP"),
    registration(esha, "2024-05-01 08:00:00+00", "NEW", nil),
    registration(esha, "2024-05-03 08:00:00+00", nil, "APP"),
    registration(farid, "2024-05-02 10:00:00+00", "NEW", "WEB"),
    registration(gita, "2024-05-04 10:00:00+00", "NEW", "APP"),
    registration(hari, "2024-05-01 10:00:00+00", "RENEW", "WEB"),
    registration(ravi, "2024-04-30 23:00:00+00", "NEW", "APP"),
]

/// A leaderboard row of this tree: name, role, direct children, downline size and downline by role never depend
/// on registration filters, so they are written once per user here; `self` and `tree` are given per case.
private func row(_ rank: UInt32, _ id: UserID, self selfCount: UInt64, tree: UInt64) -> LeaderboardRow {
    switch id {
    case asha:
        ranked(
            rank, id, "Asha", "ADMIN", self: selfCount, tree: tree, children: 2, downline: 8,
            byRole: [("DPOC", 2), ("DPR", 2), ("LPR", 1), ("VOLUNTEER", 3)])
    case bala:
        ranked(
            rank, id, "Bala", "DPR", self: selfCount, tree: tree, children: 2, downline: 4,
            byRole: [("DPOC", 2), ("VOLUNTEER", 2)])
    case chitra:
        ranked(
            rank, id, "Chitra", "DPR", self: selfCount, tree: tree, children: 1, downline: 2,
            byRole: [("LPR", 1), ("VOLUNTEER", 1)])
    case deepa:
        ranked(
            rank, id, "Deepa", "DPOC", self: selfCount, tree: tree, children: 2, downline: 2,
            byRole: [("VOLUNTEER", 2)])
    case esha:
        ranked(rank, id, "Esha", "DPOC", self: selfCount, tree: tree, children: 0, downline: 0, byRole: [])
    case farid:
        ranked(
            rank, id, "Farid", "LPR", self: selfCount, tree: tree, children: 1, downline: 1,
            byRole: [("VOLUNTEER", 1)])
    case gita:
        ranked(rank, id, "Gita", "VOLUNTEER", self: selfCount, tree: tree, children: 0, downline: 0, byRole: [])
    case hari:
        ranked(rank, id, "Hari", "VOLUNTEER", self: selfCount, tree: tree, children: 0, downline: 0, byRole: [])
    case ravi:
        ranked(rank, id, "ravi", "VOLUNTEER", self: selfCount, tree: tree, children: 0, downline: 0, byRole: [])
    default:
        preconditionFailure("not a user of the tree fixture")
    }
}

private func descendants(
    _ label: String, _ query: DescendantsQuery, _ pairs: [(UserID, UInt32)], total: UInt64
) -> FixtureCase {
    .descendants(label, query, .success(DescendantsResult(entries: entries(pairs), total: total)))
}

private func filteredStats(
    _ label: String, _ query: FilteredStatsQuery, _ rows: [StatsRow], total: UInt64, inScope: UInt32
) -> FixtureCase {
    .filteredStats(
        label, query, .success(FilteredStatsResult(rows: rows, totalRegistrations: total, usersInScope: inScope)))
}

private func leaderboard(_ label: String, _ query: LeaderboardQuery, _ rows: [LeaderboardRow], total: UInt32)
    -> FixtureCase
{
    .leaderboard(label, query, .success(LeaderboardResult(rows: rows, totalRanked: total)))
}

extension HandBuiltGraphs {
    /// A tree with varied attributes, NULL attributes and a high-bit id.
    public static let tree = HandBuiltGraph(
        name: "tree",
        roles: [
            RoleRow(name: "ADMIN", level: 1), RoleRow(name: "DPR", level: 2), RoleRow(name: "DPOC", level: 3),
            RoleRow(name: "LPR", level: 4), RoleRow(name: "VOLUNTEER", level: 5), RoleRow(name: "UNUSED", level: nil),
        ],
        users: [
            UserRow(
                id: asha, name: "Asha", role: "ADMIN", state: "KA", district: "Bengaluru", block: "B1", village: "V1",
                status: "active", appInstalled: true),
            UserRow(
                id: bala, name: "Bala", role: "DPR", state: "KA", district: "Mysuru", block: "B2", village: "V2",
                status: "active", appInstalled: true),
            UserRow(
                id: chitra, name: "Chitra", role: "DPR", state: "KA", district: "Bengaluru", block: "B1",
                village: "V1", status: "inactive", appInstalled: false),
            UserRow(
                id: deepa, name: "Deepa", role: "DPOC", state: "KA", district: "Mysuru", block: "B2", village: "V3",
                status: "active", appInstalled: nil),
            UserRow(
                id: esha, name: "Esha", role: "DPOC", state: "TN", district: "Chennai", block: "B3", village: "V4",
                status: nil, appInstalled: true),
            UserRow(
                id: farid, name: "Farid", role: "LPR", state: "KA", district: "Bengaluru", block: "B1", village: "V1",
                status: "active", appInstalled: true),
            UserRow(
                id: gita, name: "Gita", role: "VOLUNTEER", state: nil, district: nil, block: nil, village: nil,
                status: "active", appInstalled: false),
            UserRow(
                id: hari, name: "Hari", role: "VOLUNTEER", state: "KA", district: "Mysuru", block: "B2", village: "V2",
                status: "active", appInstalled: true),
            UserRow(
                id: ravi, name: "ravi", role: "VOLUNTEER", state: "KA", district: "Bengaluru", block: "B1",
                village: "V1", status: "active", appInstalled: true),
        ],
        edges: [
            edge(asha, bala), edge(asha, chitra), edge(bala, deepa), edge(bala, esha), edge(chitra, farid),
            edge(deepa, gita), edge(deepa, hari), edge(farid, ravi),
        ],
        registrations: treeRegistrations,
        cases: [
            // Descendants
            descendants(
                "all descendants of the root, by depth then id", DescendantsQuery(root: asha),
                [(bala, 1), (chitra, 1), (deepa, 2), (esha, 2), (farid, 2), (gita, 3), (hari, 3), (ravi, 3)],
                total: 8),
            descendants(
                "max_depth 2 stops below depth 2", DescendantsQuery(root: asha, maxDepth: 2),
                [(bala, 1), (chitra, 1), (deepa, 2), (esha, 2), (farid, 2)], total: 5),
            descendants(
                "include_root puts a passing root first at depth 0", DescendantsQuery(root: asha, includeRoot: true),
                [
                    (asha, 0), (bala, 1), (chitra, 1), (deepa, 2), (esha, 2), (farid, 2), (gita, 3), (hari, 3),
                    (ravi, 3),
                ], total: 9),
            descendants(
                "include_root leaves out a root that fails the filter",
                DescendantsQuery(root: asha, filter: UserFilter(roles: ["VOLUNTEER"]), includeRoot: true),
                [(gita, 3), (hari, 3), (ravi, 3)], total: 3),
            descendants(
                "include_root counts the root toward limit and total",
                DescendantsQuery(root: asha, includeRoot: true, limit: 2), [(asha, 0), (bala, 1)], total: 9),
            descendants(
                "limit cuts entries, total counts every match", DescendantsQuery(root: asha, limit: 4),
                [(bala, 1), (chitra, 1), (deepa, 2), (esha, 2)], total: 8),
            descendants(
                "state filter; a NULL state never matches",
                DescendantsQuery(root: asha, filter: UserFilter(states: ["KA"])),
                [(bala, 1), (chitra, 1), (deepa, 2), (farid, 2), (hari, 3), (ravi, 3)], total: 6),
            descendants(
                "district filter passes through excluded users",
                DescendantsQuery(root: asha, filter: UserFilter(districts: ["Bengaluru"])),
                [(chitra, 1), (farid, 2), (ravi, 3)], total: 3),
            descendants(
                "block filter", DescendantsQuery(root: asha, filter: UserFilter(blocks: ["B2"])),
                [(bala, 1), (deepa, 2), (hari, 3)], total: 3),
            descendants(
                "village filter with two values",
                DescendantsQuery(root: asha, filter: UserFilter(villages: ["V2", "V4"])),
                [(bala, 1), (esha, 2), (hari, 3)], total: 3),
            descendants(
                "role filter with two values",
                DescendantsQuery(root: asha, filter: UserFilter(roles: ["DPOC", "LPR"])),
                [(deepa, 2), (esha, 2), (farid, 2)], total: 3),
            descendants(
                "active true selects status active only",
                DescendantsQuery(root: asha, filter: UserFilter(active: true)),
                [(bala, 1), (deepa, 2), (farid, 2), (gita, 3), (hari, 3), (ravi, 3)], total: 6),
            descendants(
                "active false selects inactive and NULL status",
                DescendantsQuery(root: asha, filter: UserFilter(active: false)), [(chitra, 1), (esha, 2)], total: 2),
            descendants(
                "app_installed true", DescendantsQuery(root: asha, filter: UserFilter(appInstalled: true)),
                [(bala, 1), (esha, 2), (farid, 2), (hari, 3), (ravi, 3)], total: 5),
            descendants(
                "app_installed false; NULL matches neither",
                DescendantsQuery(root: asha, filter: UserFilter(appInstalled: false)), [(chitra, 1), (gita, 3)],
                total: 2),
            descendants(
                "filters combine with AND",
                DescendantsQuery(root: asha, filter: UserFilter(states: ["KA"], active: true, appInstalled: true)),
                [(bala, 1), (farid, 2), (hari, 3), (ravi, 3)], total: 4),
            descendants(
                "an empty-string filter value does not match NULL",
                DescendantsQuery(root: asha, filter: UserFilter(states: [""])), [], total: 0),
            descendants("a leaf has no descendants", DescendantsQuery(root: gita), [], total: 0),
            descendants(
                "a subtree", DescendantsQuery(root: bala), [(deepa, 1), (esha, 1), (gita, 2), (hari, 2)], total: 4),
            .descendants(
                "unknown root is not found", DescendantsQuery(root: unknownID),
                .failure(.unknownUser(unknownID, field: "root"))),
            .descendants(
                "unknown role is invalid",
                DescendantsQuery(root: asha, filter: UserFilter(roles: ["VOLUNTEER", "KING"])),
                .failure(.unknownRole("KING", field: "filter.roles"))),

            // FilteredStats
            filteredStats(
                "no group_by: one row with no keys", FilteredStatsQuery(root: asha), [stats([], 12, 8)], total: 12,
                inScope: 9),
            filteredStats(
                "exclude_root removes the root's registrations and the root from scope",
                FilteredStatsQuery(root: asha, excludeRoot: true), [stats([], 11, 7)], total: 11, inScope: 8),
            filteredStats(
                "max_depth 1 keeps the root and its children",
                FilteredStatsQuery(root: asha, maxDepth: 1), [stats([], 3, 2)], total: 3, inScope: 3),
            filteredStats(
                "group by DAY",
                FilteredStatsQuery(root: asha, groupBy: [.day]),
                [
                    stats(["2024-04-30"], 1, 1), stats(["2024-05-01"], 4, 4), stats(["2024-05-02"], 3, 3),
                    stats(["2024-05-03"], 3, 2), stats(["2024-05-04"], 1, 1),
                ], total: 12, inScope: 9),
            filteredStats(
                "window bounds are inclusive",
                FilteredStatsQuery(
                    root: asha, registrations: RegistrationFilter(from: day("2024-05-01"), to: day("2024-05-02")),
                    groupBy: [.day]),
                [stats(["2024-05-01"], 4, 4), stats(["2024-05-02"], 3, 3)], total: 7, inScope: 9),
            filteredStats(
                "from only",
                FilteredStatsQuery(
                    root: asha, registrations: RegistrationFilter(from: day("2024-05-03")), groupBy: [.day]),
                [stats(["2024-05-03"], 3, 2), stats(["2024-05-04"], 1, 1)], total: 4, inScope: 9),
            filteredStats(
                "to only",
                FilteredStatsQuery(
                    root: asha, registrations: RegistrationFilter(to: day("2024-04-30")), groupBy: [.day]),
                [stats(["2024-04-30"], 1, 1)], total: 1, inScope: 9),
            filteredStats(
                "group by ROLE in byte order",
                FilteredStatsQuery(root: asha, groupBy: [.role]),
                [
                    stats(["ADMIN"], 1, 1), stats(["DPOC"], 5, 2), stats(["DPR"], 2, 1), stats(["LPR"], 1, 1),
                    stats(["VOLUNTEER"], 3, 3),
                ], total: 12, inScope: 9),
            filteredStats(
                "group by USER: canonical lowercase UUIDs in byte order",
                FilteredStatsQuery(root: asha, groupBy: [.user]),
                [
                    stats(["00000000-0000-0000-0000-000000000001"], 1, 1),
                    stats(["00000000-0000-0000-0000-000000000002"], 2, 1),
                    stats(["00000000-0000-0000-0000-000000000004"], 3, 1),
                    stats(["00000000-0000-0000-0000-000000000005"], 2, 1),
                    stats(["00000000-0000-0000-0000-000000000006"], 1, 1),
                    stats(["00000000-0000-0000-0000-000000000007"], 1, 1),
                    stats(["00000000-0000-0000-0000-000000000008"], 1, 1),
                    stats(["80000000-0000-0000-0000-000000000000"], 1, 1),
                ], total: 12, inScope: 9),
            filteredStats(
                "group by STATE: NULL is the key \"\" and sorts first",
                FilteredStatsQuery(root: asha, groupBy: [.state]),
                [stats([""], 1, 1), stats(["KA"], 9, 6), stats(["TN"], 2, 1)], total: 12, inScope: 9),
            filteredStats(
                "group by DISTRICT",
                FilteredStatsQuery(root: asha, groupBy: [.district]),
                [stats([""], 1, 1), stats(["Bengaluru"], 3, 3), stats(["Chennai"], 2, 1), stats(["Mysuru"], 6, 3)],
                total: 12, inScope: 9),
            filteredStats(
                "group by BLOCK",
                FilteredStatsQuery(root: asha, groupBy: [.block]),
                [stats([""], 1, 1), stats(["B1"], 3, 3), stats(["B2"], 6, 3), stats(["B3"], 2, 1)], total: 12,
                inScope: 9),
            filteredStats(
                "group by VILLAGE",
                FilteredStatsQuery(root: asha, groupBy: [.village]),
                [
                    stats([""], 1, 1), stats(["V1"], 3, 3), stats(["V2"], 3, 2), stats(["V3"], 3, 1),
                    stats(["V4"], 2, 1),
                ], total: 12, inScope: 9),
            filteredStats(
                "group by REGISTRATION_TYPE: a NULL type is \"\"",
                FilteredStatsQuery(root: asha, groupBy: [.registrationType]),
                [stats([""], 1, 1), stats(["NEW"], 9, 7), stats(["RENEW"], 2, 2)], total: 12, inScope: 9),
            filteredStats(
                "group by CHANNEL: a NULL channel is \"\"",
                FilteredStatsQuery(root: asha, groupBy: [.channel]),
                [stats([""], 1, 1), stats(["APP"], 8, 6), stats(["WEB"], 3, 3)], total: 12, inScope: 9),
            filteredStats(
                "group by ROLE then DAY",
                FilteredStatsQuery(root: asha, groupBy: [.role, .day]),
                [
                    stats(["ADMIN", "2024-05-01"], 1, 1),
                    stats(["DPOC", "2024-05-01"], 1, 1),
                    stats(["DPOC", "2024-05-02"], 1, 1),
                    stats(["DPOC", "2024-05-03"], 3, 2),
                    stats(["DPR", "2024-05-01"], 1, 1),
                    stats(["DPR", "2024-05-02"], 1, 1),
                    stats(["LPR", "2024-05-02"], 1, 1),
                    stats(["VOLUNTEER", "2024-04-30"], 1, 1),
                    stats(["VOLUNTEER", "2024-05-01"], 1, 1),
                    stats(["VOLUNTEER", "2024-05-04"], 1, 1),
                ], total: 12, inScope: 9),
            filteredStats(
                "group by CHANNEL then REGISTRATION_TYPE",
                FilteredStatsQuery(root: asha, groupBy: [.channel, .registrationType]),
                [
                    stats(["", "NEW"], 1, 1), stats(["APP", ""], 1, 1), stats(["APP", "NEW"], 6, 5),
                    stats(["APP", "RENEW"], 1, 1), stats(["WEB", "NEW"], 2, 2), stats(["WEB", "RENEW"], 1, 1),
                ], total: 12, inScope: 9),
            filteredStats(
                "type filter; users_in_scope ignores it",
                FilteredStatsQuery(root: asha, registrations: RegistrationFilter(types: ["NEW"])),
                [stats([], 9, 7)], total: 9, inScope: 9),
            filteredStats(
                "type and channel filters together",
                FilteredStatsQuery(root: asha, registrations: RegistrationFilter(types: ["RENEW"], channels: ["APP"])),
                [stats([], 1, 1)], total: 1, inScope: 9),
            filteredStats(
                "an unknown type matches nothing: no row, zero total",
                FilteredStatsQuery(root: asha, registrations: RegistrationFilter(types: ["NOPE"])), [], total: 0,
                inScope: 9),
            filteredStats(
                "user filter with type filter, by day",
                FilteredStatsQuery(
                    root: asha, userFilter: UserFilter(roles: ["DPOC"]),
                    registrations: RegistrationFilter(types: ["NEW"]),
                    groupBy: [.day]),
                [stats(["2024-05-01"], 1, 1), stats(["2024-05-03"], 2, 1)], total: 3, inScope: 2),
            filteredStats(
                "active false counts inactive and NULL-status users",
                FilteredStatsQuery(root: asha, userFilter: UserFilter(active: false)), [stats([], 2, 1)], total: 2,
                inScope: 2),
            filteredStats(
                "a window with no registrations: no rows, users_in_scope unchanged",
                FilteredStatsQuery(
                    root: bala, registrations: RegistrationFilter(from: day("2024-06-01"), to: day("2024-06-30")),
                    groupBy: [.day]),
                [], total: 0, inScope: 5),
            filteredStats(
                "a user filter matching nobody",
                FilteredStatsQuery(root: asha, userFilter: UserFilter(districts: [""]), groupBy: [.district]), [],
                total: 0, inScope: 0),
            .filteredStats(
                "unknown root is not found", FilteredStatsQuery(root: unknownID),
                .failure(.unknownUser(unknownID, field: "root"))),
            .filteredStats(
                "unknown role is invalid", FilteredStatsQuery(root: asha, userFilter: UserFilter(roles: ["KING"])),
                .failure(.unknownRole("KING", field: "user_filter.roles"))),

            // Leaderboard
            leaderboard(
                "tree_registrations descending, ties by id", LeaderboardQuery(),
                [
                    row(1, asha, self: 1, tree: 11), row(2, bala, self: 2, tree: 7), row(3, chitra, self: 0, tree: 2),
                    row(4, deepa, self: 3, tree: 2), row(5, farid, self: 1, tree: 1), row(6, esha, self: 2, tree: 0),
                    row(7, gita, self: 1, tree: 0), row(8, hari, self: 1, tree: 0), row(9, ravi, self: 1, tree: 0),
                ], total: 9),
            leaderboard(
                "self_registrations", LeaderboardQuery(metric: .selfRegistrations),
                [
                    row(1, deepa, self: 3, tree: 2), row(2, bala, self: 2, tree: 7), row(3, esha, self: 2, tree: 0),
                    row(4, asha, self: 1, tree: 11), row(5, farid, self: 1, tree: 1), row(6, gita, self: 1, tree: 0),
                    row(7, hari, self: 1, tree: 0), row(8, ravi, self: 1, tree: 0), row(9, chitra, self: 0, tree: 2),
                ], total: 9),
            leaderboard(
                "direct_children", LeaderboardQuery(metric: .directChildren),
                [
                    row(1, asha, self: 1, tree: 11), row(2, bala, self: 2, tree: 7), row(3, deepa, self: 3, tree: 2),
                    row(4, chitra, self: 0, tree: 2), row(5, farid, self: 1, tree: 1), row(6, esha, self: 2, tree: 0),
                    row(7, gita, self: 1, tree: 0), row(8, hari, self: 1, tree: 0), row(9, ravi, self: 1, tree: 0),
                ], total: 9),
            leaderboard(
                "downline_size", LeaderboardQuery(metric: .downlineSize),
                [
                    row(1, asha, self: 1, tree: 11), row(2, bala, self: 2, tree: 7), row(3, chitra, self: 0, tree: 2),
                    row(4, deepa, self: 3, tree: 2), row(5, farid, self: 1, tree: 1), row(6, esha, self: 2, tree: 0),
                    row(7, gita, self: 1, tree: 0), row(8, hari, self: 1, tree: 0), row(9, ravi, self: 1, tree: 0),
                ], total: 9),
            leaderboard(
                "downline_role", LeaderboardQuery(metric: .downlineRole("VOLUNTEER")),
                [
                    row(1, asha, self: 1, tree: 11), row(2, bala, self: 2, tree: 7), row(3, deepa, self: 3, tree: 2),
                    row(4, chitra, self: 0, tree: 2), row(5, farid, self: 1, tree: 1), row(6, esha, self: 2, tree: 0),
                    row(7, gita, self: 1, tree: 0), row(8, hari, self: 1, tree: 0), row(9, ravi, self: 1, tree: 0),
                ], total: 9),
            leaderboard(
                "downline_role of a known role nobody holds: all zero, by id",
                LeaderboardQuery(metric: .downlineRole("UNUSED"), limit: 3),
                [row(1, asha, self: 1, tree: 11), row(2, bala, self: 2, tree: 7), row(3, chitra, self: 0, tree: 2)],
                total: 9),
            leaderboard(
                "ascending keeps ties by id ascending", LeaderboardQuery(metric: .downlineSize, ascending: true),
                [
                    row(1, esha, self: 2, tree: 0), row(2, gita, self: 1, tree: 0), row(3, hari, self: 1, tree: 0),
                    row(4, ravi, self: 1, tree: 0), row(5, farid, self: 1, tree: 1), row(6, chitra, self: 0, tree: 2),
                    row(7, deepa, self: 3, tree: 2), row(8, bala, self: 2, tree: 7), row(9, asha, self: 1, tree: 11),
                ], total: 9),
            leaderboard(
                "within ranks only its descendants, never itself", LeaderboardQuery(within: bala),
                [
                    row(1, deepa, self: 3, tree: 2), row(2, esha, self: 2, tree: 0), row(3, gita, self: 1, tree: 0),
                    row(4, hari, self: 1, tree: 0),
                ], total: 4),
            leaderboard(
                "within a leaf ranks nobody", LeaderboardQuery(within: gita), [], total: 0),
            leaderboard(
                "filter decides who is ranked, metrics keep the whole downline",
                LeaderboardQuery(metric: .selfRegistrations, filter: UserFilter(roles: ["VOLUNTEER"])),
                [row(1, gita, self: 1, tree: 0), row(2, hari, self: 1, tree: 0), row(3, ravi, self: 1, tree: 0)],
                total: 3),
            leaderboard(
                "filter and within together",
                LeaderboardQuery(filter: UserFilter(districts: ["Bengaluru"]), within: asha),
                [row(1, chitra, self: 0, tree: 2), row(2, farid, self: 1, tree: 1), row(3, ravi, self: 1, tree: 0)],
                total: 3),
            leaderboard(
                "window applies to self and tree, limit 3",
                LeaderboardQuery(
                    registrations: RegistrationFilter(from: day("2024-05-01"), to: day("2024-05-02")), limit: 3),
                [row(1, asha, self: 1, tree: 6), row(2, bala, self: 2, tree: 3), row(3, chitra, self: 0, tree: 1)],
                total: 9),
            leaderboard(
                "type filter with offset: ranks continue from the offset",
                LeaderboardQuery(registrations: RegistrationFilter(types: ["RENEW"]), limit: 2, offset: 2),
                [row(3, deepa, self: 1, tree: 1), row(4, chitra, self: 0, tree: 0)], total: 9),
            leaderboard(
                "channel filter",
                LeaderboardQuery(
                    metric: .selfRegistrations, registrations: RegistrationFilter(channels: ["WEB"]), limit: 3),
                [row(1, bala, self: 1, tree: 1), row(2, farid, self: 1, tree: 0), row(3, hari, self: 1, tree: 0)],
                total: 9),
            leaderboard(
                "type, channel and from together",
                LeaderboardQuery(
                    registrations: RegistrationFilter(types: ["NEW"], channels: ["APP"], from: day("2024-05-03")),
                    limit: 4),
                [
                    row(1, asha, self: 0, tree: 3), row(2, bala, self: 0, tree: 3), row(3, deepa, self: 2, tree: 1),
                    row(4, chitra, self: 0, tree: 0),
                ], total: 9),
            leaderboard(
                "offset past the end: no rows, full total", LeaderboardQuery(limit: 10, offset: 20), [], total: 9),
            .leaderboard(
                "unknown within is not found", LeaderboardQuery(within: unknownID),
                .failure(.unknownUser(unknownID, field: "within"))),
            .leaderboard(
                "unknown order_role is invalid", LeaderboardQuery(metric: .downlineRole("KING")),
                .failure(.unknownRole("KING", field: "order_role"))),
            .leaderboard(
                "unknown filter role is invalid", LeaderboardQuery(filter: UserFilter(roles: ["KING"])),
                .failure(.unknownRole("KING", field: "filter.roles"))),

            .cycles("a tree has no cycles", CyclesQuery(), .success(CyclesResult(cycles: [], total: 0))),
        ]
    )
}
