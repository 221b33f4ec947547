/// One row of a `COPY … TO STDOUT (FORMAT binary)` stream.
///
/// Fields carry no type on the wire, so each decoder trusts the type you ask for and checks the field's length
/// (a `uuid` is 16 bytes, an `int8` 8, a `date` 4, …). A row shares the parser's buffer while the row closure
/// runs; keeping it longer is safe but copies that buffer.
public struct BinaryCopyRow: Sendable {
    let buffer: [UInt8]
    let fields: [(start: Int, length: Int)]

    /// Number of fields.
    public var count: Int { self.fields.count }

    /// The undecoded field at `column`.
    public subscript(column: Int) -> PostgresCell {
        precondition(column >= 0 && column < self.fields.count, "column \(column) out of range")
        return self.cell(column)
    }

    /// Decodes the field at `column` as `T`; `NULL` decodes only as an `Optional`.
    public func decode<T: PostgresDecodable>(_: T.Type = T.self, at column: Int) throws -> T {
        guard column >= 0 && column < self.fields.count else {
            throw StoreError(.decodingFailed, "COPY column \(column) out of range (\(self.fields.count) fields)")
        }
        return try T.decode(from: self.cell(column))
    }

    /// Calls `body` with the bytes of the field at `column`, `nil` for NULL, without copying them.
    @inline(__always)
    func withBytes<R>(at column: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        let field = self.fields[column]
        guard field.length >= 0 else { return try body(nil) }
        return try self.buffer.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[field.start..<(field.start + field.length)]))
        }
    }

    private func cell(_ column: Int) -> PostgresCell {
        let field = self.fields[column]
        let bytes: ArraySlice<UInt8>? = field.length < 0 ? nil : self.buffer[field.start..<(field.start + field.length)]
        return PostgresCell(bytes: bytes, dataType: .unknown, format: .binary, columnIndex: column)
    }
}
