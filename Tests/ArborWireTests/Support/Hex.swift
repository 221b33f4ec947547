/// Bytes from hex text (spaces allowed), for readable test tables.
func hexBytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.filter { !$0.isWhitespace }.utf8)
    precondition(digits.count.isMultiple(of: 2), "odd hex digit count in \(hex)")
    return stride(from: 0, to: digits.count, by: 2).map { index in
        UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)!
    }
}

/// Lower-case hex text of `bytes`, no separators.
func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0xf)])
    }
    return String(decoding: text, as: UTF8.self)
}

/// The base-128 varint encoding of `value`, written independently of the codec under test.
func varintBytes(_ value: UInt64) -> [UInt8] {
    var value = value
    var bytes: [UInt8] = []
    repeat {
        bytes.append(UInt8(value & 0x7f) | (value > 0x7f ? 0x80 : 0))
        value >>= 7
    } while value > 0
    return bytes
}
