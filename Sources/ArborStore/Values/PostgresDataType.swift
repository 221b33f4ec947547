/// A PostgreSQL type, identified by its OID. Only the built-in types Arbor binds or decodes have names here.
public struct PostgresDataType: Hashable, Sendable, CustomStringConvertible {
    /// The type's OID in `pg_type`.
    public var oid: UInt32

    public init(oid: UInt32) { self.oid = oid }

    /// No type given: the server infers a parameter's type from its use; a `COPY` field has no type on the wire.
    public static let unknown = PostgresDataType(oid: 0)
    public static let bool = PostgresDataType(oid: 16)
    public static let bytea = PostgresDataType(oid: 17)
    public static let char = PostgresDataType(oid: 18)
    public static let name = PostgresDataType(oid: 19)
    public static let int8 = PostgresDataType(oid: 20)
    public static let int2 = PostgresDataType(oid: 21)
    public static let int4 = PostgresDataType(oid: 23)
    public static let text = PostgresDataType(oid: 25)
    public static let oidType = PostgresDataType(oid: 26)
    public static let float4 = PostgresDataType(oid: 700)
    public static let float8 = PostgresDataType(oid: 701)
    public static let bpchar = PostgresDataType(oid: 1042)
    public static let varchar = PostgresDataType(oid: 1043)
    public static let date = PostgresDataType(oid: 1082)
    public static let timestamp = PostgresDataType(oid: 1114)
    public static let timestamptz = PostgresDataType(oid: 1184)
    public static let numeric = PostgresDataType(oid: 1700)
    public static let uuid = PostgresDataType(oid: 2950)
    public static let xid8 = PostgresDataType(oid: 5069)
    public static let boolArray = PostgresDataType(oid: 1000)
    public static let int2Array = PostgresDataType(oid: 1005)
    public static let int4Array = PostgresDataType(oid: 1007)
    public static let textArray = PostgresDataType(oid: 1009)
    public static let int8Array = PostgresDataType(oid: 1016)
    public static let float8Array = PostgresDataType(oid: 1022)
    public static let dateArray = PostgresDataType(oid: 1182)
    public static let uuidArray = PostgresDataType(oid: 2951)

    public var description: String { "oid \(self.oid)" }

    /// Types whose binary form is UTF-8 text.
    var isTextual: Bool {
        self == .text || self == .varchar || self == .bpchar || self == .name || self == .unknown
    }
}

/// Whether a value travels as text or in PostgreSQL's binary form.
public enum PostgresFormat: Int32, Sendable, Hashable {
    case text = 0
    case binary = 1
}
