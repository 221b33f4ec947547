import ArborClient

extension Renderers {
    /// `arbor stats`: one row per key tuple (labels beside `node` keys), a column per measure, the distinct nodes,
    /// then the totals over every page.
    ///
    /// - Parameter measures: the query's measures with their scales, in the order of each row's values.
    public static func stats(
        _ answer: Answer<StatsPage>, root: NodeRecord, groupBy: [String], measures: [ModelDescription.Measure],
        context: RenderContext
    ) -> RenderedOutput {
        let page = answer.value
        let nodeColumn = context.hasLabel ? groupBy.firstIndex(of: "node") : nil
        var titles: [String] = []
        for (index, name) in groupBy.enumerated() {
            titles.append(name)
            if index == nodeColumn { titles.append("label") }
        }
        func keyCells(_ row: StatsPage.Row, table: Bool) -> [String] {
            var cells: [String] = []
            for (index, key) in row.keys.enumerated() {
                cells.append(table && key.isEmpty ? noValue : key)
                if index == nodeColumn { cells.append(context.label(key)) }
            }
            return cells
        }
        func valueCells(_ row: StatsPage.Row) -> [String] {
            zip(row.values, measures).map { measureText($0, $1) } + [String(row.nodes)]
        }
        let totals = zip(page.totals, measures).map { "\($1.name) \(measureText($0, $1))" }.joined(separator: ", ")
        let notes =
            ["total: \(totals.isEmpty ? "nothing" : totals); nodes in scope: \(page.nodesInScope)"]
            + moreNote(page.nextPageToken, what: "rows")
        switch context.format {
        case .table:
            let columns =
                titles.map { TextTable.Column($0.uppercased()) } + measures.map { .init($0.name.uppercased(), .right) }
                + [.init("NODES", .right)]
            let rows = page.rows.map { keyCells($0, table: true) + valueCells($0) }
            let body = page.rows.isEmpty ? ["(no events counted)"] : TextTable(columns: columns, rows: rows).render()
            return context.finish(body, notes: notes, meta: answer.meta)
        case .csv:
            let lines =
                [CSV.line(titles + measures.map(\.name) + ["nodes"])]
                + page.rows.map { CSV.line(keyCells($0, table: false) + valueCells($0)) }
            return context.finish(lines, notes: notes, meta: answer.meta)
        case .json:
            let rows: [JSONValue] = page.rows.map { row in
                var members: [(String, JSONValue)] = [
                    ("keys", .object(zip(groupBy, row.keys).map { ($0, .string($1)) }))
                ]
                if let nodeColumn, nodeColumn < row.keys.count {
                    members.append(("label", .string(context.label(row.keys[nodeColumn]))))
                }
                members.append(("values", .object(zip(measures, row.values).map { ($0.name, .int($1)) })))
                members.append(("nodes", .uint(UInt64(row.nodes))))
                return .object(members)
            }
            var document: [(String, JSONValue)] = [
                ("root", context.nodeJSON(root.id, label: root.label)),
                ("group_by", .array(groupBy.map { .string($0) })),
                ("measures", measuresJSON(measures)),
                ("rows", .array(rows)),
                ("totals", .object(zip(measures, page.totals).map { ($0.name, .int($1)) })),
                ("nodes_in_scope", .uint(UInt64(page.nodesInScope))),
            ]
            if let token = page.nextPageToken { document.append(("next_page_token", .string(token))) }
            document.append(("meta", MetaText.json(answer.meta)))
            return context.finish([JSONValue.object(document).pretty], notes: [], meta: answer.meta)
        }
    }
}
