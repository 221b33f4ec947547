import ArborClient

extension Renderers {
    /// `arbor leaderboard`: rank, node, the asked-for attributes, every measure of the source over the node's own
    /// events (SELF_…) and its downline's (TREE_…), children, downline size, the matching count with a downline
    /// filter and the breakdown with `--breakdown`.
    ///
    /// - Parameters:
    ///   - measures: every measure of the source the events scope names, in model order (as each row has them).
    ///   - attributes: the attributes asked for, in the order asked.
    public static func leaderboard(
        _ answer: Answer<Leaderboard>, query: LeaderboardQuery, measures: [ModelDescription.Measure],
        attributes: [String], context: RenderContext
    ) -> RenderedOutput {
        let board = answer.value
        let matching = !query.downlineFilter.isEmpty
        let breakdown = query.breakdownBy
        func breakdownText(_ row: Leaderboard.Row, table: Bool) -> String {
            row.breakdown.map { "\(table && $0.key.isEmpty ? noValue : $0.key)=\($0.count)" }.joined(separator: " ")
        }
        func cells(_ row: Leaderboard.Row, table: Bool) -> [String] {
            var cells = [String(row.rank), row.id]
            if context.hasLabel { cells.append(row.label) }
            cells += attributes.map { row.attributes[$0] ?? "" }
            cells += zip(row.selfMeasures, measures).map { measureText($0, $1) }
            cells += zip(row.treeMeasures, measures).map { measureText($0, $1) }
            cells += [String(row.directChildren), String(row.downlineSize)]
            if matching { cells.append(String(row.downlineMatching)) }
            if breakdown != nil { cells.append(breakdownText(row, table: table)) }
            return cells
        }
        var columns: [TextTable.Column] = [.init("rank", .right), .init("id")]
        if context.hasLabel { columns.append(.init("label")) }
        columns += attributes.map { TextTable.Column($0) }
        columns += measures.map { TextTable.Column("self_\($0.name)", .right) }
        columns += measures.map { TextTable.Column("tree_\($0.name)", .right) }
        columns += [.init("children", .right), .init("downline", .right)]
        if matching { columns.append(.init("matching", .right)) }
        if let breakdown { columns.append(.init("by_\(breakdown)")) }
        let titles = columns.map(\.title)
        let notes = ["ranked: \(board.totalRanked) nodes"]
        switch context.format {
        case .table:
            let upper = columns.map { TextTable.Column($0.title.uppercased(), $0.alignment) }
            let body =
                board.rows.isEmpty
                ? ["(no nodes ranked here)"]
                : TextTable(columns: upper, rows: board.rows.map { cells($0, table: true) }).render()
            return context.finish(body, notes: notes, meta: answer.meta)
        case .csv:
            return context.finish(
                [CSV.line(titles)] + board.rows.map { CSV.line(cells($0, table: false)) }, notes: notes,
                meta: answer.meta)
        case .json:
            let rows: [JSONValue] = board.rows.map { row in
                var members: [(String, JSONValue)] = [("rank", .uint(UInt64(row.rank))), ("id", .string(row.id))]
                if context.hasLabel { members.append(("label", .string(row.label))) }
                members.append(("attributes", .object(attributes.map { ($0, .string(row.attributes[$0] ?? "")) })))
                members.append(("self", .object(zip(measures, row.selfMeasures).map { ($0.name, .int($1)) })))
                members.append(("tree", .object(zip(measures, row.treeMeasures).map { ($0.name, .int($1)) })))
                members.append(("direct_children", .uint(UInt64(row.directChildren))))
                members.append(("downline_size", .uint(UInt64(row.downlineSize))))
                members.append(("downline_matching", .uint(UInt64(row.downlineMatching))))
                if breakdown != nil {
                    members.append(
                        (
                            "breakdown",
                            .array(
                                row.breakdown.map {
                                    .object([("key", .string($0.key)), ("count", .uint(UInt64($0.count)))])
                                })
                        ))
                }
                return .object(members)
            }
            let document = JSONValue.object([
                ("metric", .string(query.metric.rawValue)),
                ("measure", .string(query.measure ?? "count")),
                ("measures", measuresJSON(measures)),
                ("rows", .array(rows)),
                ("total_ranked", .uint(UInt64(board.totalRanked))),
                ("meta", MetaText.json(answer.meta)),
            ])
            return context.finish([document.pretty], notes: [], meta: answer.meta)
        }
    }
}
