/// The calls a load mix is made of.
public enum CallKind: String, CaseIterable, Hashable, Sendable, Comparable {
    case descendants
    case stats
    case leaderboard
    case users
    case cycles

    public static func < (lhs: CallKind, rhs: CallKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
