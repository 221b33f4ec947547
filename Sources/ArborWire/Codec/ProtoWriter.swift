/// Writes the protobuf wire format, appending to a byte array.
///
/// Messages call the field methods from ``ProtoMessage/encodeFields(into:)`` in field-number order, which is the
/// order the reference implementations use, so equal messages encode to identical bytes. The `write<Type>(_:field:)`
/// methods leave out proto3 default values (zero, `false`, empty); presence-tracking fields (`optional` scalars,
/// nested messages) are written whenever they are set.
public struct ProtoWriter {
    /// Everything written so far, after whatever the writer was created with.
    public var bytes: [UInt8]

    /// Creates a writer that appends to `bytes`.
    public init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    // MARK: Primitives

    /// Appends `value` as a base-128 varint (1 to 10 bytes).
    @inline(__always)
    public mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// How many bytes ``writeVarint(_:)`` takes for `value`.
    public static func varintSize(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    /// Appends a field's tag.
    @inline(__always)
    public mutating func writeTag(field: Int, wireType: WireType) {
        writeVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    /// Appends four little-endian bytes.
    public mutating func writeRawFixed32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends eight little-endian bytes.
    public mutating func writeRawFixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    // MARK: Scalar fields (left out when zero or false)

    /// A `uint64` field.
    public mutating func writeUInt64(_ value: UInt64, field: Int) {
        guard value != 0 else { return }
        writeTag(field: field, wireType: .varint)
        writeVarint(value)
    }

    /// A `uint32` field.
    public mutating func writeUInt32(_ value: UInt32, field: Int) {
        writeUInt64(UInt64(value), field: field)
    }

    /// An `int64` field; negative values take 10 bytes.
    public mutating func writeInt64(_ value: Int64, field: Int) {
        writeUInt64(UInt64(bitPattern: value), field: field)
    }

    /// An `int32` field; negative values are sign-extended to 10 bytes, as protobuf requires.
    public mutating func writeInt32(_ value: Int32, field: Int) {
        writeInt64(Int64(value), field: field)
    }

    /// A `bool` field.
    public mutating func writeBool(_ value: Bool, field: Int) {
        writeUInt64(value ? 1 : 0, field: field)
    }

    /// An enum field, by number.
    public mutating func writeEnum<E: ProtoEnum>(_ value: E, field: Int) {
        writeInt32(value.rawValue, field: field)
    }

    /// A `fixed32` field.
    public mutating func writeFixed32(_ value: UInt32, field: Int) {
        guard value != 0 else { return }
        writeTag(field: field, wireType: .fixed32)
        writeRawFixed32(value)
    }

    /// A `fixed64` field.
    public mutating func writeFixed64(_ value: UInt64, field: Int) {
        guard value != 0 else { return }
        writeTag(field: field, wireType: .fixed64)
        writeRawFixed64(value)
    }

    /// An `optional bool` field: written when set, `false` included.
    public mutating func writeOptionalBool(_ value: Bool?, field: Int) {
        guard let value else { return }
        writeTag(field: field, wireType: .varint)
        writeVarint(value ? 1 : 0)
    }

    // MARK: Length-delimited fields

    /// A `string` field (left out when empty).
    public mutating func writeString(_ value: String, field: Int) {
        guard !value.isEmpty else { return }
        writeStringAlways(value, field: field)
    }

    /// A `bytes` field (left out when empty).
    public mutating func writeBytes(_ value: [UInt8], field: Int) {
        guard !value.isEmpty else { return }
        writeTag(field: field, wireType: .lengthDelimited)
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A nested message field: written when set, an empty message included.
    public mutating func writeMessage<M: ProtoMessage>(_ value: M?, field: Int) {
        guard let value else { return }
        writeMessageAlways(value, field: field)
    }

    private mutating func writeMessageAlways<M: ProtoMessage>(_ value: borrowing M, field: Int) {
        writeTag(field: field, wireType: .lengthDelimited)
        // One pass: reserve one length byte, encode the body, then widen the length if the body needs it.
        let lengthIndex = bytes.count
        bytes.append(0)
        value.encodeFields(into: &self)
        let length = bytes.count - lengthIndex - 1
        if length < 0x80 {
            bytes[lengthIndex] = UInt8(length)
        } else {
            let size = Self.varintSize(UInt64(length))
            bytes.insert(contentsOf: repeatElement(0, count: size - 1), at: lengthIndex + 1)
            var remaining = UInt64(length)
            for index in lengthIndex..<lengthIndex + size {
                bytes[index] = UInt8(truncatingIfNeeded: remaining) | (index < lengthIndex + size - 1 ? 0x80 : 0)
                remaining >>= 7
            }
        }
    }

    // MARK: Repeated fields

    /// A `repeated string` field: one length-delimited entry per element, empty strings included.
    public mutating func writeRepeatedString(_ values: [String], field: Int) {
        for value in values {
            writeStringAlways(value, field: field)
        }
    }

    /// A `repeated` message field: one entry per element.
    public mutating func writeRepeatedMessage<M: ProtoMessage>(_ values: [M], field: Int) {
        for index in values.indices {
            writeMessageAlways(values[index], field: field)
        }
    }

    /// A `repeated uint32` field, packed (proto3's default encoding); left out when empty.
    public mutating func writePackedUInt32(_ values: [UInt32], field: Int) {
        writePackedVarints(values, field: field) { UInt64($0) }
    }

    /// A `repeated int64` field, packed; left out when empty. Negative values take 10 bytes each.
    public mutating func writePackedInt64(_ values: [Int64], field: Int) {
        writePackedVarints(values, field: field) { UInt64(bitPattern: $0) }
    }

    /// A `repeated` enum field, packed; left out when empty.
    public mutating func writePackedEnum<E: ProtoEnum>(_ values: [E], field: Int) {
        writePackedVarints(values, field: field) { UInt64(bitPattern: Int64($0.rawValue)) }
    }

    /// A `map<string, string>` field: one entry message per pair, with the key as field 1 and the value as field 2,
    /// both written even when empty (as the C++ and upb encoders do); left out when the map is empty.
    ///
    /// Equal maps encode to identical bytes: entries are ordered by the UTF-8 bytes of their keys, except that a key
    /// comes after every key it is a proper prefix of (`"ab"` before `"a"`, `""` last). That is the order upb, the
    /// default backend of Python `protobuf`, writes with `deterministic=True` (it sorts by bytes descending, shorter
    /// first, and encodes back to front), so our bytes equal the reference's. Plain byte order (C++, Go, pure Python)
    /// differs only for keys that are prefixes of each other; every order decodes to the same map.
    public mutating func writeStringMap(_ values: [String: String], field: Int) {
        for (key, value) in values.sorted(by: { Self.mapKeyPrecedes($0.key, $1.key) }) {
            let keySize = Self.varintSize(UInt64(key.utf8.count)) + key.utf8.count
            let valueSize = Self.varintSize(UInt64(value.utf8.count)) + value.utf8.count
            writeTag(field: field, wireType: .lengthDelimited)
            // Two one-byte tags, then each string's length and bytes.
            writeVarint(UInt64(2 + keySize + valueSize))
            writeStringAlways(key, field: 1)
            writeStringAlways(value, field: 2)
        }
    }

    /// Whether `lhs` comes before `rhs` in the order ``writeStringMap(_:field:)`` writes map entries.
    static func mapKeyPrecedes(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (let l?, let r?):
                if l != r { return l < r }
            case (_?, nil):
                return true
            case (nil, _):
                return false
            }
        }
    }

    private mutating func writePackedVarints<T>(_ values: [T], field: Int, _ varint: (T) -> UInt64) {
        guard !values.isEmpty else { return }
        writeTag(field: field, wireType: .lengthDelimited)
        var length = 0
        for value in values {
            length += Self.varintSize(varint(value))
        }
        writeVarint(UInt64(length))
        for value in values {
            writeVarint(varint(value))
        }
    }

    private mutating func writeStringAlways(_ value: String, field: Int) {
        writeTag(field: field, wireType: .lengthDelimited)
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
        if written == nil {
            // A string bridged from a non-UTF-8 representation: count and copy its code units.
            writeVarint(UInt64(value.utf8.count))
            bytes.append(contentsOf: value.utf8)
        }
    }
}
