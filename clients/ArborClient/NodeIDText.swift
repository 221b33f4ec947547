/// The canonical text of node ids, as they travel in requests and as this client returns them.
public enum NodeIDText {
    /// `8-4-4-4-12` hexadecimal digits, any case.
    public static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else if hexValue(byte) == nil {
                return false
            }
        }
        return true
    }

    /// `0` or `-?[1-9][0-9]*` within 64 bits.
    public static func isCanonicalInteger(_ text: String) -> Bool {
        guard let value = Int64(text) else { return false }
        return String(value) == text
    }

    /// 16 bytes as a lowercase `8-4-4-4-12` UUID.
    public static func uuid(_ bytes: some Collection<UInt8>) -> String {
        precondition(bytes.count == 16, "a UUID is 16 bytes")
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
