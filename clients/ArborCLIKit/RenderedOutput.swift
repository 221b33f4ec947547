import ArborClient

/// Text for stdout and, for CSV, the meta line for stderr.
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
    /// Names (and roles, districts) of the users the answer mentions.
    public var users: [UserID: UserRecord]

    public init(format: OutputFormat, nowUnixMilliseconds: Int64, users: [UserID: UserRecord] = [:]) {
        self.format = format
        self.nowUnixMilliseconds = nowUnixMilliseconds
        self.users = users
    }

    func name(_ id: UserID) -> String { users[id]?.name ?? "" }
    func role(_ id: UserID) -> String { users[id]?.role ?? "" }

    /// The footer (table) or the stderr line (CSV) for `meta`.
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

    func userJSON(_ id: UserID) -> JSONValue {
        .object([("id", .string(id.uuidString)), ("name", .string(name(id))), ("role", .string(role(id)))])
    }
}
