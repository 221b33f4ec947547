import ArborClient

/// Prints a `Descendants` or `Ancestors` answer as it streams: a header with the first batch, then each batch as it
/// arrives, then the summary. Nothing is held beyond one batch.
///
/// Columns: depth, id, the tree parent (with `--parents`), the label (on a model with labels) and the asked-for
/// attributes. A table's column widths are set by the header and the first batch; a wider cell later pushes the rest
/// of its row right rather than holding rows back.
public struct TraversalPrinter: Sendable {
    public let format: OutputFormat
    /// `descendants` or `ancestors`, as the summary says it.
    public let direction: String
    let root: NodeRecord
    let hasLabel: Bool
    let includeParents: Bool
    let attributes: [String]
    /// Where the label and each attribute sit in ``TraversedNode/values``.
    let labelIndex: Int?
    let attributeIndexes: [Int]
    private var widths: [Int]?
    private var printed = 0

    /// The traversal's request attributes: `label` (when the model has labels) followed by `attributes`.
    public static func requestAttributes(_ attributes: [String], hasLabel: Bool) -> [String] {
        (hasLabel ? ["label"] : []) + attributes.filter { $0 != "label" }
    }

    /// - Parameter attributes: the attributes to show (without `label`), as asked.
    public init(
        format: OutputFormat, direction: String, root: NodeRecord, hasLabel: Bool, includeParents: Bool,
        attributes: [String]
    ) {
        self.format = format
        self.direction = direction
        self.root = root
        self.hasLabel = hasLabel
        self.includeParents = includeParents
        let requested = Self.requestAttributes(attributes, hasLabel: hasLabel)
        self.attributes = attributes.filter { $0 != "label" }
        self.labelIndex = hasLabel ? 0 : nil
        self.attributeIndexes = self.attributes.map { requested.firstIndex(of: $0)! }
    }

    var titles: [String] {
        ["depth", "id"] + (includeParents ? ["parent"] : []) + (hasLabel ? ["label"] : []) + attributes
    }

    func cells(_ node: TraversedNode) -> [String] {
        var cells = [String(node.depth), node.id]
        if includeParents { cells.append(node.parent ?? "") }
        if let labelIndex { cells.append(node.values[labelIndex]) }
        cells += attributeIndexes.map { node.values[$0] }
        return cells
    }

    var columns: [TextTable.Column] {
        titles.map { TextTable.Column($0.uppercased(), $0 == "depth" ? .right : .left) }
    }

    /// The lines of one batch, preceded by the header on the first.
    public mutating func batch(_ nodes: [TraversedNode]) -> String {
        var text = ""
        let isFirst = widths == nil
        if isFirst {
            var widths = titles.map(\.count)
            for node in nodes {
                for (index, cell) in cells(node).enumerated() { widths[index] = max(widths[index], cell.count) }
            }
            self.widths = widths
            text += header(widths: widths)
        }
        for node in nodes {
            let row = cells(node)
            switch format {
            case .table: text += TextTable.line(row, columns: columns, widths: widths!) + "\n"
            case .csv: text += CSV.line(row) + "\n"
            case .json:
                text += printed == 0 ? "\n    " : ",\n    "
                var members: [(String, JSONValue)] = [("depth", .uint(UInt64(node.depth))), ("id", .string(node.id))]
                if includeParents { members.append(("parent", .string(node.parent ?? ""))) }
                if let labelIndex { members.append(("label", .string(node.values[labelIndex]))) }
                members.append(
                    ("attributes", .object(zip(attributes, attributeIndexes).map { ($0, .string(node.values[$1])) })))
                text += JSONValue.object(members).compact
            }
            printed += 1
        }
        return text
    }

    private func header(widths: [Int]) -> String {
        switch format {
        case .table: TextTable.line(columns.map(\.title), columns: columns, widths: widths) + "\n"
        case .csv: CSV.line(titles) + "\n"
        case .json:
            "{\n  \"root\": " + rootJSON.compact + ",\n  \"nodes\": ["
        }
    }

    private var rootJSON: JSONValue {
        hasLabel
            ? .object([("id", .string(root.id)), ("label", .string(root.label))]) : .object([("id", .string(root.id))])
    }

    /// Printed after the last node (the header too when no batch came with nodes).
    public mutating func footer(_ summary: TraversalSummary, nowUnixMilliseconds: Int64) -> RenderedOutput {
        let head = widths == nil ? batch([]) : ""
        let note =
            printed == Int(summary.total)
            ? "\(direction): \(summary.total)" : "\(direction): \(printed) shown of \(summary.total) matching"
        let footer = MetaText.footer(summary.meta, nowUnixMilliseconds: nowUnixMilliseconds)
        switch format {
        case .table:
            return RenderedOutput(stdout: head + (printed == 0 ? "(none)\n" : "") + "\n\(note)\n\(footer)\n")
        case .csv:
            return RenderedOutput(stdout: head, stderr: "# \(note)\n# \(footer)\n")
        case .json:
            let tail = JSONValue.object([("total", .uint(summary.total)), ("meta", MetaText.json(summary.meta))])
                .pretty.dropFirst(2)  // continue the open object: `"total": …, "meta": {…}\n}`
            let tailText = String(tail).hasPrefix("  ") ? String(tail.dropFirst(2)) : String(tail)
            return RenderedOutput(stdout: head + (printed > 0 ? "\n  ],\n  " : "],\n  ") + tailText + "\n")
        }
    }
}
