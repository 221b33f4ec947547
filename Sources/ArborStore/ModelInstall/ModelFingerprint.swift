public import ArborModel

/// What a database must have been installed for, as text: everything of a ``ResolvedModel`` that changes what
/// ``ModelInstaller`` stores or captures — the id type, the time zone, the nodes and hierarchy tables and columns,
/// the tables of closed value sets, and each event source's table, node and time columns, time type, dimensions
/// (with their value types) and measures (with their columns and scales).
///
/// Attributes and the label are not part of it: the change log names changed nodes and the refresher re-reads
/// their rows, so adding an attribute needs no `migrate`. Identifiers appear quoted and the time zone as a literal,
/// so no two models share a text. ``layoutVersion`` is part of the text: a binary that installs different objects
/// bumps it, and a database installed by an older layout then differs and asks for a `migrate`.
public struct ModelFingerprint: Hashable, Sendable {
    /// The shape of what ``ModelInstaller`` creates; bump it when the rollups, triggers or change log change.
    ///
    /// 2: the rollup's key includes the count and sums (index-only reads by the live SQL) and is filled in key
    /// order.
    /// 3: each source also has packs (``SourcePack``): its rollup per node and month, what a full load reads.
    public static let layoutVersion = 3

    /// The canonical text: one line per fact, in model order.
    public let text: String

    public init(_ model: ResolvedModel) {
        var lines = ["arbor model layout \(Self.layoutVersion)"]
        lines.append("id_type \(ModelSQL(model).idSQLType)")
        lines.append("time_zone \(InstallSQL.literal(model.model.timeZone))")
        let nodes = model.model.nodes
        lines.append("nodes \(ModelSQL.qualified(nodes.table)) id \(ModelSQL.quoted(nodes.id))")
        switch model.model.hierarchy {
        case .edges(let table, let parent, let child):
            lines.append(
                "hierarchy edges \(ModelSQL.qualified(table)) parent \(ModelSQL.quoted(parent)) "
                    + "child \(ModelSQL.quoted(child))")
        case .parentColumn(let parent):
            lines.append("hierarchy parent \(ModelSQL.quoted(parent))")
        }
        for table in Self.closedValueTables(of: model) {
            lines.append("closed_values \(ModelSQL.qualified(table))")
        }
        for source in model.sources {
            lines.append(Self.sourceDefinition(source, of: model))
        }
        self.text = lines.joined(separator: "\n") + "\n"
    }

    /// The lines that decide one source's rollup: when they are unchanged, a `migrate` keeps the rollup as it is.
    /// The time zone is part of it only for a `timestamptz` time column, the only kind whose day depends on it.
    static func sourceDefinition(_ source: ResolvedModel.Source, of model: ResolvedModel) -> String {
        let declaration = model.declaration(of: source)
        let time: String =
            switch source.time {
            case .timestamptz: "timestamptz in \(InstallSQL.literal(model.model.timeZone))"
            case .timestamp: "timestamp"
            case .date: "date"
            }
        var lines = [
            "source \(ModelSQL.quoted(source.name)) layout \(Self.layoutVersion) id_type \(ModelSQL(model).idSQLType)",
            "  table \(ModelSQL.qualified(declaration.table)) node \(ModelSQL.quoted(declaration.node)) "
                + "time \(ModelSQL.quoted(declaration.time)) \(time)",
        ]
        for dimension in source.dimensions {
            lines.append("  dimension \(ModelSQL.quoted(dimension.name)) \(InstallSQL.dimensionType(dimension.type))")
        }
        for measure in source.measures {
            guard let column = measure.column else { continue }  // count
            lines.append(
                "  measure \(ModelSQL.quoted(measure.name)) sum \(ModelSQL.quoted(column)) scale \(measure.scale)")
        }
        return lines.joined(separator: "\n")
    }

    /// The distinct tables closed attributes take their values from, in a fixed order.
    static func closedValueTables(of model: ResolvedModel) -> [DataModel.TableName] {
        let tables = Set(model.model.nodes.attributes.compactMap { $0.valuesFrom?.table })
        return tables.sorted { $0.description.utf8.lexicographicallyPrecedes($1.description.utf8) }
    }

    /// The SHA-256 of ``text`` in lowercase hex, computed by PostgreSQL (`sha256()`), which ``ArborStore`` already
    /// talks to, rather than by a crypto library it would otherwise not need.
    public func sha256(on connection: PostgresConnection) throws -> String {
        try connection.query("SELECT encode(sha256($1), 'hex')", [.bytea(Array(self.text.utf8))]).first!
            .decode(String.self, at: 0)
    }
}
