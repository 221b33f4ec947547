import ArborClient

/// What a workload draws its parameters from, read from the server at start.
public struct WorkloadSample: Hashable, Sendable {
    /// A user that roots a subtree, with its downline size.
    public struct Root: Hashable, Sendable {
        public var id: UserID
        public var downlineSize: UInt32

        public init(id: UserID, downlineSize: UInt32) {
            self.id = id
            self.downlineSize = downlineSize
        }
    }

    /// Roots grouped by subtree size (small ≤ 10, medium ≤ 1 000, large ≤ 10 000, huge above); empty groups left out.
    public var rootsBySize: [[Root]]
    /// Name prefixes that match someone.
    public var namePrefixes: [String]
    public var roles: [String]
    public var districts: [String]
    /// The day windows end on (today in UTC when sampled).
    public var today: Day

    public init(rootsBySize: [[Root]], namePrefixes: [String], roles: [String], districts: [String], today: Day) {
        self.rootsBySize = rootsBySize.filter { !$0.isEmpty }
        self.namePrefixes = namePrefixes
        self.roles = roles
        self.districts = districts
        self.today = today
    }

    /// Size limits of the groups in ``rootsBySize``.
    public static let sizeBounds: [UInt32] = [10, 1000, 10000, UInt32.max]

    /// Groups roots by downline size, so that small and huge subtrees are drawn equally often.
    public static func group(_ roots: [Root]) -> [[Root]] {
        var groups = Array(repeating: [Root](), count: sizeBounds.count)
        var seen: Set<UserID> = []
        for root in roots where root.downlineSize > 0 && seen.insert(root.id).inserted {
            groups[sizeBounds.firstIndex { root.downlineSize <= $0 }!].append(root)
        }
        return groups.map { $0.sorted { $0.id < $1.id } }
    }
}
