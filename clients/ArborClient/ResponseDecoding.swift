/// Reading response messages into the friendly types; a response that breaks the contract is INTERNAL.
public enum ResponseDecoding {
    /// The error for a response that does not keep the contract's shape.
    public static func malformed(_ what: String) -> RPCError {
        RPCError(code: .internal, message: "malformed response from server: \(what)")
    }

    /// The ids of a `NodeIds` in their canonical text, from whichever one field of the model's id type is set.
    ///
    /// - Throws: INTERNAL when more than one field is set or the UUID bytes are not whole 16-byte ids.
    public static func ids(_ ids: ArborV2.NodeIds?, field: String) throws(RPCError) -> [String] {
        guard let ids else { return [] }
        let fieldsSet = [!ids.uuids.isEmpty, !ids.ints.isEmpty, !ids.texts.isEmpty].filter { $0 }.count
        guard fieldsSet <= 1 else { throw malformed("\(field) has ids in more than one of uuids, ints and texts") }
        if !ids.ints.isEmpty { return ids.ints.map { String($0) } }
        if !ids.texts.isEmpty { return ids.texts }
        guard ids.uuids.count % 16 == 0 else {
            throw malformed("\(field).uuids is \(ids.uuids.count) bytes, not a multiple of 16")
        }
        var result: [String] = []
        result.reserveCapacity(ids.uuids.count / 16)
        var start = 0
        while start < ids.uuids.count {
            result.append(NodeIDText.uuid(ids.uuids[start..<start + 16]))
            start += 16
        }
        return result
    }
}
