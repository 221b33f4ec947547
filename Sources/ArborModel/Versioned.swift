/// A value and the database state it reflects.
public struct Versioned<Value: Sendable>: Sendable {
    public var value: Value
    public var stamp: DataStamp

    public init(value: Value, stamp: DataStamp) {
        self.value = value
        self.stamp = stamp
    }
}
