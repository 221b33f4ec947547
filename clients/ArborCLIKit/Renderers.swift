import ArborClient

/// Turns answers into the CLI's table, JSON or CSV text. Pure: the same answer and context give the same text.
public enum Renderers {
    /// An empty key (a NULL attribute) in a table.
    static let noValue = "(none)"

    // MARK: FilteredStats

    /// `arbor stats`: one row per key tuple, names beside USER keys, the totals and the footer.
    public static func stats(
        _ answer: Answer<FilteredStatsResult>, root: UserID, groupBy: [StatsDimension], context: RenderContext
    ) -> RenderedOutput {
        let result = answer.value
        var titles: [String] = []
        for dimension in groupBy {
            titles.append(OptionParsing.dimensionName(dimension))
            if dimension == .user { titles.append("user_name") }
        }
        let userColumn = groupBy.firstIndex(of: .user)
        func keyCells(_ row: StatsRow, table: Bool) -> [String] {
            var cells: [String] = []
            for (index, key) in row.keys.enumerated() {
                cells.append(table && key.isEmpty ? noValue : key)
                if index == userColumn { cells.append(UserID(uuidString: key).map { context.name($0) } ?? "") }
            }
            return cells
        }
        let totals = "total: \(result.totalRegistrations) registrations, \(result.usersInScope) users in scope"
        switch context.format {
        case .table:
            let columns =
                titles.map { TextTable.Column($0.uppercased()) } + [
                    .init("REGISTRATIONS", .right), .init("REGISTERING_USERS", .right),
                ]
            let rows = result.rows.map {
                keyCells($0, table: true) + [String($0.registrations), String($0.registeringUsers)]
            }
            let body = result.rows.isEmpty ? ["(no registrations)"] : TextTable(columns: columns, rows: rows).render()
            return context.finish(body, notes: [totals], meta: answer.meta)
        case .csv:
            let lines =
                [CSV.line(titles + ["registrations", "registering_users"])]
                + result.rows.map {
                    CSV.line(keyCells($0, table: false) + [String($0.registrations), String($0.registeringUsers)])
                }
            return context.finish(lines, notes: [totals], meta: answer.meta)
        case .json:
            let rows: [JSONValue] = result.rows.map { row in
                let keys = keyCells(row, table: false)
                return .object(
                    zip(titles, keys).map { ($0, JSONValue.string($1)) } + [
                        ("registrations", .uint(row.registrations)),
                        ("registering_users", .uint(UInt64(row.registeringUsers))),
                    ])
            }
            let document = JSONValue.object([
                ("root", context.userJSON(root)),
                ("group_by", .array(groupBy.map { .string(OptionParsing.dimensionName($0)) })),
                ("rows", .array(rows)),
                ("total_registrations", .uint(result.totalRegistrations)),
                ("users_in_scope", .uint(UInt64(result.usersInScope))),
                ("meta", MetaText.json(answer.meta)),
            ])
            return context.finish([document.pretty], notes: [], meta: answer.meta)
        }
    }

    // MARK: Leaderboard

    /// `arbor leaderboard`: rank, user, every metric, and the asked-for role count for `role:NAME`.
    public static func leaderboard(
        _ answer: Answer<LeaderboardResult>, metric: LeaderboardMetric, context: RenderContext
    ) -> RenderedOutput {
        let result = answer.value
        var role: String?
        if case .downlineRole(let name) = metric { role = name }
        func cells(_ row: LeaderboardRow) -> [String] {
            var cells = [
                String(row.rank), row.userID.uuidString, row.name, row.role, String(row.selfRegistrations),
                String(row.treeRegistrations), String(row.directChildren), String(row.downlineSize),
            ]
            if let role { cells.append(String(row.downlineByRole.first { $0.role == role }?.count ?? 0)) }
            return cells
        }
        let note = "ranked: \(result.totalRanked) users"
        switch context.format {
        case .table:
            var columns: [TextTable.Column] = [
                .init("RANK", .right), .init("ID"), .init("NAME"), .init("ROLE"), .init("SELF", .right),
                .init("TREE", .right), .init("CHILDREN", .right), .init("DOWNLINE", .right),
            ]
            if let role { columns.append(.init("DOWNLINE_\(role)", .right)) }
            let body =
                result.rows.isEmpty
                ? ["(no users ranked here)"] : TextTable(columns: columns, rows: result.rows.map(cells)).render()
            return context.finish(body, notes: [note], meta: answer.meta)
        case .csv:
            var header = [
                "rank", "id", "name", "role", "self_registrations", "tree_registrations", "direct_children",
                "downline_size",
            ]
            if let role { header.append("downline_\(role)") }
            return context.finish(
                [CSV.line(header)] + result.rows.map { CSV.line(cells($0)) }, notes: [note], meta: answer.meta)
        case .json:
            let rows: [JSONValue] = result.rows.map { row in
                .object([
                    ("rank", .uint(UInt64(row.rank))),
                    ("id", .string(row.userID.uuidString)),
                    ("name", .string(row.name)),
                    ("role", .string(row.role)),
                    ("self_registrations", .uint(row.selfRegistrations)),
                    ("tree_registrations", .uint(row.treeRegistrations)),
                    ("direct_children", .uint(UInt64(row.directChildren))),
                    ("downline_size", .uint(UInt64(row.downlineSize))),
                    ("downline_by_role", .object(row.downlineByRole.map { ($0.role, .uint(UInt64($0.count))) })),
                ])
            }
            let document = JSONValue.object([
                ("rows", .array(rows)),
                ("total_ranked", .uint(UInt64(result.totalRanked))),
                ("meta", MetaText.json(answer.meta)),
            ])
            return context.finish([document.pretty], notes: [], meta: answer.meta)
        }
    }

