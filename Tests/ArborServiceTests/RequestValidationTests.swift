import ArborModel
import ArborWire
import Testing

@testable import ArborService

@Suite struct RequestValidationTests {
    static let raj = UserID(high: 0x0011_2233_4455_6677, low: 0x8899_aabb_ccdd_eeff)

    struct Invalid: Sendable, CustomStringConvertible {
        var description: String
        var decode: @Sendable () throws(QueryError) -> Void
        var field: String
        var message: String
    }

    static let invalidRequests: [Invalid] = [
        Invalid(
            description: "empty root",
            decode: { () throws(QueryError) in _ = try ArborV1.DescendantsRequest().query() }, field: "root",
            message: "root: must be a 16-byte user id, got 0 bytes"),
        Invalid(
            description: "short root",
            decode: { () throws(QueryError) in
                var request = ArborV1.FilteredStatsRequest()
                request.root = [1, 2, 3]
                _ = try request.query()
            }, field: "root", message: "root: must be a 16-byte user id, got 3 bytes"),
        Invalid(
            description: "17-byte within",
            decode: { () throws(QueryError) in
                var request = ArborV1.LeaderboardRequest()
                request.within = [UInt8](repeating: 7, count: 17)
                _ = try request.query()
            }, field: "within", message: "within: must be a 16-byte user id, got 17 bytes"),
        Invalid(
            description: "impossible date",
            decode: { () throws(QueryError) in
                var request = stats()
                request.fromDate = "2023-02-29"
                _ = try request.query()
            }, field: "from_date", message: "from_date: \"2023-02-29\" is not a date of the form YYYY-MM-DD"),
        Invalid(
            description: "date with time",
            decode: { () throws(QueryError) in
                var request = ArborV1.LeaderboardRequest()
                request.toDate = "2024-01-01T00:00"
                _ = try request.query()
            }, field: "to_date", message: "to_date: \"2024-01-01T00:00\" is not a date of the form YYYY-MM-DD"),
        Invalid(
            description: "from after to",
            decode: { () throws(QueryError) in
                var request = stats()
                request.fromDate = "2024-05-02"
                request.toDate = "2024-05-01"
                _ = try request.query()
            }, field: "from_date", message: "from_date: 2024-05-02 is after to_date 2024-05-01"),
        Invalid(
            description: "unspecified dimension",
            decode: { () throws(QueryError) in
                var request = stats()
                request.groupBy = [.day, .unspecified]
                _ = try request.query()
            }, field: "group_by", message: "group_by: DIMENSION_UNSPECIFIED is not a dimension to group by"),
        Invalid(
            description: "repeated dimension",
            decode: { () throws(QueryError) in
                var request = stats()
                request.groupBy = [.role, .day, .role]
                _ = try request.query()
            }, field: "group_by", message: "group_by: ROLE appears more than once"),
        Invalid(
            description: "leaderboard limit over 1000",
            decode: { () throws(QueryError) in
                var request = ArborV1.LeaderboardRequest()
                request.limit = 1001
                _ = try request.query()
            }, field: "limit", message: "limit: at most 1000, got 1001"),
        Invalid(
            description: "downline role without a role",
            decode: { () throws(QueryError) in
                var request = ArborV1.LeaderboardRequest()
                request.orderBy = .downlineRole
                _ = try request.query()
            }, field: "order_role", message: "order_role: required when order_by is DOWNLINE_ROLE"),
        Invalid(
            description: "find users with nothing to find",
            decode: { () throws(QueryError) in _ = try ArborV1.FindUsersRequest().query() }, field: "name_prefix",
            message: "name_prefix: give a name_prefix, ids, or both"),
        Invalid(
            description: "ids not a multiple of 16",
            decode: { () throws(QueryError) in
                var request = ArborV1.FindUsersRequest()
                request.ids = [UInt8](repeating: 1, count: 20)
                _ = try request.query()
            }, field: "ids", message: "ids: length 20 is not a multiple of 16 (concatenated 16-byte ids)"),
        Invalid(
            description: "find users limit over 1000",
            decode: { () throws(QueryError) in
                var request = ArborV1.FindUsersRequest()
                request.namePrefix = "R"
                request.limit = 5000
                _ = try request.query()
            }, field: "limit", message: "limit: at most 1000, got 5000"),
        // PostgreSQL text cannot hold NUL: such a value is malformed, refused alike whichever path would answer.
        Invalid(
            description: "NUL in a name prefix",
            decode: { () throws(QueryError) in
                var request = ArborV1.FindUsersRequest()
                request.namePrefix = "Ra\u{0}j"
                _ = try request.query()
            }, field: "name_prefix", message: "name_prefix: contains a NUL character, which no value can hold"),
        Invalid(
            description: "NUL in a filter value",
            decode: { () throws(QueryError) in
                var request = stats()
                var filter = ArborV1.UserFilter()
                filter.districts = ["Madurai", "\u{0}"]
                request.userFilter = filter
                _ = try request.query()
            }, field: "user_filter.districts",
            message: "user_filter.districts: contains a NUL character, which no value can hold"),
        Invalid(
            description: "NUL in a channel",
            decode: { () throws(QueryError) in
                var request = stats()
                request.channels = ["APP\u{0}"]
                _ = try request.query()
            }, field: "channels", message: "channels: contains a NUL character, which no value can hold"),
    ]

