/// A `Cycles` answer: groups of nodes that reach each other (data errors to repair).
public struct CycleGroups: Hashable, Sendable {
    /// Members ascending by id; groups largest first, then by first member. At most the asked-for number.
    public var groups: [[String]]
    /// Every group, not just those returned.
    public var total: UInt32

    public init(groups: [[String]], total: UInt32) {
        self.groups = groups
        self.total = total
    }

    /// Reads the response.
    ///
    /// - Throws: INTERNAL for members that are not ids of one type.
    public init(_ response: ArborV2.CyclesResponse) throws(RPCError) {
        var groups: [[String]] = []
        groups.reserveCapacity(response.cycles.count)
        for cycle in response.cycles { groups.append(try ResponseDecoding.ids(cycle.members, field: "Cycle.members")) }
        self.init(groups: groups, total: response.total)
    }
}
