/// The calls a load mix is made of.
public enum CallKind: String, CaseIterable, Hashable, Sendable, Comparable {
    case describe
    case descendants
    case ancestors
    case stats
    case leaderboard
    case find
    case cycles

    public static func < (lhs: CallKind, rhs: CallKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
