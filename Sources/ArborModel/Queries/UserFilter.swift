/// Which users a call counts or returns. Traversal always passes through users a filter excludes.
///
/// Every non-empty list must contain the user's attribute for the user to match; a NULL attribute never
/// matches. `active == false` selects every status other than `active`.
public struct UserFilter: Hashable, Sendable {
    public var roles: [String]
    public var states: [String]
    public var districts: [String]
    public var blocks: [String]
    public var villages: [String]
    /// `true`: status is `active`; `false`: any other status (a NULL status included); `nil`: not filtered.
    public var active: Bool?
    /// `nil`: not filtered; otherwise `app_installed` must equal it (NULL matches neither).
    public var appInstalled: Bool?

    public init(
        roles: [String] = [], states: [String] = [], districts: [String] = [], blocks: [String] = [],
        villages: [String] = [], active: Bool? = nil, appInstalled: Bool? = nil
    ) {
        self.roles = roles
        self.states = states
        self.districts = districts
        self.blocks = blocks
        self.villages = villages
        self.active = active
        self.appInstalled = appInstalled
    }

    /// True when the filter lets every user through.
    public var isEmpty: Bool {
        roles.isEmpty && states.isEmpty && districts.isEmpty && blocks.isEmpty && villages.isEmpty && active == nil
            && appInstalled == nil
    }

    /// The reference rule: whether `user` passes this filter.
    public func matches(_ user: UserRow) -> Bool {
        func passes(_ allowed: [String], _ value: String?) -> Bool {
            guard !allowed.isEmpty else { return true }
            guard let value else { return false }
            return allowed.contains(value)
        }
        guard passes(roles, user.role), passes(states, user.state), passes(districts, user.district),
            passes(blocks, user.block), passes(villages, user.village)
        else { return false }
        if let active, (user.status == "active") != active { return false }
        if let appInstalled, user.appInstalled != appInstalled { return false }
        return true
    }
}
