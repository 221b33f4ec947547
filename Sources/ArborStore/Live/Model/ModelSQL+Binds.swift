import ArborModel

extension ModelSQL {
    /// A node id as a parameter of the id column's own type, so the server compares it without a cast per row.
    func bind(_ id: NodeID) -> PostgresBind {
        switch (id, model.idType) {
        case (.uuid(let value), _): .uuid(bytes: value.bytes)!
        case (.integer(let value), .integer(.int16)): .int16(Int16(clamping: value))
        case (.integer(let value), .integer(.int32)): .int32(Int32(clamping: value))
        case (.integer(let value), _): .int64(value)
        case (.text(let value), _): .text(value)
        }
    }

    /// Node ids as one array parameter of the id column's type (`uuid[]`, `smallint[]`, `integer[]`, `bigint[]`,
    /// `text[]`).
    func bind(_ ids: [NodeID]) -> PostgresBind {
        switch model.idType {
        case .uuid:
            return .uuidArray(ids.compactMap { if case .uuid(let id) = $0 { id.uuid } else { nil } })
        case .integer(let width):
            let values = ids.compactMap { if case .integer(let value) = $0 { value } else { nil } }
            switch width {
            case .int16: return Self.int16Array(values.map { Int16(clamping: $0) })
            case .int32: return .int32Array(values.map { Int32(clamping: $0) })
            case .int64: return .int64Array(values)
            }
        case .text:
            return .textArray(ids.map(\.canonical))
        }
    }

    /// The array type of ids, for the cast that names a parameter's type in SQL (`$n::bigint[]`).
    var idArrayType: String { "\(idSQLType)[]" }

    /// A `smallint[]` in PostgreSQL's binary array form (ndim, has-null, element type, length and lower bound,
    /// then each element with its length).
    private static func int16Array(_ values: [Int16]) -> PostgresBind {
        var bytes = [UInt8]()
        BigEndianBytes.append(Int32(values.isEmpty ? 0 : 1), to: &bytes)
        BigEndianBytes.append(Int32(0), to: &bytes)
        BigEndianBytes.append(PostgresDataType.int2.oid, to: &bytes)
        if !values.isEmpty {
            BigEndianBytes.append(Int32(values.count), to: &bytes)
            BigEndianBytes.append(Int32(1), to: &bytes)
        }
        for value in values {
            BigEndianBytes.append(Int32(2), to: &bytes)
            BigEndianBytes.append(value, to: &bytes)
        }
        return PostgresBind(dataType: .int2Array, format: .binary, bytes: bytes)
    }
}
