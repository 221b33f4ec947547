/// Which registrations are counted: by type, by channel and by day (inclusive on both ends).
///
/// Empty lists and `nil` bounds do not filter. A NULL type or channel never matches a non-empty list.
public struct RegistrationFilter: Hashable, Sendable {
    public var types: [String]
    public var channels: [String]
    /// First counted day, or `nil` for unbounded.
    public var from: Day?
    /// Last counted day, or `nil` for unbounded.
    public var to: Day?

    public init(types: [String] = [], channels: [String] = [], from: Day? = nil, to: Day? = nil) {
        self.types = types
        self.channels = channels
        self.from = from
        self.to = to
    }

    /// The reference rule: whether a rollup row's registrations are counted.
    public func matches(_ rollup: RollupRow) -> Bool {
        if let from, rollup.day < from { return false }
        if let to, rollup.day > to { return false }
        if !types.isEmpty, !(rollup.registrationType.map(types.contains) ?? false) { return false }
        if !channels.isEmpty, !(rollup.channel.map(channels.contains) ?? false) { return false }
        return true
    }
}
