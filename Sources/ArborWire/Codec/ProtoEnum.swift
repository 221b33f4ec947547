/// A protobuf enum. Proto3 enums are open: a number without a case decodes to a value that keeps it, and
/// encodes back to the same number.
public protocol ProtoEnum: RawRepresentable<Int32>, Sendable, Hashable {
    /// The case for `rawValue`, or a value that keeps an unknown number.
    init(rawValue: Int32)
}

extension ProtoEnum {
    /// Compares numbers, so a value built as `unrecognized(n)` equals the case for `n`.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawValue == rhs.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}
