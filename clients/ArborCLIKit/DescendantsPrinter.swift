import ArborClient

/// Prints a `Descendants` answer as it streams: a header, then each batch as it arrives, then the summary.
///
/// Columns have fixed widths (depth, id, role) with the name last, so rows align without seeing the whole answer.
public struct DescendantsPrinter: Sendable {
    public let format: OutputFormat
    static let columns: [TextTable.Column] = [.init("DEPTH", .right), .init("ID"), .init("ROLE"), .init("NAME")]
    static let widths = [5, 36, 18, 0]

    /// A printer for `format`.
    public init(format: OutputFormat) {
        self.format = format
    }

    /// Printed before the first entry.
    public func header(root: UserID, rootName: String) -> String {
        switch format {
        case .table: TextTable.line(Self.columns.map(\.title), columns: Self.columns, widths: Self.widths) + "\n"
        case .csv: CSV.line(["depth", "id", "role", "name"]) + "\n"
        case .json:
            "{\n  \"root\": "
                + JSONValue.object([("id", .string(root.uuidString)), ("name", .string(rootName))]).compact
                + ",\n  \"entries\": ["
        }
    }

    /// One batch's lines; `first` tells JSON whether a separating comma is needed.
    public func batch(_ entries: [DescendantEntry], users: [UserID: UserRecord], first: Bool) -> String {
        var text = ""
        for (index, entry) in entries.enumerated() {
            let user = users[entry.id]
            let cells = [String(entry.depth), entry.id.uuidString, user?.role ?? "", user?.name ?? ""]
            switch format {
            case .table: text += TextTable.line(cells, columns: Self.columns, widths: Self.widths) + "\n"
            case .csv: text += CSV.line(cells) + "\n"
            case .json:
                text += (first && index == 0 ? "\n    " : ",\n    ")
                text +=
                    JSONValue.object([
                        ("depth", .uint(UInt64(entry.depth))), ("id", .string(cells[1])), ("role", .string(cells[2])),
                        ("name", .string(cells[3])),
                    ]).compact
            }
        }
        return text
    }

    /// Printed after the last entry.
    public func footer(
        _ summary: DescendantsSummary, printed: Int, anyPrinted: Bool, nowUnixMilliseconds: Int64
    ) -> RenderedOutput {
        let note =
            printed == Int(summary.total)
            ? "descendants: \(summary.total)" : "descendants: \(printed) shown of \(summary.total) matching"
        let footer = MetaText.footer(summary.meta, nowUnixMilliseconds: nowUnixMilliseconds)
        switch format {
        case .table:
            return RenderedOutput(stdout: (printed == 0 ? "(none)\n" : "") + "\n\(note)\n\(footer)\n")
        case .csv:
            return RenderedOutput(stdout: "", stderr: "# \(note)\n# \(footer)\n")
        case .json:
            let tail = JSONValue.object([
                ("total", .uint(summary.total)), ("meta", MetaText.json(summary.meta)),
            ]).pretty.dropFirst(2)  // continue the open object: `"total": …, "meta": {…}\n}`
            return RenderedOutput(stdout: (anyPrinted ? "\n  ],\n  " : "],\n  ") + reindent(String(tail)) + "\n")
        }
    }

    private func reindent(_ text: String) -> String {
        // The tail's members were rendered at depth 1 already; strip the leading indent of its first line.
        text.hasPrefix("  ") ? String(text.dropFirst(2)) : text
    }
}
