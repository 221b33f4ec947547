/// How the `arbor` CLI prints answers.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns with names beside ids and a footer saying where the answer came from.
    case table
    /// One JSON document (keys in a fixed order), meta included.
    case json
    /// RFC 4180 CSV with a header row; the meta line goes to stderr.
    case csv

    /// `table` for a person at a terminal; `json` when stdout is a pipe or file, because it carries the meta and
    /// parses without guessing.
    public static func automatic(stdoutIsTerminal: Bool) -> OutputFormat {
        stdoutIsTerminal ? .table : .json
    }
}
