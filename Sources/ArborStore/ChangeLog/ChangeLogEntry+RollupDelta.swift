import ArborModel

extension ChangeLogEntry {
    /// A ``Kind/rollup`` entry as a rollup row whose `registrations` is the change; `nil` for any other kind.
    public var rollupDelta: RollupRow? {
        guard kind == .rollup, let userID, let day else { return nil }
        return RollupRow(
            user: UserID(uuid: userID), day: day,
            registrationType: registrationType, channel: channel, registrations: delta)
    }
}
