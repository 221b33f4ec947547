/// One field of a result row or `COPY` row, undecoded: its bytes, type and format.
public struct PostgresCell: Sendable {
    /// The field's bytes; `nil` is SQL `NULL`.
    public var bytes: ArraySlice<UInt8>?
    /// The column's type; ``PostgresDataType/unknown`` for `COPY` fields, which carry no type.
    public var dataType: PostgresDataType
    /// Text or binary.
    public var format: PostgresFormat
    /// Which column this is, for error messages.
    public var columnIndex: Int

    public init(bytes: ArraySlice<UInt8>?, dataType: PostgresDataType, format: PostgresFormat, columnIndex: Int) {
        self.bytes = bytes
        self.dataType = dataType
        self.format = format
        self.columnIndex = columnIndex
    }

    /// Whether the field is SQL `NULL`.
    public var isNull: Bool { self.bytes == nil }

    /// Decodes the field as `T`.
    public func decode<T: PostgresDecodable>(_: T.Type = T.self) throws -> T {
        try T.decode(from: self)
    }

    /// The field's bytes, or a ``StoreError/Code/decodingFailed`` error for `NULL`.
    func nonNullBytes(for type: Any.Type) throws -> ArraySlice<UInt8> {
        guard let bytes = self.bytes else {
            throw StoreError(.decodingFailed, "column \(self.columnIndex) is NULL; decode it as an Optional of \(type)")
        }
        return bytes
    }

    func mismatch(_ type: Any.Type) -> StoreError {
        let length = self.bytes?.count ?? -1
        return StoreError(
            .decodingFailed,
            "column \(self.columnIndex) (\(self.dataType), \(self.format), \(length) bytes) cannot be decoded as \(type)"
        )
    }

    /// The field as UTF-8 text, when it is text.
    func utf8Text(for type: Any.Type) throws -> String {
        let bytes = try self.nonNullBytes(for: type)
        return String(decoding: bytes, as: UTF8.self)
    }
}
