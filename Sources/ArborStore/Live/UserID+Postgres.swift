import ArborModel

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension UserID {
    /// The id of a decoded `uuid`.
    init(uuid: UUID) {
        let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        self.init(bytes: bytes)!
    }

    /// The same 16 bytes as a `UUID`, for binding.
    var uuid: UUID {
        let b = bytes
        return UUID(
            uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        )
    }
}

extension PostgresBind {
    /// A `uuid` parameter.
    static func userID(_ id: UserID) -> PostgresBind { .uuid(id.uuid) }

    /// A `uuid[]` parameter.
    static func userIDArray(_ ids: [UserID]) -> PostgresBind { .uuidArray(ids.map(\.uuid)) }
}

extension PostgresRow {
    /// Decodes the `uuid` in `column` as a ``UserID``.
    func userID(at column: Int) throws -> UserID {
        UserID(uuid: try decode(UUID.self, at: column))
    }
}

extension PostgresRow {
    /// Decodes the `uuid[]` in `column` as ``UserID``s.
    func userIDs(at column: Int) throws -> [UserID] {
        try decode([UUID].self, at: column).map(UserID.init(uuid:))
    }
}
