import Testing

@testable import ArborModel

@Suite struct QueryRuleTests {
    let user = UserRow(
        id: UserID(high: 1, low: 2), name: "Raj Kumar", role: "DPOC", state: "Bihar", district: nil,
        status: "inactive", appInstalled: nil)

    @Test func filterNeverMatchesNull() {
        #expect(UserFilter(districts: [""]).matches(user) == false)
        #expect(UserFilter(appInstalled: false).matches(user) == false)
        #expect(UserFilter(roles: ["DPOC", "RM"], states: ["Bihar"]).matches(user))
        #expect(UserFilter(active: false).matches(user))
        #expect(UserFilter(active: true).matches(user) == false)
        #expect(UserFilter().matches(user) && UserFilter().isEmpty)
    }

    @Test(arguments: [
        ("raj", true), ("RAJ K", true), ("Raj Kumar", true), ("Raj Kumarr", false), ("aj", false),
        ("", true),
    ])
    func namePrefixFoldsOnlyASCII(prefix: String, matches: Bool) {
        #expect(FindUsersQuery(namePrefix: prefix).nameMatches(user.name) == matches)
    }

    @Test func nonASCIIIsMatchedExactly() {
        let query = FindUsersQuery(namePrefix: "émi")
        #expect(query.nameMatches("émile"))
        #expect(query.nameMatches("Émile") == false)
        #expect(query.nameMatches(nil) == false)
    }

    @Test func unknownRolesAreNamedByField() {
        let known: Set = ["DPOC", "RM"]
        let query = LeaderboardQuery(metric: .downlineRole("CEO"), filter: UserFilter(roles: ["RM"]))
        #expect(throws: QueryError.unknownRole("CEO", field: "order_role")) { try query.validateRoles(known) }
        let stats = FilteredStatsQuery(root: user.id, userFilter: UserFilter(roles: ["RM", "X", "Y"]))
        #expect(throws: QueryError.unknownRole("X", field: "user_filter.roles")) { try stats.validateRoles(known) }
    }

    @Test func registrationWindowIsInclusive() {
        let filter = RegistrationFilter(types: ["A"], from: Day(iso: "2024-01-02"), to: Day(iso: "2024-01-03"))
        func row(_ day: String, _ type: String?) -> RollupRow {
            RollupRow(user: user.id, day: Day(iso: day)!, registrationType: type, channel: "web", registrations: 1)
        }
        #expect(filter.matches(row("2024-01-02", "A")) && filter.matches(row("2024-01-03", "A")))
        #expect(!filter.matches(row("2024-01-01", "A")) && !filter.matches(row("2024-01-04", "A")))
        #expect(!filter.matches(row("2024-01-02", nil)) && !filter.matches(row("2024-01-02", "B")))
    }
}
