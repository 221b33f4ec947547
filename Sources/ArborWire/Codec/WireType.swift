/// How a field's value is laid out on the wire, the low three bits of every tag.
public enum WireType: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// int32, int64, uint32, uint64, bool, enum.
    case varint = 0
    /// fixed64, sfixed64, double.
    case fixed64 = 1
    /// string, bytes, nested messages, packed repeated scalars.
    case lengthDelimited = 2
    /// Deprecated groups; proto3 never produces them and Arbor rejects them.
    case startGroup = 3
    case endGroup = 4
    /// fixed32, sfixed32, float.
    case fixed32 = 5

    public var description: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "fixed64"
        case .lengthDelimited: "length-delimited"
        case .startGroup: "start-group"
        case .endGroup: "end-group"
        case .fixed32: "fixed32"
        }
    }
}

/// The key in front of every field on the wire: its number and how its value is laid out.
public struct FieldTag: Sendable, Hashable {
    /// The largest field number protobuf allows.
    public static let maxFieldNumber = (1 << 29) - 1

    /// The field number, 1 ... ``maxFieldNumber``.
    public var fieldNumber: Int
    public var wireType: WireType

    public init(fieldNumber: Int, wireType: WireType) {
        self.fieldNumber = fieldNumber
        self.wireType = wireType
    }
}
