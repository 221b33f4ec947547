/// Looks users up by name prefix and/or by id; when both are set a user must match both.
public struct FindUsersQuery: Hashable, Sendable {
    /// Names starting with it: ASCII letters case-insensitively, every other character exactly. `nil`: not set.
    public var namePrefix: String?
    /// Users with these ids (unknown ids are left out). `nil`: not set.
    public var ids: [UserID]?
    /// Users returned, 1...1000 (the service turns the wire's 0 into 20).
    public var limit: UInt32

    public init(namePrefix: String? = nil, ids: [UserID]? = nil, limit: UInt32 = 20) {
        self.namePrefix = namePrefix
        self.ids = ids
        self.limit = limit
    }

    /// The reference rule for `namePrefix`: byte-wise, folding only ASCII A–Z to a–z. A NULL name never matches.
    public func nameMatches(_ name: String?) -> Bool {
        guard let namePrefix else { return true }
        guard let name else { return false }
        let prefix = Array(namePrefix.utf8)
        let bytes = Array(name.utf8)
        guard bytes.count >= prefix.count else { return false }
        return zip(prefix, bytes).allSatisfy { Self.foldASCII($0) == Self.foldASCII($1) }
    }

    private static func foldASCII(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}

/// A user as FindUsers returns it. NULL text is `""`; `active` is `status == 'active'`; NULL `app_installed`
/// is `false`.
public struct UserRecord: Hashable, Sendable {
    public var id: UserID
    public var name: String
    public var role: String
    public var state: String
    public var district: String
    public var block: String
    public var village: String
    public var active: Bool
    public var appInstalled: Bool

    public init(
        id: UserID, name: String, role: String, state: String, district: String, block: String, village: String,
        active: Bool, appInstalled: Bool
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.state = state
        self.district = district
        self.block = block
        self.village = village
        self.active = active
        self.appInstalled = appInstalled
    }

    /// The record of a stored user row.
    public init(_ row: UserRow) {
        self.init(
            id: row.id, name: row.name ?? "", role: row.role ?? "", state: row.state ?? "",
            district: row.district ?? "", block: row.block ?? "", village: row.village ?? "",
            active: row.status == "active", appInstalled: row.appInstalled ?? false
        )
    }
}

/// Users ordered by name in byte order, then id.
public struct FindUsersResult: Hashable, Sendable {
    public var users: [UserRecord]

    public init(users: [UserRecord]) {
        self.users = users
    }
}
