import ArborClient

extension Renderers {
    /// `arbor find`: each node with its label and attributes (in model order, or as asked).
    ///
    /// - Parameter attributes: the attribute columns, in order.
    public static func nodes(
        _ answer: Answer<NodePage>, attributes: [String], context: RenderContext
    ) -> RenderedOutput {
        let page = answer.value
        var titles = ["id"]
        if context.hasLabel { titles.append("label") }
        titles += attributes
        func cells(_ node: NodeRecord) -> [String] {
            [node.id] + (context.hasLabel ? [node.label] : []) + attributes.map { node.attributes[$0] ?? "" }
        }
        let notes = ["nodes: \(page.nodes.count)"] + moreNote(page.nextPageToken, what: "nodes")
        switch context.format {
        case .table:
            let body =
                page.nodes.isEmpty
                ? ["(no nodes)"]
                : TextTable(columns: titles.map { .init($0.uppercased()) }, rows: page.nodes.map(cells)).render()
            return context.finish(body, notes: notes, meta: answer.meta)
        case .csv:
            return context.finish(
                [CSV.line(titles)] + page.nodes.map { CSV.line(cells($0)) }, notes: notes, meta: answer.meta)
        case .json:
            let nodes: [JSONValue] = page.nodes.map { node in
                var members: [(String, JSONValue)] = [("id", .string(node.id))]
                if context.hasLabel { members.append(("label", .string(node.label))) }
                members.append(("attributes", .object(attributes.map { ($0, .string(node.attributes[$0] ?? "")) })))
                return .object(members)
            }
            var document: [(String, JSONValue)] = [("nodes", .array(nodes))]
            if let token = page.nextPageToken { document.append(("next_page_token", .string(token))) }
            document.append(("meta", MetaText.json(answer.meta)))
            return context.finish([JSONValue.object(document).pretty], notes: [], meta: answer.meta)
        }
    }

    /// `arbor cycles`: one row per member, numbered by group, with labels.
    public static func cycles(_ answer: Answer<CycleGroups>, context: RenderContext) -> RenderedOutput {
        let groups = answer.value.groups
        let note =
            groups.count == Int(answer.value.total)
            ? "cycle groups: \(answer.value.total)" : "cycle groups: \(groups.count) shown of \(answer.value.total)"
        var rows: [[String]] = []
        for (index, group) in groups.enumerated() {
            for member in group {
                rows.append(
                    [String(index + 1), String(group.count), member] + (context.hasLabel ? [context.label(member)] : [])
                )
            }
        }
        var titles = ["cycle", "size", "id"]
        if context.hasLabel { titles.append("label") }
        switch context.format {
        case .table:
            let columns = titles.map {
                TextTable.Column($0.uppercased(), $0 == "cycle" || $0 == "size" ? .right : .left)
            }
            let body = rows.isEmpty ? ["(no cycles)"] : TextTable(columns: columns, rows: rows).render()
            return context.finish(body, notes: [note], meta: answer.meta)
        case .csv:
            return context.finish([CSV.line(titles)] + rows.map(CSV.line), notes: [note], meta: answer.meta)
        case .json:
            let document = JSONValue.object([
                ("cycles", .array(groups.map { .array($0.map { context.nodeJSON($0) }) })),
                ("total", .uint(UInt64(answer.value.total))),
                ("meta", MetaText.json(answer.meta)),
            ])
            return context.finish([document.pretty], notes: [], meta: answer.meta)
        }
    }

    /// `arbor descendants --count` (and ancestors): how many nodes match, without listing them.
    ///
    /// - Parameter direction: `descendants` or `ancestors`.
    public static func traversalCount(
        _ summary: TraversalSummary, root: NodeRecord, direction: String, context: RenderContext
    ) -> RenderedOutput {
        switch context.format {
        case .table:
            let who = context.hasLabel && !root.label.isEmpty ? "\(root.label) (\(root.id))" : root.id
            return context.finish(["\(direction) of \(who): \(summary.total)"], notes: [], meta: summary.meta)
        case .csv:
            return context.finish(
                [CSV.line(["root", "total"]), CSV.line([root.id, String(summary.total)])], notes: [],
                meta: summary.meta)
        case .json:
            let document = JSONValue.object([
                ("root", context.nodeJSON(root.id, label: root.label)), ("total", .uint(summary.total)),
                ("meta", MetaText.json(summary.meta)),
            ])
            return context.finish([document.pretty], notes: [], meta: summary.meta)
        }
    }
}
