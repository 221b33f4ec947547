/// A ``DataModel`` together with what the catalog said about its columns: the id type, each attribute's and
/// dimension's value type, each measure's scale. What requests are validated against, on both query paths.
public struct ResolvedModel: Hashable, Sendable {
    public struct Attribute: Hashable, Sendable {
        public var name: String
        public var column: String
        public var type: ValueType
        /// Whether values are checked against a closed set (`values_from`).
        public var closed: Bool

        public init(name: String, column: String, type: ValueType, closed: Bool) {
            self.name = name
            self.column = column
            self.type = type
            self.closed = closed
        }
    }

    public struct Dimension: Hashable, Sendable {
        public var name: String
        public var type: ValueType

        public init(name: String, type: ValueType) {
            self.name = name
            self.type = type
        }
    }

    public struct Measure: Hashable, Sendable {
        public var name: String
        /// `nil` for `count`.
        public var column: String?
        /// Values are summed as value × 10^scale; 0 for integers and `count`.
        public var scale: Int

        public init(name: String, column: String?, scale: Int) {
            self.name = name
            self.column = column
            self.scale = scale
        }
    }

    /// The type of an event source's time column, which decides how an event's day is found.
    public enum TimeKind: Hashable, Sendable {
        /// An instant: its day is the calendar date in the model's time zone.
        case timestamptz
        /// Wall-clock time in the model's zone: its day is its date.
        case timestamp
        /// The day itself.
        case date
    }

    public struct Source: Hashable, Sendable {
        public var name: String
        public var time: TimeKind
        public var dimensions: [Dimension]
        /// `count` first, then the model's sums in model order.
        public var measures: [Measure]

        public init(name: String, time: TimeKind = .timestamptz, dimensions: [Dimension], measures: [Measure]) {
            self.name = name
            self.time = time
            self.dimensions = dimensions
            self.measures = measures
        }

        public func dimension(named name: String) -> Dimension? { dimensions.first { $0.name == name } }
        public func measureIndex(named name: String) -> Int? { measures.firstIndex { $0.name == name } }
    }

    public var model: DataModel
    public var idType: NodeIDType
    public var attributes: [Attribute]
    public var sources: [Source]

    public init(model: DataModel, idType: NodeIDType, attributes: [Attribute], sources: [Source]) {
        self.model = model
        self.idType = idType
        self.attributes = attributes
        self.sources = sources
    }

    public var hasLabel: Bool { model.nodes.label != nil }

    public func attribute(named name: String) -> Attribute? { attributes.first { $0.name == name } }

    public func attributeIndex(named name: String) -> Int? { attributes.firstIndex { $0.name == name } }

    /// The model's declaration of `source` (table and columns).
    public func declaration(of source: Source) -> DataModel.EventSource {
        model.sources.first { $0.name == source.name }!
    }
}
