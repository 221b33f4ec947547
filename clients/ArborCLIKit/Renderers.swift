import ArborClient

/// Turns answers into the CLI's table, JSON or CSV text. Pure: the same answer and context give the same text.
///
/// Measures with a scale (a numeric column summed as value × 10^scale) show as decimals in tables and CSV
/// (`123.45`); JSON keeps the exact integer and lists each measure's scale beside the rows.
public enum Renderers {
    /// An empty key (NULL or `""`) in a table.
    static let noValue = "(none)"

    /// A measure's value as tables and CSV show it.
    static func measureText(_ value: Int64, _ measure: ModelDescription.Measure) -> String {
        ScaledDecimal.text(value, scale: measure.scale)
    }

    /// Measures with their scales, as JSON lists them.
    static func measuresJSON(_ measures: [ModelDescription.Measure]) -> JSONValue {
        .array(measures.map { .object([("name", .string($0.name)), ("scale", .uint(UInt64($0.scale)))]) })
    }

    /// The note that more rows exist and how to get them.
    static func moreNote(_ token: String?, what: String) -> [String] {
        guard let token else { return [] }
        return ["more \(what) follow: add --page-token \(token) for the next page, or --all for every page"]
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
