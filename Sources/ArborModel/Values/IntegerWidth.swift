/// The PostgreSQL integer types a model's columns may have, each with the range a value must fit.
public enum IntegerWidth: String, Hashable, Sendable {
    case int16 = "smallint"
    case int32 = "integer"
    case int64 = "bigint"

    public var range: ClosedRange<Int64> {
        switch self {
        case .int16: Int64(Int16.min)...Int64(Int16.max)
        case .int32: Int64(Int32.min)...Int64(Int32.max)
        case .int64: Int64.min...Int64.max
        }
    }

    /// Parses the canonical decimal form, `-?[1-9][0-9]*` or `0`, within this width: nothing else (no `+`, no
    /// leading zeros, no spaces, no `-0`) is a valid integer on the wire.
    public func parseCanonical(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        let digits = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
        guard let first = digits.first, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        if first == 0x30 {
            guard digits.count == 1, bytes.count == 1 else { return nil }  // "0" only; not "-0" or "01"
            return 0
        }
        guard let value = Int64(text), range.contains(value) else { return nil }
        return value
    }
}
