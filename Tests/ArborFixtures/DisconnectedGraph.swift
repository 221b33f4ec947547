import ArborModel

// Eleven users, mostly without edges: 6 → 4 and 6 → 5 only. User 4 has a NULL role and a non-ASCII name; user 5
// has every attribute NULL. Names exercise FindUsers: case folding of ASCII only, byte order ("ANJALI" < "Anil" <
// "Anil Kumar" < "anil" < "anita"), LIKE metacharacters taken literally, and equal names ordered by id.
// Registrations: 1 ×1 (NEW APP), 4 ×1 (NEW APP), 5 ×1 (NULL type, NULL channel), all on 05-01.
private let rows: [UserRow] = [
    UserRow(
        id: uid(1), name: "Anil", role: "VOLUNTEER", state: "KA", district: "Bengaluru", block: "B1", village: "V1",
        status: "active", appInstalled: true),
    UserRow(
        id: uid(2), name: "anita", role: "VOLUNTEER", state: "KA", district: "Bengaluru", block: "B1", village: "V1",
        status: "inactive", appInstalled: false),
    UserRow(
        id: uid(3), name: "ANJALI", role: "LPR", state: "KA", district: "Mysuru", block: "B2", village: "V2",
        status: "active", appInstalled: true),
    UserRow(
        id: uid(4), name: "Ánil", role: nil, state: "KA", district: "Mysuru", block: "B2", village: "V2",
        status: "active", appInstalled: nil),
    UserRow(id: uid(5)),
    UserRow(
        id: uid(6), name: "Zoe", role: "LPR", state: "TN", district: "Chennai", block: "B3", village: "V4",
        status: "active", appInstalled: true),
    UserRow(
        id: uid(7), name: "anil", role: "VOLUNTEER", state: "TN", district: "Chennai", block: "B3", village: "V4",
        status: "active", appInstalled: true),
    UserRow(
        id: uid(8), name: "Anil Kumar", role: "VOLUNTEER", state: "KA", district: "Bengaluru", block: "B1",
        village: "V1", status: "active", appInstalled: true),
    UserRow(id: uid(9), name: "a_b", role: "VOLUNTEER", status: "active"),
    UserRow(id: uid(10), name: "a%c", role: "VOLUNTEER", status: "active"),
    UserRow(
        id: uid(11), name: "Zoe", role: "VOLUNTEER", state: "TN", district: "Chennai", block: "B3", village: "V4",
        status: "inactive", appInstalled: true),
]

private let anil = UserRecord(
    id: uid(1), name: "Anil", role: "VOLUNTEER", state: "KA", district: "Bengaluru", block: "B1", village: "V1",
    active: true, appInstalled: true)
private let anita = UserRecord(
    id: uid(2), name: "anita", role: "VOLUNTEER", state: "KA", district: "Bengaluru", block: "B1", village: "V1",
    active: false, appInstalled: false)
private let anjali = UserRecord(
    id: uid(3), name: "ANJALI", role: "LPR", state: "KA", district: "Mysuru", block: "B2", village: "V2",
    active: true, appInstalled: true)
private let accentedAnil = UserRecord(
    id: uid(4), name: "Ánil", role: "", state: "KA", district: "Mysuru", block: "B2", village: "V2", active: true,
    appInstalled: false)
private let nobody = UserRecord(
    id: uid(5), name: "", role: "", state: "", district: "", block: "", village: "", active: false,
    appInstalled: false)
private let zoe = UserRecord(
    id: uid(6), name: "Zoe", role: "LPR", state: "TN", district: "Chennai", block: "B3", village: "V4", active: true,
    appInstalled: true)
private let lowerAnil = UserRecord(
    id: uid(7), name: "anil", role: "VOLUNTEER", state: "TN", district: "Chennai", block: "B3", village: "V4",
    active: true, appInstalled: true)
private let anilKumar = UserRecord(
    id: uid(8), name: "Anil Kumar", role: "VOLUNTEER", state: "KA", district: "Bengaluru", block: "B1",
    village: "V1", active: true, appInstalled: true)
private let underscore = UserRecord(
    id: uid(9), name: "a_b", role: "VOLUNTEER", state: "", district: "", block: "", village: "", active: true,
    appInstalled: false)
private let percent = UserRecord(
    id: uid(10), name: "a%c", role: "VOLUNTEER", state: "", district: "", block: "", village: "", active: true,
    appInstalled: false)
private let secondZoe = UserRecord(
    id: uid(11), name: "Zoe", role: "VOLUNTEER", state: "TN", district: "Chennai", block: "B3", village: "V4",
    active: false, appInstalled: true)

private func found(_ label: String, _ query: FindUsersQuery, _ users: [UserRecord]) -> FixtureCase {
    .findUsers(label, query, .success(FindUsersResult(users: users)))
}

