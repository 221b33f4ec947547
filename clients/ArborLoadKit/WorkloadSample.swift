import ArborClient

/// What a workload draws its parameters from, read from the server at start: the model's names and some of its
/// data.
public struct WorkloadSample: Hashable, Sendable {
    /// A node that roots a subtree, with its downline size.
    public struct Root: Hashable, Sendable {
        public var id: String
        public var downlineSize: UInt32

        public init(id: String, downlineSize: UInt32) {
            self.id = id
            self.downlineSize = downlineSize
        }
    }

    /// Values seen of one attribute (never empty).
    public struct AttributeValues: Hashable, Sendable {
        public var name: String
        public var values: [String]

        public init(name: String, values: [String]) {
            self.name = name
            self.values = values
        }
    }

    /// An event source with what requests may name of it.
    public struct Source: Hashable, Sendable {
        public var name: String
        public var dimensions: [String]
        public var measures: [String]
        /// The day windows end on: the source's last day with events, else today.
        public var lastDay: Day

        public init(name: String, dimensions: [String], measures: [String], lastDay: Day) {
            self.name = name
            self.dimensions = dimensions
            self.measures = measures
            self.lastDay = lastDay
        }
    }

    /// Roots grouped by subtree size (small ≤ 10, medium ≤ 1 000, large ≤ 10 000, huge above); empty groups left out.
    public var rootsBySize: [[Root]]
    /// Nodes found below the roots, to ask for their ancestors.
    public var nodes: [String]
    /// Label prefixes that match someone; empty on a model without labels.
    public var labelPrefixes: [String]
    /// Per attribute with a value seen, in model order.
    public var attributes: [AttributeValues]
    /// The model's event sources, in model order.
    public var sources: [Source]

    public init(
        rootsBySize: [[Root]], nodes: [String], labelPrefixes: [String], attributes: [AttributeValues],
        sources: [Source]
    ) {
        self.rootsBySize = rootsBySize.filter { !$0.isEmpty }
        self.nodes = nodes
        self.labelPrefixes = labelPrefixes
        self.attributes = attributes.filter { !$0.values.isEmpty }
        self.sources = sources
    }

    /// Size limits of the groups in ``rootsBySize``.
    public static let sizeBounds: [UInt32] = [10, 1000, 10000, UInt32.max]

    /// Groups roots by downline size, so that small and huge subtrees are drawn equally often. Roots keep the order
    /// they came in (repeats and leaves dropped).
    public static func group(_ roots: [Root]) -> [[Root]] {
        var groups = Array(repeating: [Root](), count: sizeBounds.count)
        var seen: Set<String> = []
        for root in roots where root.downlineSize > 0 && seen.insert(root.id).inserted {
            groups[sizeBounds.firstIndex { root.downlineSize <= $0 }!].append(root)
        }
        return groups
    }
}
