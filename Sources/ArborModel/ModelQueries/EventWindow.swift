/// Which events a query counts: one source, its dimension matches and an inclusive window of days (the wire's
/// `EventScope`).
public struct EventWindow: Hashable, Sendable {
    /// An index into ``ResolvedModel/sources``.
    public var source: Int
    /// Matches on the source's dimensions; all must hold.
    public var matches: [ColumnMatch]
    /// First day counted; `nil` is unbounded.
    public var from: Day?
    /// Last day counted; `nil` is unbounded.
    public var to: Day?

    public init(source: Int, matches: [ColumnMatch] = [], from: Day? = nil, to: Day? = nil) {
        self.source = source
        self.matches = matches
        self.from = from
        self.to = to
    }

    /// Resolves an `EventScope`: the source by name (empty: the model's first), dimension matches, dates exactly
    /// `YYYY-MM-DD` naming a real date (empty: unbounded), `from` not after `to`.
    ///
    /// - Parameter field: the scope's field in the request (`events`).
    public init(
        model: ResolvedModel, source name: String, matches: [ValueMatch], fromDate: String, toDate: String,
        field: String
    ) throws(QueryError) {
        let source = try model.source(named: name, field: "\(field).source")
        self.source = model.sources.firstIndex(of: source)!
        self.matches = try model.resolveEventMatches(matches, source: source, field: "\(field).match")
        self.from = try Self.day(fromDate, field: "\(field).from_date")
        self.to = try Self.day(toDate, field: "\(field).to_date")
        if let from, let to, from > to {
            throw ResolvedModel.invalid(
                "\(field).from_date", "\(fromDate) is after \(field).to_date \(toDate)")
        }
    }

    static func day(_ text: String, field: String) throws(QueryError) -> Day? {
        guard !text.isEmpty else { return nil }
        guard let day = Day(iso: text) else {
            throw ResolvedModel.invalid(field, "\"\(NodeID.quoted(text))\" is not a date (YYYY-MM-DD)")
        }
        return day
    }

    /// Whether `day` lies in the window.
    public func contains(_ day: Day) -> Bool {
        (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true)
    }
}
