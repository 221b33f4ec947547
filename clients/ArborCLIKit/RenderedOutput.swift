import ArborClient

/// Text for stdout and, for CSV, the notes and meta line for stderr.
public struct RenderedOutput: Hashable, Sendable {
    public var stdout: String
    public var stderr: String

    public init(stdout: String, stderr: String = "") {
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// What every renderer needs besides the answer.
public struct RenderContext: Sendable {
    public var format: OutputFormat
    /// The current time, to say how old an answer is.
    public var nowUnixMilliseconds: Int64
    /// Whether the model has labels (and so whether answers show a label column).
    public var hasLabel: Bool
    /// Labels of the nodes the answer mentions by id only (stats `node` keys, cycle members).
    public var labels: [String: String]

    public init(format: OutputFormat, nowUnixMilliseconds: Int64, hasLabel: Bool, labels: [String: String] = [:]) {
        self.format = format
        self.nowUnixMilliseconds = nowUnixMilliseconds
        self.hasLabel = hasLabel
        self.labels = labels
    }

    func label(_ id: String) -> String { labels[id] ?? "" }

    /// The footer (table) or the stderr lines (CSV) for `meta`, after `notes`.
    func finish(_ body: [String], notes: [String], meta: ResponseMeta) -> RenderedOutput {
        let footer = MetaText.footer(meta, nowUnixMilliseconds: nowUnixMilliseconds)
        switch format {
        case .table:
            return RenderedOutput(stdout: (body + [""] + notes + [footer]).joined(separator: "\n") + "\n")
        case .csv:
            return RenderedOutput(
                stdout: body.joined(separator: "\n") + "\n",
                stderr: (notes + [footer]).map { "# " + $0 }.joined(separator: "\n") + "\n")
        case .json:
            return RenderedOutput(stdout: body.joined(separator: "\n") + "\n")
        }
    }

    /// A node as JSON: its id and, on a model with labels, its label.
    func nodeJSON(_ id: String, label: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("id", .string(id))]
        if hasLabel { members.append(("label", .string(label ?? self.label(id)))) }
        return .object(members)
    }
}
