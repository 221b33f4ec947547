/// An aligned plain-text table: a header row and data rows, columns separated by two spaces, numbers right-aligned.
public struct TextTable: Sendable {
    public enum Alignment: Sendable {
        case left
        case right
    }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment

        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public var rows: [[String]]

    public init(columns: [Column], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The table's lines, each without trailing spaces. Widths count characters (grapheme clusters).
    public func render() -> [String] {
        var widths = columns.map(\.title.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return ([columns.map(\.title)] + rows).map { Self.line($0, columns: columns, widths: widths) }
    }

    /// One row laid out in the given widths (a cell wider than its column pushes the rest right).
    public static func line(_ cells: [String], columns: [Column], widths: [Int]) -> String {
        var text = ""
        for (index, cell) in cells.enumerated() {
            let width = index < widths.count ? widths[index] : cell.count
            let padding = String(repeating: " ", count: max(0, width - cell.count))
            let alignment = index < columns.count ? columns[index].alignment : .left
            if index > 0 { text += "  " }
            text += alignment == .right ? padding + cell : cell + padding
        }
        while text.last == " " { text.removeLast() }
        return text
    }
}
