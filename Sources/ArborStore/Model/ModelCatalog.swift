public import ArborModel

/// Checks a ``DataModel`` against PostgreSQL's catalog: every table and column exists and has a type Arbor can
/// read, and the columns that name nodes have the id column's type. What `arbor-server check-model` runs, and
/// what the server runs before it serves a model.
///
/// Names from the model are bound as parameters to catalog queries, never spliced into SQL.
public enum ModelCatalog {
    /// How a column's type is used.
    public enum Kind: String, Hashable, Sendable {
        case uuid, integer, text, boolean, enumeration = "enum", timestamptz, timestamp, date, numeric, other
    }

    /// A column as the catalog describes it.
    public struct Column: Hashable, Sendable {
        public var name: String
        /// `format_type`, e.g. `character varying(40)`.
        public var type: String
        public var kind: Kind
        /// For integer columns: which integer type.
        public var width: IntegerWidth?

        /// How values of this column travel, for attribute and dimension columns.
        var valueType: ValueType {
            switch kind {
            case .integer: .integer(width ?? .int64)
            case .boolean: .boolean
            default: .text
            }
        }
    }

    /// What the check found: a line per table and column it read, and every problem with its model line.
    public struct Report: Hashable, Sendable {
        public var found: [String] = []
        public var problems: [ModelProblem] = []
        /// The id type of the nodes (`uuid`, `integer` or `text`), when the id column was found and usable.
        public var idKind: Kind?
        /// The model with its column types, when there are no problems.
        public var resolved: ResolvedModel?
    }

    /// Reads the catalog for every table the model names and checks each use of a column.
    ///
    /// - Parameter line: the model file's line of a model path (`nodes.id`, `events.sales.time`, …).
    public static func check(
        _ model: DataModel, on connection: PostgresConnection, line: (String) -> Int? = { _ in nil }
    ) throws -> Report {
        var report = Report()
        var tables: [DataModel.TableName: [String: Column]?] = [:]
        func columns(of table: DataModel.TableName, path: String) throws -> [String: Column]? {
            if let known = tables[table] { return known }
            let found = try readColumns(of: table, on: connection)
            tables[table] = found
            if let found {
                report.found.append("table \(table): \(found.count) columns")
            } else {
                report.problems.append(
                    ModelProblem(line: line(path), "\(path): no table or view \(table) (schema \"\(table.schema)\")"))
            }
            return found
        }
        func use(
            _ column: String, of table: DataModel.TableName, declaredAt tablePath: String, path: String,
            as allowed: Set<Kind>, purpose: String
        ) throws -> Column? {
            guard let all = try columns(of: table, path: tablePath) else { return nil }
            guard let found = all[column] else {
                report.problems.append(ModelProblem(line: line(path), "\(path): \(table) has no column \"\(column)\""))
                return nil
            }
            report.found.append("  \(path): \(table).\(column) \(found.type)")
            guard allowed.contains(found.kind) else {
                report.problems.append(
                    ModelProblem(
                        line: line(path),
                        "\(path): \(table).\(column) is \(found.type); \(purpose) must be "
                            + allowed.map(\.rawValue).sorted().joined(separator: ", ")))
                return nil
            }
            return found
        }

        var attributes: [ResolvedModel.Attribute] = []
        var sources: [ResolvedModel.Source] = []
        let nodes = model.nodes
        let id = try use(
            nodes.id, of: nodes.table, declaredAt: "nodes.table", path: "nodes.id", as: [.uuid, .integer, .text],
            purpose: "an id")
        report.idKind = id?.kind
        let idKinds: Set<Kind> = id.map { [$0.kind] } ?? [.uuid, .integer, .text]
        if let label = nodes.label {
            _ = try use(
                label, of: nodes.table, declaredAt: "nodes.table", path: "nodes.label", as: [.text], purpose: "a label")
        }
        let attributeKinds: Set<Kind> = [.text, .boolean, .integer, .enumeration]
        for attribute in nodes.attributes {
            let path = "nodes.attributes.\(attribute.name)"
            let column = try use(
                attribute.column, of: nodes.table, declaredAt: "nodes.table", path: path, as: attributeKinds,
                purpose: "an attribute")
            if let column {
                attributes.append(
                    ResolvedModel.Attribute(
                        name: attribute.name, column: attribute.column, type: column.valueType,
                        closed: attribute.valuesFrom != nil))
            }
            if let from = attribute.valuesFrom {
                _ = try use(
                    from.column, of: from.table, declaredAt: "\(path).values_from", path: "\(path).values_from",
                    as: attributeKinds,
                    purpose: "a list of values")
            }
        }
        let nodeReference = "a column naming nodes (the id column is \(id?.type ?? "unknown"))"
        switch model.hierarchy {
        case .edges(let table, let parent, let child):
            _ = try use(
                parent, of: table, declaredAt: "hierarchy.edges.table", path: "hierarchy.edges.parent", as: idKinds,
                purpose: nodeReference)
            _ = try use(
                child, of: table, declaredAt: "hierarchy.edges.table", path: "hierarchy.edges.child", as: idKinds,
                purpose: nodeReference)
        case .parentColumn(let parent):
            _ = try use(
                parent, of: nodes.table, declaredAt: "nodes.table", path: "hierarchy.parent", as: idKinds,
                purpose: nodeReference)
        }
        for source in model.sources {
            let path = "events.\(source.name)"
            _ = try use(
                source.node, of: source.table, declaredAt: "\(path).table", path: "\(path).node", as: idKinds,
                purpose: nodeReference)
            let timeColumn = try use(
                source.time, of: source.table, declaredAt: "\(path).table", path: "\(path).time",
                as: [.timestamptz, .timestamp, .date],
                purpose: "an event time")
            var dimensions: [ResolvedModel.Dimension] = []
            for dimension in source.dimensions {
                let column = try use(
                    dimension, of: source.table, declaredAt: "\(path).table", path: "\(path).dimensions.\(dimension)",
                    as: attributeKinds,
                    purpose: "a dimension")
                if let column { dimensions.append(ResolvedModel.Dimension(name: dimension, type: column.valueType)) }
            }
            var measures = [ResolvedModel.Measure(name: "count", column: nil, scale: 0)]
            for measure in source.measures {
                let measurePath = "\(path).measures.\(measure.name)"
                guard
                    let column = try use(
                        measure.column, of: source.table, declaredAt: "\(path).table", path: measurePath,
                        as: [.integer, .numeric],
                        purpose: "a summed column")
                else { continue }
                measures.append(
                    ResolvedModel.Measure(name: measure.name, column: measure.column, scale: measure.scale ?? 0))
                if column.kind == .numeric, measure.scale == nil {
                    report.problems.append(
                        ModelProblem(
                            line: line(measurePath),
                            "\(measurePath): \(source.table).\(measure.column) is \(column.type); give scale: N to sum it "
                                + "as value × 10^N in 64-bit integers (e.g. scale: 2 for money)"))
                }
            }
            let time: ResolvedModel.TimeKind =
                switch timeColumn?.kind {
                case .timestamp: .timestamp
                case .date: .date
                default: .timestamptz
                }
            sources.append(
                ResolvedModel.Source(name: source.name, time: time, dimensions: dimensions, measures: measures))
        }
        if report.problems.isEmpty, let id {
            let idType: NodeIDType =
                switch id.kind {
                case .uuid: .uuid
                case .integer: .integer(id.width ?? .int64)
                default: .text
                }
            report.resolved = ResolvedModel(model: model, idType: idType, attributes: attributes, sources: sources)
        }
        return report
    }