extension HandBuiltGraphs {
    /// Disconnected users, NULL attributes and names for FindUsers.
    public static let disconnected = HandBuiltGraph(
        name: "disconnected",
        roles: [RoleRow(name: "LPR", level: 4), RoleRow(name: "VOLUNTEER", level: 5)],
        users: rows,
        edges: [edge(uid(6), uid(4)), edge(uid(6), uid(5))],
        registrations: [
            registration(uid(1), "2024-05-01 10:00:00+00", "NEW", "APP"),
            registration(uid(4), "2024-05-01 10:00:00+00", "NEW", "APP"),
            registration(uid(5), "2024-05-01 10:00:00+00", nil, nil),
        ],
        cases: [
            found(
                "prefix folds ASCII case; byte order", FindUsersQuery(namePrefix: "an"),
                [anjali, anil, anilKumar, lowerAnil, anita]),
            found("upper-case prefix", FindUsersQuery(namePrefix: "ANI"), [anil, anilKumar, lowerAnil, anita]),
            found("limit", FindUsersQuery(namePrefix: "anil", limit: 2), [anil, anilKumar]),
            found("a prefix with a space", FindUsersQuery(namePrefix: "Anil K"), [anilKumar]),
            found("non-ASCII matches exactly", FindUsersQuery(namePrefix: "Án"), [accentedAnil]),
            found("non-ASCII is not case-folded", FindUsersQuery(namePrefix: "án"), []),
            found("underscore is literal", FindUsersQuery(namePrefix: "a_"), [underscore]),
            found("percent is literal", FindUsersQuery(namePrefix: "a%"), [percent]),
            found("equal names order by id", FindUsersQuery(namePrefix: "zo"), [zoe, secondZoe]),
            found(
                "ids: unknown left out, NULL name first",
                FindUsersQuery(ids: [uid(5), uid(2), unknownID]), [nobody, anita]),
            found("ids: duplicates give one user", FindUsersQuery(ids: [uid(2), uid(2)]), [anita]),
            found("ids with limit", FindUsersQuery(ids: [uid(8), uid(1)], limit: 1), [anil]),
            found(
                "prefix and ids must both match", FindUsersQuery(namePrefix: "an", ids: [uid(1), uid(6), uid(2)]),
                [anil, anita]),
            found("prefix and ids with no overlap", FindUsersQuery(namePrefix: "Zo", ids: [uid(1)]), []),
            .descendants(
                "a disconnected user has no descendants", DescendantsQuery(root: uid(1)),
                .success(DescendantsResult(entries: [], total: 0))),
            .descendants(
                "a NULL state never matches a filter",
                DescendantsQuery(root: uid(6), filter: UserFilter(states: ["KA"])),
                .success(DescendantsResult(entries: entries([(uid(4), 1)]), total: 1))),
            .filteredStats(
                "NULL role and state are the key \"\"", FilteredStatsQuery(root: uid(6), groupBy: [.role, .state]),
                .success(
                    FilteredStatsResult(
                        rows: [stats(["", ""], 1, 1), stats(["", "KA"], 1, 1)], totalRegistrations: 2, usersInScope: 3))
            ),
            .filteredStats(
                "NULL type and channel are the key \"\"",
                FilteredStatsQuery(root: uid(6), groupBy: [.registrationType, .channel]),
                .success(
                    FilteredStatsResult(
                        rows: [stats(["", ""], 1, 1), stats(["NEW", "APP"], 1, 1)], totalRegistrations: 2,
                        usersInScope: 3))),
            .leaderboard(
                "downline_by_role lists a NULL role as \"\"", LeaderboardQuery(metric: .downlineSize, limit: 2),
                .success(
                    LeaderboardResult(
                        rows: [
                            ranked(
                                1, uid(6), "Zoe", "LPR", self: 0, tree: 2, children: 2, downline: 2, byRole: [("", 2)]),
                            ranked(
                                2, uid(1), "Anil", "VOLUNTEER", self: 1, tree: 0, children: 0, downline: 0, byRole: []),
                        ], totalRanked: 11))),
            .leaderboard(
                "NULL name and role are \"\"", LeaderboardQuery(within: uid(6)),
                .success(
                    LeaderboardResult(
                        rows: [
                            ranked(1, uid(4), "Ánil", "", self: 1, tree: 0, children: 0, downline: 0, byRole: []),
                            ranked(2, uid(5), "", "", self: 1, tree: 0, children: 0, downline: 0, byRole: []),
                        ], totalRanked: 2))),
            .leaderboard(
                "active true: a NULL status is not active",
                LeaderboardQuery(metric: .selfRegistrations, filter: UserFilter(active: true), limit: 3),
                .success(
                    LeaderboardResult(
                        rows: [
                            ranked(
                                1, uid(1), "Anil", "VOLUNTEER", self: 1, tree: 0, children: 0, downline: 0, byRole: []),
                            ranked(2, uid(4), "Ánil", "", self: 1, tree: 0, children: 0, downline: 0, byRole: []),
                            ranked(3, uid(3), "ANJALI", "LPR", self: 0, tree: 0, children: 0, downline: 0, byRole: []),
                        ], totalRanked: 8))),
        ]
    )
}
