/// Reading and writing PostgreSQL's network-order (big-endian) binary fields.
enum BigEndianBytes {
    static func append<I: FixedWidthInteger>(_ value: I, to bytes: inout [UInt8]) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
    }

    /// Reads an integer of `I`'s width at `index` of `bytes`; the caller has checked the length.
    @inline(__always)
    static func read<I: FixedWidthInteger>(_: I.Type, from bytes: ArraySlice<UInt8>, at index: Int) -> I {
        precondition(index >= bytes.startIndex && index + I.bitWidth / 8 <= bytes.endIndex, "read past the end")
        return bytes.withUnsafeBytes { raw in
            I(bigEndian: raw.loadUnaligned(fromByteOffset: index - bytes.startIndex, as: I.self))
        }
    }
}
