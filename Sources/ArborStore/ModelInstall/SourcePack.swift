public import ArborModel

/// Where ``ModelInstaller`` keeps one event source's *packs*: its rollup (``SourceRollup``) again, one row per node
/// and month, which is what a full load reads.
///
/// A full load of the daily rollup reads one row per (node, day, dimension values) — 9.3 million on the war-story
/// demo, which PostgreSQL alone takes seconds to produce. The packs hold the same rows, grouped by node and month
/// into a `bytea`: about 170,000 rows there, streamed in a fraction of that.
///
/// `arbor."pack_<source>"`:
///
/// | column | type | |
/// |---|---|---|
/// | `node` | the id type | as in the rollup |
/// | `month` | `date` | the first day of the month of the entries |
/// | `entries` | `bytea` | the month's rollup rows in the format of ``EventPack``, or NULL (see below) |
///
/// with primary key `(node, month)`. Entries are sorted by key (day, combination) and unique, and no entry has a
/// count of 0; a month that loses its last row loses its pack row.
///
/// `arbor."combos_<source>"` (only for a source with dimensions) numbers each distinct tuple of dimension values the
/// rollup has ever held: `code` (identity, never reused), `key` (the tuple as `ROW(…)::text`, unique: it tells
/// NULL from `""`) and `dim_<name>` per dimension, in the rollup's types. An entry names its tuple by code, so a load
/// decodes no dimension text per row.
///
/// Both are kept exact by the source's capture triggers, in the writer's own statement: the statement's rollup
/// deltas, grouped per pack, are merged into the packs with `arbor.pack_merge`, an upsert whose `DO UPDATE` works on
/// the latest committed row under its lock (as the rollup's own `count = count + delta` does), so concurrent
/// writers add up and nothing has to be recomputed. When a value of an entry does not fit in 64 bits, or the packs
/// ever disagree with a delta, `entries` becomes NULL for good (`pack_merge` is strict) and a load reads that source
/// from the rollup instead.
public struct SourcePack: Hashable, Sendable {
    /// The event source's name.
    public let source: String
    /// Whether entries carry a combination code (the source has dimensions).
    public let hasCombinations: Bool
    /// `count` and each sum.
    public let measureCount: Int

    public static let nodeColumn = "node"
    public static let monthColumn = "month"
    public static let entriesColumn = "entries"
    public static let codeColumn = "code"
    public static let keyColumn = "key"

    /// The prefix of a pack table's name; the rest is the source's name.
    static let tablePrefix = "pack_"
    /// The prefix of a combinations table's name.
    static let combinationsPrefix = "combos_"

    public init(_ source: ResolvedModel.Source) {
        self.source = source.name
        self.hasCombinations = !source.dimensions.isEmpty
        self.measureCount = source.measures.count
    }

    /// The pack table's name in schema `arbor`.
    public var tableName: String { Self.tablePrefix + source }

    /// `arbor."pack_<source>"`, quoted.
    public var qualifiedTable: String { "arbor.\(ModelSQL.quoted(tableName))" }

    /// The combinations table's name in schema `arbor`.
    public var combinationsTableName: String { Self.combinationsPrefix + source }

    /// `arbor."combos_<source>"`, quoted.
    public var qualifiedCombinationsTable: String { "arbor.\(ModelSQL.quoted(combinationsTableName))" }

    /// The layout of one entry.
    public var layout: EventPack.Layout {
        EventPack.Layout(hasCombination: hasCombinations, measureCount: measureCount)
    }
}
