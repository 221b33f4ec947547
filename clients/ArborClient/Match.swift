/// A condition on one attribute of a node (or, in an ``EventScope``, one dimension of an event): its value is one of
/// ``values``, or with ``negate`` none of them. NULL never matches either form; `""` matches empty strings only.
///
/// Several matches must all hold. Values travel as text: booleans `true`/`false`, integers in decimal.
///
/// ```swift
/// let dpos = [Match("role", in: ["DPOC", "DPR"]), Match("status", notIn: ["inactive"])]
/// ```
public struct Match: Hashable, Sendable {
    /// The attribute or dimension, as the model file names it.
    public var name: String
    /// At least one value.
    public var values: [String]
    /// Holds when the value is none of ``values`` (still never for NULL).
    public var negate: Bool

    public init(name: String, values: [String], negate: Bool = false) {
        self.name = name
        self.values = values
        self.negate = negate
    }

    /// Holds when `name`'s value is one of `values`.
    public init(_ name: String, in values: [String]) {
        self.init(name: name, values: values)
    }

    /// Holds when `name` has a value and it is none of `values`.
    public init(_ name: String, notIn values: [String]) {
        self.init(name: name, values: values, negate: true)
    }

    /// The wire message.
    public var message: ArborV2.Match {
        ArborV2.Match(name: name, values: values, negate: negate)
    }
}

/// Which events are counted: one source of the model, matches on its dimensions, and an inclusive day range.
public struct EventScope: Hashable, Sendable {
    /// The source by name; `nil` means the model's first.
    public var source: String?
    /// Matches on the source's dimensions; all must hold.
    public var match: [Match]
    /// First day counted (inclusive); `nil` means unbounded.
    public var from: Day?
    /// Last day counted (inclusive); `nil` means unbounded.
    public var to: Day?

    public init(source: String? = nil, match: [Match] = [], from: Day? = nil, to: Day? = nil) {
        self.source = source
        self.match = match
        self.from = from
        self.to = to
    }

    /// Every event of the model's first source.
    public static let all = EventScope()

    /// The wire message; `nil` when the scope is ``all``, so that nothing is sent.
    public var message: ArborV2.EventScope? {
        guard self != .all else { return nil }
        return ArborV2.EventScope(
            source: source ?? "", match: match.map(\.message), fromDate: from?.isoString ?? "",
            toDate: to?.isoString ?? "")
    }
}