    static func stats() -> ArborV1.FilteredStatsRequest {
        var request = ArborV1.FilteredStatsRequest()
        request.root = raj.bytes
        return request
    }

    @Test(arguments: invalidRequests)
    func invalidFieldsAreNamed(_ invalid: Invalid) {
        #expect(throws: QueryError(code: .invalidArgument, field: invalid.field, message: invalid.message)) {
            try invalid.decode()
        }
    }

    @Test func statsRequestBecomesItsQuery() throws {
        var request = Self.stats()
        request.excludeRoot = true
        request.maxDepth = 3
        var filter = ArborV1.UserFilter()
        filter.roles = ["DPOC"]
        filter.active = false
        request.userFilter = filter
        request.registrationTypes = ["VOTER"]
        request.fromDate = "2024-02-28"
        request.toDate = "2024-02-29"
        request.groupBy = [.day, .registrationType]
        let query = try request.query()
        #expect(
            query
                == FilteredStatsQuery(
                    root: Self.raj, excludeRoot: true, maxDepth: 3,
                    userFilter: UserFilter(roles: ["DPOC"], active: false),
                    registrations: RegistrationFilter(
                        types: ["VOTER"], from: Day(iso: "2024-02-28"), to: Day(iso: "2024-02-29")),
                    groupBy: [.day, .registrationType]))
    }

    @Test func defaultsApply() throws {
        let leaderboard = try ArborV1.LeaderboardRequest().query()
        #expect(leaderboard == LeaderboardQuery(metric: .treeRegistrations, limit: 50))
        var find = ArborV1.FindUsersRequest()
        find.ids = Self.raj.bytes + Self.raj.bytes
        #expect(try find.query() == FindUsersQuery(ids: [Self.raj, Self.raj], limit: 20))
        var downline = ArborV1.LeaderboardRequest()
        downline.orderBy = .downlineRole
        downline.orderRole = "DPOC"
        downline.limit = 1000
        #expect(try downline.query().metric == .downlineRole("DPOC"))
    }

    @Test(arguments: [0, 1, 8191, 8192, 8193, 20000])
    func descendantsChunkingKeepsOrderAndPutsMetaLast(count: Int) {
        let entries = (0..<count).map { DescendantEntry(id: UserID(high: 0, low: UInt64($0)), depth: UInt32($0 % 7)) }
        let result = DescendantsResult(entries: entries, total: UInt64(count + 5))
        let answer = AnswerSource(source: .cache, stamp: DataStamp(version: 42, asOfUnixMs: 7), stale: false)
        let chunks = result.chunks(answeredBy: answer)
        #expect(chunks.count == max(1, (count + 8191) / 8192))
        #expect(chunks.dropLast().allSatisfy { $0.meta == nil && $0.total == 0 })
        #expect(chunks.last?.meta == answer.meta && chunks.last?.total == UInt64(count + 5))
        let ids = chunks.flatMap(\.ids)
        #expect(ids == entries.flatMap(\.id.bytes))
        #expect(chunks.flatMap(\.depths) == entries.map(\.depth))
    }
}