    /// The columns of `table`, or `nil` when no such table or view exists.
    static func readColumns(of table: DataModel.TableName, on connection: PostgresConnection) throws -> [String:
        Column]?
    {
        let exists = try connection.query(
            """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            """, [.text(table.schema), .text(table.name)])
        guard try exists.first?.decode(Int64.self, at: 0) ?? 0 > 0 else { return nil }
        let rows = try connection.query(
            """
            SELECT a.attname::text, format_type(a.atttypid, a.atttypmod),
                   COALESCE(bt.typname, t.typname)::text, COALESCE(bt.typtype, t.typtype)::text
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
            WHERE n.nspname = $1 AND c.relname = $2
            """, [.text(table.schema), .text(table.name)])
        var columns: [String: Column] = [:]
        for row in rows {
            let name = try row.decode(String.self, at: 0)
            let type = try row.decode(String.self, at: 1)
            let typeName = try row.decode(String.self, at: 2)
            let typeType = try row.decode(String.self, at: 3)
            let width: IntegerWidth? =
                switch typeName {
                case "int2": .int16
                case "int4": .int32
                case "int8": .int64
                default: nil
                }
            columns[name] = Column(
                name: name, type: type, kind: kind(typeName: typeName, typeType: typeType), width: width)
        }
        return columns
    }

    static func kind(typeName: String, typeType: String) -> Kind {
        if typeType == "e" { return .enumeration }
        switch typeName {
        case "uuid": return .uuid
        case "int2", "int4", "int8": return .integer
        case "text", "varchar", "bpchar": return .text
        case "bool": return .boolean
        case "timestamptz": return .timestamptz
        case "timestamp": return .timestamp
        case "date": return .date
        case "numeric": return .numeric
        default: return .other
        }
    }
}
