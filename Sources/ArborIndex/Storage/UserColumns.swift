import ArborModel

/// User attributes, one column per attribute, dictionary-encoded (code 0 is NULL; codes follow byte order).
struct UserColumns: Sendable {
    let roles: StringTable
    let states: StringTable
    let districts: StringTable
    let blocks: StringTable
    let villages: StringTable
    let role: [UInt32]
    let state: [UInt32]
    let district: [UInt32]
    let block: [UInt32]
    let village: [UInt32]
    /// `status == 'active'`.
    let active: [Bool]
    /// `app_installed`: 0 NULL, 1 false, 2 true.
    let appInstalled: [UInt8]

    /// `users` must be in index order; `roleNames` are the names in `roles`, held or not.
    init(users: [UserRow], roleNames: [String]) {
        (roles, role) = StringColumnEncoder.encode(users, \UserRow.role, extra: roleNames)
        (states, state) = StringColumnEncoder.encode(users, \UserRow.state)
        (districts, district) = StringColumnEncoder.encode(users, \UserRow.district)
        (blocks, block) = StringColumnEncoder.encode(users, \UserRow.block)
        (villages, village) = StringColumnEncoder.encode(users, \UserRow.village)
        var active = [Bool](repeating: false, count: users.count)
        var appInstalled = [UInt8](repeating: 0, count: users.count)
        users.withUnsafeBufferPointer { users in
            for user in users.indices {
                active[user] = users[user].status == "active"
                appInstalled[user] = users[user].appInstalled.map { $0 ? 2 : 1 } ?? 0
            }
        }
        self.active = active
        self.appInstalled = appInstalled
    }

    /// The group code of `user` for an attribute dimension (never DAY, USER, type or channel).
    func groupKey(_ dimension: StatsDimension, of user: Int) -> UInt32 {
        switch dimension {
        case .role: roles.groupCode(role[user])
        case .state: states.groupCode(state[user])
        case .district: districts.groupCode(district[user])
        case .block: blocks.groupCode(block[user])
        case .village: villages.groupCode(village[user])
        case .day, .user, .registrationType, .channel: preconditionFailure("\(dimension) is not a user attribute")
        }
    }

    func table(_ dimension: StatsDimension) -> StringTable {
        switch dimension {
        case .role: roles
        case .state: states
        case .district: districts
        case .block: blocks
        case .village: villages
        case .day, .user, .registrationType, .channel: preconditionFailure("\(dimension) is not a user attribute")
        }
    }
}

/// A ``UserFilter`` compiled against the dictionaries: one mask lookup per listed attribute.
struct CompiledUserFilter {
    private let masks: [(column: [UInt32], allowed: [Bool])]
    private let active: [Bool]?
    private let wantActive: Bool
    private let appInstalled: [UInt8]?
    private let wantApp: UInt8
    /// True when every user passes.
    let passesEveryone: Bool

    init(_ filter: UserFilter, _ columns: UserColumns) {
        var masks: [(column: [UInt32], allowed: [Bool])] = []
        if !filter.roles.isEmpty { masks.append((columns.role, columns.roles.mask(allowing: filter.roles))) }
        if !filter.states.isEmpty { masks.append((columns.state, columns.states.mask(allowing: filter.states))) }
        if !filter.districts.isEmpty {
            masks.append((columns.district, columns.districts.mask(allowing: filter.districts)))
        }
        if !filter.blocks.isEmpty { masks.append((columns.block, columns.blocks.mask(allowing: filter.blocks))) }
        if !filter.villages.isEmpty {
            masks.append((columns.village, columns.villages.mask(allowing: filter.villages)))
        }
        self.masks = masks
        self.active = filter.active == nil ? nil : columns.active
        self.wantActive = filter.active ?? true
        self.appInstalled = filter.appInstalled == nil ? nil : columns.appInstalled
        self.wantApp = filter.appInstalled.map { $0 ? 2 : 1 } ?? 0
        self.passesEveryone = filter.isEmpty
    }

    /// Keeps the users of `users` that pass, in order: one column at a time with the column in hand, which costs
    /// a fraction of a ``matches(_:)`` call per user (each call retains and releases every column it reads).
    func keepMatching(_ users: inout [Int32]) {
        guard !passesEveryone else { return }
        for mask in masks {
            mask.column.withUnsafeBufferPointer { column in
                mask.allowed.withUnsafeBufferPointer { allowed in users.removeAll { !allowed[Int(column[Int($0)])] } }
            }
        }
        if let active {
            let wanted = wantActive
            active.withUnsafeBufferPointer { active in users.removeAll { active[Int($0)] != wanted } }
        }
        if let appInstalled {
            let wanted = wantApp
            appInstalled.withUnsafeBufferPointer { installed in users.removeAll { installed[Int($0)] != wanted } }
        }
    }

    func matches(_ user: Int) -> Bool {
        for mask in masks where !mask.allowed[Int(mask.column[user])] { return false }
        if let active, active[user] != wantActive { return false }
        if let appInstalled, appInstalled[user] != wantApp { return false }
        return true
    }
}