    // MARK: FindUsers

    /// `arbor users`: every attribute of each user.
    public static func users(_ answer: Answer<[UserRecord]>, context: RenderContext) -> RenderedOutput {
        func cells(_ user: UserRecord, table: Bool) -> [String] {
            let yes = table ? "yes" : "true"
            let no = table ? "no" : "false"
            return [
                user.id.uuidString, user.name, user.role, user.state, user.district, user.block, user.village,
                user.active ? yes : no, user.appInstalled ? yes : no,
            ]
        }
        let titles = ["id", "name", "role", "state", "district", "block", "village", "active", "app_installed"]
        let note = "users: \(answer.value.count)"
        switch context.format {
        case .table:
            let body =
                answer.value.isEmpty
                ? ["(no users)"]
                : TextTable(
                    columns: titles.map { .init($0.uppercased()) },
                    rows: answer.value.map { cells($0, table: true) }
                ).render()
            return context.finish(body, notes: [note], meta: answer.meta)
        case .csv:
            return context.finish(
                [CSV.line(titles)] + answer.value.map { CSV.line(cells($0, table: false)) }, notes: [note],
                meta: answer.meta)
        case .json:
            let users: [JSONValue] = answer.value.map { user in
                .object([
                    ("id", .string(user.id.uuidString)), ("name", .string(user.name)), ("role", .string(user.role)),
                    ("state", .string(user.state)), ("district", .string(user.district)),
                    ("block", .string(user.block)), ("village", .string(user.village)),
                    ("active", .bool(user.active)), ("app_installed", .bool(user.appInstalled)),
                ])
            }
            let document = JSONValue.object([("users", .array(users)), ("meta", MetaText.json(answer.meta))])
            return context.finish([document.pretty], notes: [], meta: answer.meta)
        }
    }

    // MARK: Cycles

    /// `arbor cycles`: one row per member, numbered by cycle, with names.
    public static func cycles(_ answer: Answer<CyclesResult>, context: RenderContext) -> RenderedOutput {
        let note = "cycles: \(answer.value.total)"
        var rows: [[String]] = []
        for (index, cycle) in answer.value.cycles.enumerated() {
            for member in cycle {
                rows.append([
                    String(index + 1), String(cycle.count), member.uuidString, context.name(member),
                    context.role(member),
                ])
            }
        }
        switch context.format {
        case .table:
            let columns: [TextTable.Column] = [
                .init("CYCLE", .right), .init("SIZE", .right), .init("ID"), .init("NAME"), .init("ROLE"),
            ]
            let body = rows.isEmpty ? ["(no cycles)"] : TextTable(columns: columns, rows: rows).render()
            return context.finish(body, notes: [note], meta: answer.meta)
        case .csv:
            return context.finish(
                [CSV.line(["cycle", "size", "id", "name", "role"])] + rows.map(CSV.line), notes: [note],
                meta: answer.meta)
        case .json:
            let document = JSONValue.object([
                ("cycles", .array(answer.value.cycles.map { .array($0.map { context.userJSON($0) }) })),
                ("total", .uint(UInt64(answer.value.total))),
                ("meta", MetaText.json(answer.meta)),
            ])
            return context.finish([document.pretty], notes: [], meta: answer.meta)
        }
    }

    // MARK: Descendants count

    /// `arbor descendants --count`: how many users match, without listing them.
    public static func descendantsCount(
        _ summary: DescendantsSummary, root: UserID, context: RenderContext
    ) -> RenderedOutput {
        switch context.format {
        case .table:
            let who = context.name(root).isEmpty ? root.uuidString : "\(context.name(root)) (\(root.uuidString))"
            return context.finish(["descendants of \(who): \(summary.total)"], notes: [], meta: summary.meta)
        case .csv:
            return context.finish(
                [CSV.line(["root", "total"]), CSV.line([root.uuidString, String(summary.total)])],
                notes: [], meta: summary.meta)
        case .json:
            let document = JSONValue.object([
                ("root", context.userJSON(root)), ("total", .uint(summary.total)),
                ("meta", MetaText.json(summary.meta)),
            ])
            return context.finish([document.pretty], notes: [], meta: summary.meta)
        }
    }

    // MARK: Health

    /// `arbor health`: the serving status.
    public static func health(_ status: GRPCHealthV1.HealthCheckResponse.ServingStatus, format: OutputFormat)
        -> RenderedOutput
    {
        switch format {
        case .table: RenderedOutput(stdout: "\(status)\n")
        case .csv: RenderedOutput(stdout: "status\n\(status)\n")
        case .json: RenderedOutput(stdout: JSONValue.object([("status", .string(status.description))]).pretty + "\n")
        }
    }
}
