/// Reading and writing PostgreSQL's network-order (big-endian) binary fields.
enum BigEndianBytes {
    static func append<I: FixedWidthInteger>(_ value: I, to bytes: inout [UInt8]) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
    }

    /// Reads an integer of `I`'s width at `index` of `bytes`; the caller has checked the length.
    static func read<I: FixedWidthInteger>(_: I.Type, from bytes: ArraySlice<UInt8>, at index: Int) -> I {
        var value = I.zero
        for offset in 0..<(I.bitWidth / 8) {
            value = (value << 8) | I(truncatingIfNeeded: bytes[index + offset])
        }
        return value
    }

    /// Reads an integer of `I`'s width at `offset` of a raw buffer; the caller has checked the length.
    static func read<I: FixedWidthInteger>(_: I.Type, from bytes: UnsafeRawBufferPointer, at offset: Int) -> I {
        var value = I.zero
        for index in 0..<(I.bitWidth / 8) {
            value = (value << 8) | I(truncatingIfNeeded: bytes[offset + index])
        }
        return value
    }
}
