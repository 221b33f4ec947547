import ArborModel

extension IndexSnapshot {
    /// A snapshot equal to one built from this snapshot's rows with `rollupDeltas` added to the rollups, for an
    /// incremental refresh from the change log's `rollup` entries.
    ///
    /// Each row's `registrations` is a delta (negative for deletes). Repeated (user, day, type, channel) keys add
    /// up; a row whose count reaches zero disappears; a new day before or after the span or a new (type, channel)
    /// pair is fine within the build limits; deltas of users the snapshot does not know are ignored, as a build
    /// ignores their rollups. The hierarchy, users, names and roles are shared with `self`, not rebuilt; the
    /// rollup columns are rewritten in one linear pass in which only the touched users' runs are recomputed.
    ///
    /// - Throws: ``IndexBuildError`` when a count would drop below zero (naming the user and day: the deltas do not
    ///   belong to this snapshot) or exceed `Int64.max`, or when the result spans more than 65536 days or holds
    ///   more than 65536 (type, channel) pairs, as a build would. `self` is unchanged either way.
    public func applying(rollupDeltas: [RollupRow]) throws(IndexBuildError)
        -> IndexSnapshot
    {
        IndexSnapshot(
            userIDs: userIDs, indexOf: indexOf, columns: columns,
            names: names, hierarchy: hierarchy,
            rollups: try rollups.applying(rollupDeltas, indexOf: indexOf, userIDs: userIDs),
            knownRoles: knownRoles, rolePrefix: rolePrefix)
    }
}
