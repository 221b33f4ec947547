import ArborModel

/// Why ``ModelRows`` cannot be turned into a ``ModelIndex``: data the index cannot hold or that contradicts the
/// model. The caller keeps its previous index (or answers live); nothing here is a crash.
public struct ModelIndexError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String

        /// The rows do not have the shape the model says (a missing column, an id of another type).
        public static let shapeMismatch = Code(name: "shape mismatch")
        /// The data is larger than the index can address (nodes, edges, rows, days, text bytes).
        public static let tooLarge = Code(name: "too large")
        /// A value no real database holds (a negative event count).
        public static let impossibleValue = Code(name: "impossible value")
        /// ``ModelIndex/applying(_:)`` cannot apply these changes exactly (a sum that no longer fits where a build
        /// would keep rows apart, …): build the index from the rows instead.
        public static let notIncremental = Code(name: "not incremental")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func shape(_ message: String) -> ModelIndexError { ModelIndexError(code: .shapeMismatch, message: message) }

    static func tooLarge(_ message: String) -> ModelIndexError { ModelIndexError(code: .tooLarge, message: message) }

    static func notIncremental(_ message: String) -> ModelIndexError {
        ModelIndexError(code: .notIncremental, message: message)
    }

    static func dayRangeTooWide(source: String, first: Day, last: Day) -> ModelIndexError {
        tooLarge(
            "events of \(source) span \(first) to \(last) (\(Int(last.daysSinceEpoch) - Int(first.daysSinceEpoch) + 1) "
                + "days); the index holds at most \(EventTable.maximumDaySpan) days per source")
    }

    static func negativeCount(source: String, node: NodeID, day: Day) -> ModelIndexError {
        ModelIndexError(
            code: .impossibleValue,
            message: "events of \(source) for node \(shortened(node.canonical)) on \(day) add up to a negative count")
    }

    /// An id as quoted in a message: at most 64 characters.
    static func shortened(_ text: String) -> String {
        text.count <= 64 ? text : "\(text.prefix(48))… (\(text.utf8.count) bytes)"
    }
}
