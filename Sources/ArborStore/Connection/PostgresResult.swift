/// The rows a statement returned, copied out of libpq into Swift storage (so a result can outlive its
/// connection and cross threads).
///
/// ```swift
/// let result = try connection.query("SELECT id, name FROM users WHERE role = $1", ["LPR"])
/// for row in result {
///     let id = try row.decode(UUID.self, at: 0)
///     let name = try row.decode(String?.self, at: 1)
/// }
/// ```
///
/// Results of ``PostgresConnection/query(_:_:)`` are buffered whole; stream large reads with
/// ``PostgresConnection/copyOut(_:row:)``.
public struct PostgresResult: Sendable, RandomAccessCollection {
    /// One column's name and type.
    public struct Column: Sendable, Hashable {
        public var name: String
        public var dataType: PostgresDataType
        public var format: PostgresFormat
    }

    /// The columns, in order.
    public let columns: [Column]
    /// Rows changed by `INSERT`/`UPDATE`/`DELETE` (or returned by `SELECT`), from the command tag.
    public let affectedRows: Int
    /// All fields' bytes, back to back.
    let storage: [UInt8]
    /// For each field (row-major), its start in ``storage`` and length; -1 length is `NULL`.
    let fields: [(start: Int, length: Int)]
    let rowCount: Int

    init(columns: [Column], affectedRows: Int, storage: [UInt8], fields: [(start: Int, length: Int)], rows: Int) {
        self.columns = columns
        self.affectedRows = affectedRows
        self.storage = storage
        self.fields = fields
        self.rowCount = rows
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { self.rowCount }
    public subscript(position: Int) -> PostgresRow { PostgresRow(result: self, index: position) }

    /// The index of the column called `name`, if there is one.
    public func columnIndex(named name: String) -> Int? {
        self.columns.firstIndex { $0.name == name }
    }

    func cell(row: Int, column: Int) -> PostgresCell {
        let field = self.fields[row * self.columns.count + column]
        let col = self.columns[column]
        let bytes: ArraySlice<UInt8>? =
            field.length < 0 ? nil : self.storage[field.start..<(field.start + field.length)]
        return PostgresCell(bytes: bytes, dataType: col.dataType, format: col.format, columnIndex: column)
    }
}

/// One row of a ``PostgresResult``.
public struct PostgresRow: Sendable {
    let result: PostgresResult
    let index: Int

    /// Number of fields.
    public var count: Int { self.result.columns.count }

    /// The undecoded field at `column`.
    public subscript(column: Int) -> PostgresCell {
        precondition(column >= 0 && column < self.result.columns.count, "column \(column) out of range")
        return self.result.cell(row: self.index, column: column)
    }

    /// Decodes the field at `column` as `T`; `NULL` decodes only as an `Optional`.
    public func decode<T: PostgresDecodable>(_: T.Type = T.self, at column: Int) throws -> T {
        guard column >= 0 && column < self.result.columns.count else {
            throw StoreError(.decodingFailed, "column \(column) out of range (\(self.result.columns.count) columns)")
        }
        return try T.decode(from: self.result.cell(row: self.index, column: column))
    }

    /// Decodes the field of the column called `name` as `T`.
    public func decode<T: PostgresDecodable>(_: T.Type = T.self, column name: String) throws -> T {
        guard let column = self.result.columnIndex(named: name) else {
            throw StoreError(.decodingFailed, "no column named \(name)")
        }
        return try self.decode(T.self, at: column)
    }
}
