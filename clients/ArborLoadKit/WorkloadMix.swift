/// Weighted choice among calls, e.g. `descendants=1,ancestors=1,stats=3,leaderboard=1,find=1`.
public struct WorkloadMix: Hashable, Sendable, CustomStringConvertible {
    /// The calls with positive weight, in ``CallKind`` order.
    public let weights: [(CallKind, Int)]
    private let total: Int

    public static func == (lhs: WorkloadMix, rhs: WorkloadMix) -> Bool { lhs.description == rhs.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    /// The default: mostly stats, some of everything else.
    public static let standard = try! WorkloadMix(parsing: "descendants=1,ancestors=1,stats=3,leaderboard=1,find=1")

    /// Parses `name=weight` pairs separated by commas; weights are non-negative integers, at least one positive.
    public init(parsing text: String) throws(LoadError) {
        var weights: [CallKind: Int] = [:]
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1)
            let name = String(pieces[0]).trimmingCharacters(in: " ")
            guard let kind = CallKind(rawValue: name) else {
                throw LoadError(
                    "unknown call '\(name)' in --mix; use \(CallKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard weights[kind] == nil else { throw LoadError("--mix names '\(name)' twice") }
            let weightText = pieces.count == 2 ? String(pieces[1]).trimmingCharacters(in: " ") : "1"
            guard let weight = Int(weightText), weight >= 0, weight <= 1_000_000 else {
                throw LoadError(
                    "weight of '\(name)' in --mix must be an integer from 0 to 1000000 (got '\(weightText)')")
            }
            weights[kind] = weight
        }
        let positive = CallKind.allCases.compactMap { kind in weights[kind].flatMap { $0 > 0 ? (kind, $0) : nil } }
        guard !positive.isEmpty else { throw LoadError("--mix needs at least one call with a positive weight") }
        self.weights = positive
        self.total = positive.reduce(0) { $0 + $1.1 }
    }

    /// This mix without `kinds` (calls a model cannot answer, such as stats without event sources).
    ///
    /// - Throws: ``LoadError`` when nothing with a positive weight is left.
    public func without(_ kinds: Set<CallKind>) throws(LoadError) -> WorkloadMix {
        let kept = weights.filter { !kinds.contains($0.0) }
        guard !kept.isEmpty else {
            throw LoadError("--mix has only calls this model cannot answer: \(description)")
        }
        return try WorkloadMix(parsing: kept.map { "\($0.0.rawValue)=\($0.1)" }.joined(separator: ","))
    }

    /// The call for a uniformly drawn `ticket` in `0..<totalWeight`.
    public func call(forTicket ticket: Int) -> CallKind {
        var remaining = ticket
        for (kind, weight) in weights {
            if remaining < weight { return kind }
            remaining -= weight
        }
        return weights.last!.0
    }

    public var totalWeight: Int { total }

    public func pick(using generator: inout some RandomNumberGenerator) -> CallKind {
        call(forTicket: Int.random(in: 0..<total, using: &generator))
    }

    public var description: String { weights.map { "\($0.0.rawValue)=\($0.1)" }.joined(separator: ",") }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
