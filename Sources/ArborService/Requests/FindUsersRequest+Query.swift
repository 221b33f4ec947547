import ArborModel
import ArborWire

extension ArborV1.FindUsersRequest {
    /// Users a request gets when it leaves `limit` at 0.
    static let defaultLimit: UInt32 = 20
    /// Most users one request may ask for.
    static let maximumLimit: UInt32 = 1000

    /// The validated query this request asks for.
    func query() throws(QueryError) -> FindUsersQuery {
        guard !namePrefix.isEmpty || !ids.isEmpty else {
            throw RequestFields.invalid("name_prefix", "give a name_prefix, ids, or both")
        }
        try RequestFields.text(namePrefix, field: "name_prefix")
        guard ids.count % 16 == 0 else {
            throw RequestFields.invalid("ids", "length \(ids.count) is not a multiple of 16 (concatenated 16-byte ids)")
        }
        var userIDs: [UserID] = []
        userIDs.reserveCapacity(ids.count / 16)
        var offset = 0
        while offset < ids.count {
            // The length check above makes every 16-byte slice a valid id.
            userIDs.append(UserID(bytes: ids[offset..<offset + 16])!)
            offset += 16
        }
        return FindUsersQuery(
            namePrefix: namePrefix.isEmpty ? nil : namePrefix, ids: ids.isEmpty ? nil : userIDs,
            limit: try RequestFields.limit(limit, default: Self.defaultLimit, maximum: Self.maximumLimit)
        )
    }
}
