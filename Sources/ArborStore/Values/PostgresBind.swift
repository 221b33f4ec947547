import ArborModel

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One bound parameter of a statement (`$1`, `$2`, …), already encoded for the wire.
///
/// Values are always bound, never spliced into SQL text. Numbers, booleans, UUIDs, dates, timestamps, `bytea` and
/// arrays travel in PostgreSQL's binary form (no formatting or parsing on either side; a UUID is 16 bytes);
/// ``untyped(_:)`` sends text whose type the server infers from where the parameter is used. Every factory takes
/// an optional: `nil` binds SQL `NULL`.
///
/// ```swift
/// try connection.query("SELECT name FROM users WHERE id = $1 AND role = ANY($2)", [.uuid(id), .textArray(roles)])
/// ```
public struct PostgresBind: Sendable, Hashable {
    /// The parameter's type; ``PostgresDataType/unknown`` lets the server infer it.
    public var dataType: PostgresDataType
    /// Text or binary.
    public var format: PostgresFormat
    /// The encoded value; `nil` is SQL `NULL`.
    public var bytes: [UInt8]?

    /// A parameter from already encoded bytes. Prefer the typed factories.
    public init(dataType: PostgresDataType, format: PostgresFormat, bytes: [UInt8]?) {
        self.dataType = dataType
        self.format = format
        self.bytes = bytes
    }

    /// SQL `NULL` of a type the server infers.
    public static let null = PostgresBind(dataType: .unknown, format: .text, bytes: nil)

    /// A `text` value.
    public static func text(_ value: String?) -> PostgresBind {
        PostgresBind(dataType: .text, format: .binary, bytes: value.map { Array($0.utf8) })
    }

    /// Text in PostgreSQL's input syntax whose type the server infers from context (e.g. `$1::pg_snapshot`,
    /// `$1::interval`).
    public static func untyped(_ value: String?) -> PostgresBind {
        PostgresBind(dataType: .unknown, format: .text, bytes: value.map { Array($0.utf8) })
    }

    public static func bool(_ value: Bool?) -> PostgresBind {
        PostgresBind(dataType: .bool, format: .binary, bytes: value.map { [$0 ? 1 : 0] })
    }

    public static func int16(_ value: Int16?) -> PostgresBind { integer(value, .int2) }
    public static func int32(_ value: Int32?) -> PostgresBind { integer(value, .int4) }
    public static func int64(_ value: Int64?) -> PostgresBind { integer(value, .int8) }
    /// An `int8`.
    public static func int(_ value: Int?) -> PostgresBind { integer(value.map { Int64($0) }, .int8) }

    public static func float64(_ value: Double?) -> PostgresBind {
        integer(value.map { $0.bitPattern }, .float8)
    }

    /// A `uuid` as its 16 bytes.
    public static func uuid(_ value: UUID?) -> PostgresBind {
        PostgresBind(dataType: .uuid, format: .binary, bytes: value.map { PostgresBind.uuidBytes($0) })
    }

    /// A `uuid` from exactly 16 raw bytes (as user ids travel on the wire); `nil` when `bytes` is not 16 long.
    public static func uuid(bytes: some Collection<UInt8>) -> PostgresBind? {
        guard bytes.count == 16 else { return nil }
        return PostgresBind(dataType: .uuid, format: .binary, bytes: Array(bytes))
    }

    public static func bytea(_ value: [UInt8]?) -> PostgresBind {
        PostgresBind(dataType: .bytea, format: .binary, bytes: value)
    }

    public static func date(_ value: Day?) -> PostgresBind {
        integer(value.map { $0.daysSinceEpoch - Day.postgresEpochOffset }, .date)
    }

    /// A `timestamptz`, to the microsecond.
    public static func timestamptz(_ value: Date?) -> PostgresBind {
        integer(value.map { PostgresTimestamp.postgresMicroseconds(from: $0) }, .timestamptz)
    }

    public static func textArray(_ value: [String?]?) -> PostgresBind {
        array(value, element: .text, type: .textArray) { Array($0.utf8) }
    }

    public static func uuidArray(_ value: [UUID]?) -> PostgresBind {
        array(value, element: .uuid, type: .uuidArray) { PostgresBind.uuidBytes($0) }
    }

    public static func int32Array(_ value: [Int32]?) -> PostgresBind {
        array(value, element: .int4, type: .int4Array) { v in
            var b = [UInt8]()
            BigEndianBytes.append(v, to: &b)
            return b
        }
    }

    public static func int64Array(_ value: [Int64]?) -> PostgresBind {
        array(value, element: .int8, type: .int8Array) { v in
            var b = [UInt8]()
            BigEndianBytes.append(v, to: &b)
            return b
        }
    }

    public static func dateArray(_ value: [Day]?) -> PostgresBind {
        array(value, element: .date, type: .dateArray) { v in
            var b = [UInt8]()
            BigEndianBytes.append(v.daysSinceEpoch - Day.postgresEpochOffset, to: &b)
            return b
        }
    }

    private static func integer<I: FixedWidthInteger>(_ value: I?, _ type: PostgresDataType) -> PostgresBind {
        guard let value else { return PostgresBind(dataType: type, format: .binary, bytes: nil) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(I.bitWidth / 8)
        BigEndianBytes.append(value, to: &bytes)
        return PostgresBind(dataType: type, format: .binary, bytes: bytes)
    }

    static func uuidBytes(_ uuid: UUID) -> [UInt8] {
        withUnsafeBytes(of: uuid.uuid) { Array($0) }
    }

    /// A one-dimensional array in PostgreSQL's binary array form: ndim, has-null flag, element OID, length and lower
    /// bound, then each element as a length-prefixed field (-1 for NULL).
    private static func array<E>(
        _ value: [E?]?, element: PostgresDataType, type: PostgresDataType, encode: (E) -> [UInt8]
    ) -> PostgresBind {
        guard let value else { return PostgresBind(dataType: type, format: .binary, bytes: nil) }
        var bytes = [UInt8]()
        BigEndianBytes.append(Int32(value.isEmpty ? 0 : 1), to: &bytes)
        BigEndianBytes.append(Int32(value.contains { $0 == nil } ? 1 : 0), to: &bytes)
        BigEndianBytes.append(element.oid, to: &bytes)
        if !value.isEmpty {
            BigEndianBytes.append(Int32(value.count), to: &bytes)
            BigEndianBytes.append(Int32(1), to: &bytes)
        }
        for item in value {
            if let item {
                let encoded = encode(item)
                BigEndianBytes.append(Int32(encoded.count), to: &bytes)
                bytes.append(contentsOf: encoded)
            } else {
                BigEndianBytes.append(Int32(-1), to: &bytes)
            }
        }
        return PostgresBind(dataType: type, format: .binary, bytes: bytes)
    }

    private static func array<E>(
        _ value: [E]?, element: PostgresDataType, type: PostgresDataType, encode: (E) -> [UInt8]
    ) -> PostgresBind {
        array(value.map { $0.map { Optional($0) } }, element: element, type: type, encode: encode)
    }
}

extension PostgresBind: ExpressibleByStringLiteral {
    /// A string literal binds `text`.
    public init(stringLiteral value: String) { self = .text(value) }
}

extension PostgresBind: ExpressibleByIntegerLiteral {
    /// An integer literal binds `int8`.
    public init(integerLiteral value: Int64) { self = .int64(value) }
}

extension PostgresBind: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension PostgresBind: ExpressibleByNilLiteral {
    /// `nil` binds `NULL` of a type the server infers.
    public init(nilLiteral: ()) { self = .null }
}
