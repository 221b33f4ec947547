/// A value and the database state it reflects.
public struct Versioned<Value: Sendable>: Sendable {
    public var value: Value
    /// The transaction-id horizon of the data: every transaction below it is reflected, and all have finished.
    public var version: UInt64
    /// When the PostgreSQL snapshot behind the data was taken, in milliseconds since the Unix epoch.
    public var asOfUnixMs: Int64

    public init(value: Value, version: UInt64, asOfUnixMs: Int64) {
        self.value = value
        self.version = version
        self.asOfUnixMs = asOfUnixMs
    }
}
