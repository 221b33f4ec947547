import ArborModel

extension ModelIndex {
    /// New nodes appended as leaves, in place; `nil` when the changes are not of that shape.
    func appendingLeaves(
        _ changes: NodeChanges, events: [EventRollupRows], closedValues: [String: Set<String>]
    ) throws(ModelIndexError) -> ModelIndex? {
        nil
    }
}
