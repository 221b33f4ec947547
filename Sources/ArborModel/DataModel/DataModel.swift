/// How Arbor's three concepts — nodes, the hierarchy between them, and events counted per node — map onto an
/// organisation's own tables. Read from a model file (see `docs/model.md`) or built in (``demo``).
///
/// Names are checked when a model is read (``DataModel/problems``): the catalog check against a database is
/// separate, since it needs one.
public struct DataModel: Hashable, Sendable {
    /// What a "day" is: an IANA time zone name.
    public var timeZone: String
    public var nodes: Nodes
    public var hierarchy: HierarchyMapping
    /// Zero or more event sources, in model order (the first is the default source of a request).
    public var sources: [EventSource]

    public init(timeZone: String = "UTC", nodes: Nodes, hierarchy: HierarchyMapping, sources: [EventSource] = []) {
        self.timeZone = timeZone
        self.nodes = nodes
        self.hierarchy = hierarchy
        self.sources = sources
    }

    /// A table, always with its schema (`public` when the file names none).
    public struct TableName: Hashable, Sendable, CustomStringConvertible {
        public var schema: String
        public var name: String

        public init(schema: String = "public", name: String) {
            self.schema = schema
            self.name = name
        }

        /// `schema.table` or `table`; `nil` for anything else (an empty part, more than one dot).
        public init?(parsing text: String) {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
            self.init(schema: parts.count == 2 ? parts[0] : "public", name: parts.last!)
        }

        public var description: String { "\(schema).\(name)" }
    }

    /// A column of a table, as `values_from` names one.
    public struct ColumnReference: Hashable, Sendable, CustomStringConvertible {
        public var table: TableName
        public var column: String

        public init(table: TableName, column: String) {
            self.table = table
            self.column = column
        }

        /// `schema.table.column` or `table.column`.
        public init?(parsing text: String) {
            guard let dot = text.lastIndex(of: "."), let table = TableName(parsing: String(text[..<dot])) else {
                return nil
            }
            let column = String(text[text.index(after: dot)...])
            guard !column.isEmpty else { return nil }
            self.init(table: table, column: column)
        }

        public var description: String { "\(table).\(column)" }
    }

    /// The things in the hierarchy.
    public struct Nodes: Hashable, Sendable {
        public var table: TableName
        /// The id column: uuid, an integer type, or text.
        public var id: String
        /// A text column shown to people and searched by FindNodes.
        public var label: String?
        public var attributes: [Attribute]

        public init(table: TableName, id: String, label: String? = nil, attributes: [Attribute] = []) {
            self.table = table
            self.id = id
            self.label = label
            self.attributes = attributes
        }
    }

    /// A named column of the nodes table: filterable, groupable, returnable.
    public struct Attribute: Hashable, Sendable {
        public var name: String
        public var column: String
        /// For a closed set: the column that lists the allowed values; unknown values in a request are errors.
        public var valuesFrom: ColumnReference?

        public init(name: String, column: String, valuesFrom: ColumnReference? = nil) {
            self.name = name
            self.column = column
            self.valuesFrom = valuesFrom
        }
    }

    /// Who is under whom.
    public enum HierarchyMapping: Hashable, Sendable {
        /// A many-to-many edge table.
        case edges(table: TableName, parent: String, child: String)
        /// A parent column on the nodes table (NULL = no parent).
        case parentColumn(String)
    }

    /// Things counted per node by time.
    public struct EventSource: Hashable, Sendable {
        public var name: String
        /// May be the nodes table itself (each node one event).
        public var table: TableName
        /// The column naming the node an event belongs to.
        public var node: String
        /// A timestamptz, timestamp or date column.
        public var time: String
        /// Event columns to filter and group by.
        public var dimensions: [String]
        /// Sums besides `count`, which always exists and comes first.
        public var measures: [Measure]

        public init(
            name: String, table: TableName, node: String, time: String, dimensions: [String] = [],
            measures: [Measure] = []
        ) {
            self.name = name
            self.table = table
            self.node = node
            self.time = time
            self.dimensions = dimensions
            self.measures = measures
        }
    }

    /// A sum over a column of an event source.
    public struct Measure: Hashable, Sendable {
        public var name: String
        public var column: String
        /// For a numeric column: summed as value × 10^scale (int64). `nil` for an integer column.
        public var scale: Int?

        public init(name: String, column: String, scale: Int? = nil) {
            self.name = name
            self.column = column
            self.scale = scale
        }
    }
}
