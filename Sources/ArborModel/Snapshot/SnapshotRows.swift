/// A user as stored in `users`; NULL columns are `nil`.
public struct UserRow: Hashable, Sendable {
    public var id: UserID
    public var name: String?
    public var role: String?
    public var state: String?
    public var district: String?
    public var block: String?
    public var village: String?
    public var status: String?
    public var appInstalled: Bool?

    public init(
        id: UserID, name: String? = nil, role: String? = nil, state: String? = nil, district: String? = nil,
        block: String? = nil, village: String? = nil, status: String? = nil, appInstalled: Bool? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.state = state
        self.district = district
        self.block = block
        self.village = village
        self.status = status
        self.appInstalled = appInstalled
    }
}

/// A `user_hierarchy` edge: `parent` supervises `child`.
public struct EdgeRow: Hashable, Sendable {
    public var parent: UserID
    public var child: UserID

    public init(parent: UserID, child: UserID) {
        self.parent = parent
        self.child = child
    }
}

/// A role and its level, from `roles`.
public struct RoleRow: Hashable, Sendable {
    public var name: String
    public var level: Int32?

    public init(name: String, level: Int32?) {
        self.name = name
        self.level = level
    }
}

/// Registrations one user created on one day with one type and channel (a row of `arbor.daily_rollups`).
public struct RollupRow: Hashable, Sendable {
    public var user: UserID
    public var day: Day
    public var registrationType: String?
    public var channel: String?
    public var registrations: Int64

    public init(user: UserID, day: Day, registrationType: String?, channel: String?, registrations: Int64) {
        self.user = user
        self.day = day
        self.registrationType = registrationType
        self.channel = channel
        self.registrations = registrations
    }
}

/// One (type, channel) pair of `arbor.rollup_kinds`: rollup packs name a pair by its `code`.
public struct RollupKind: Hashable, Sendable {
    public var code: Int32
    public var registrationType: String?
    public var channel: String?

    public init(code: Int32, registrationType: String?, channel: String?) {
        self.code = code
        self.registrationType = registrationType
        self.channel = channel
    }
}

/// One rollup row of a pack (`arbor.rollup_packs`): its day, ``RollupKind`` code and count; the user is the pack's.
public struct RollupEntry: Hashable, Sendable {
    public var day: Day
    public var kind: Int32
    public var registrations: Int64

    public init(day: Day, kind: Int32, registrations: Int64) {
        self.day = day
        self.kind = kind
        self.registrations = registrations
    }
}
