public import ArborModel

/// Where ``ModelInstaller`` keeps one event source's daily rollup, and how its columns are named.
///
/// `arbor."rollup_<source>"` has one row per (node, day, dimension values) with at least one event:
///
/// | column | type | |
/// |---|---|---|
/// | `node` | the id type | the event's node (events whose node is NULL, or an integer outside the id type, are left out) |
/// | `day` | `date` | the event's day in the model's time zone (events with a NULL time are left out) |
/// | `dim_<name>` | `text`, `bigint` or `boolean` | one per dimension, in model order; NULL kept as NULL |
/// | `count` | `bigint` | events |
/// | `sum_<name>` | `numeric` | one per sum, in model order: Σ round(value × 10^scale), NULLs adding nothing |
///
/// Sums are `numeric` so that no application write can fail because a total passed 64 bits; a reader that needs
/// `Int64` reports OUT_OF_RANGE for such a total. The key is `UNIQUE NULLS NOT DISTINCT (node, day, dim_…)
/// INCLUDE (count, sum_…)`, which also serves lookups by node, from the index alone. Rows whose nodes are no node are kept (the index drops them, as the live SQL does).
public struct SourceRollup: Hashable, Sendable {
    /// The event source's name.
    public let source: String
    /// `dim_<name>` per dimension, in model order.
    public let dimensionColumns: [String]
    /// `sum_<name>` per measure after `count`, in model order.
    public let sumColumns: [String]

    public static let nodeColumn = "node"
    public static let dayColumn = "day"
    public static let countColumn = "count"

    public init(_ source: ResolvedModel.Source) {
        self.source = source.name
        self.dimensionColumns = source.dimensions.map { "dim_\($0.name)" }
        self.sumColumns = source.measures.compactMap { $0.column == nil ? nil : "sum_\($0.name)" }
    }

    /// The table's name in schema `arbor`.
    public var tableName: String { "rollup_\(source)" }

    /// `arbor."rollup_<source>"`, quoted.
    public var qualifiedTable: String { "arbor.\(ModelSQL.quoted(tableName))" }

    /// The measure columns aligned with ``ResolvedModel/Source/measures``: `count`, then the sums.
    public var measureColumns: [String] { [Self.countColumn] + sumColumns }

    /// The key columns: `node`, `day`, then the dimensions.
    public var keyColumns: [String] { [Self.nodeColumn, Self.dayColumn] + dimensionColumns }
}
