/// What `Describe` says about the model a server serves: its id type, attributes, event sources with their
/// dimensions and measures, and counts of its data. Callers use it to learn which names a request may use.
public struct ModelDescription: Hashable, Sendable {
    /// The type of the node ids.
    public enum IDType: Hashable, Sendable, CustomStringConvertible {
        case uuid
        case integer
        case text
        /// A name this client version does not know.
        case other(String)

        public init(name: String) {
            switch name {
            case "uuid": self = .uuid
            case "integer": self = .integer
            case "text": self = .text
            default: self = .other(name)
            }
        }

        /// As `Describe` names it.
        public var description: String {
            switch self {
            case .uuid: "uuid"
            case .integer: "integer"
            case .text: "text"
            case .other(let name): name
            }
        }

        /// Whether `text` is the canonical text of an id of this type (what the server accepts as an id): a UUID
        /// as `8-4-4-4-12` hex in any case, an integer as `-?[1-9][0-9]*` or `0` within 64 bits, any non-empty
        /// text. The server may still find an integer out of its column's range.
        public func accepts(_ text: String) -> Bool {
            switch self {
            case .uuid: NodeIDText.isUUID(text)
            case .integer: NodeIDText.isCanonicalInteger(text)
            case .text, .other: !text.isEmpty
            }
        }
    }

    /// One attribute of the nodes.
    public struct Attribute: Hashable, Sendable {
        public var name: String
        /// `text`, `integer` or `boolean`.
        public var type: String
        /// Values come from a fixed set (`values_from`); others are INVALID_ARGUMENT.
        public var closed: Bool
        /// Distinct non-NULL values among the nodes.
        public var distinctValues: UInt32

        public init(name: String, type: String, closed: Bool, distinctValues: UInt32) {
            self.name = name
            self.type = type
            self.closed = closed
            self.distinctValues = distinctValues
        }
    }

    /// One measure of an event source.
    public struct Measure: Hashable, Sendable {
        public var name: String
        /// Values are the sum × 10^scale: show `value / 10^scale` (see ``ScaledDecimal``). `count` has scale 0.
        public var scale: UInt32

        public init(name: String, scale: UInt32) {
            self.name = name
            self.scale = scale
        }
    }

    /// One source of events.
    public struct Source: Hashable, Sendable {
        public var name: String
        /// Event columns to filter and group by.
        public var dimensions: [String]
        /// `count` first, then the model's sums in model order.
        public var measures: [Measure]
        /// The first and last day with a counted event; `nil` when the source has none.
        public var firstDay: Day?
        public var lastDay: Day?
        /// Events that count (their node is a node and their time is not NULL).
        public var events: UInt64

        public init(
            name: String, dimensions: [String], measures: [Measure], firstDay: Day?, lastDay: Day?, events: UInt64
        ) {
            self.name = name
            self.dimensions = dimensions
            self.measures = measures
            self.firstDay = firstDay
            self.lastDay = lastDay
            self.events = events
        }

        /// The measure named `name`, if the source has it.
        public func measure(named name: String) -> Measure? {
            measures.first { $0.name == name }
        }
    }

    /// The type of the id column; ids travel as its canonical text.
    public var idType: IDType
    /// The IANA zone that decides what a day is.
    public var timeZone: String
    /// Whether nodes have a label (searched by `FindNodes`, returned as `label`).
    public var hasLabel: Bool
    /// In model order.
    public var attributes: [Attribute]
    /// In model order; the first is the default of an ``EventScope``.
    public var sources: [Source]
    /// Nodes in the data.
    public var nodes: UInt64
    /// Distinct (parent, child) pairs of existing nodes, self-edges included.
    public var edges: UInt64
    /// Groups of nodes that reach each other (as `Cycles` counts them).
    public var cycleGroups: UInt32

    public init(
        idType: IDType, timeZone: String, hasLabel: Bool, attributes: [Attribute], sources: [Source], nodes: UInt64,
        edges: UInt64, cycleGroups: UInt32
    ) {
        self.idType = idType
        self.timeZone = timeZone
        self.hasLabel = hasLabel
        self.attributes = attributes
        self.sources = sources
        self.nodes = nodes
        self.edges = edges
        self.cycleGroups = cycleGroups
    }

    /// Reads the response; a first or last day that is not a date reads as `nil`.
    public init(_ response: ArborV2.DescribeResponse) {
        self.init(
            idType: IDType(name: response.idType), timeZone: response.timeZone, hasLabel: response.hasLabel,
            attributes: response.attributes.map {
                Attribute(name: $0.name, type: $0.type, closed: $0.closed, distinctValues: $0.distinctValues)
            },
            sources: response.sources.map {
                Source(
                    name: $0.name, dimensions: $0.dimensions,
                    measures: $0.measures.map { Measure(name: $0.name, scale: $0.scale) },
                    firstDay: Day(iso: $0.firstDay), lastDay: Day(iso: $0.lastDay), events: $0.events)
            },
            nodes: response.nodes, edges: response.edges, cycleGroups: response.cycleGroups)
    }

    /// The source named `name`, or the first (the default) for `nil`; `nil` when there is no such source.
    public func source(named name: String?) -> Source? {
        guard let name, !name.isEmpty else { return sources.first }
        return sources.first { $0.name == name }
    }

    /// The attribute named `name`, if the model has it.
    public func attribute(named name: String) -> Attribute? {
        attributes.first { $0.name == name }
    }
}
