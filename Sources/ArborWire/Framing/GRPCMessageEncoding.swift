/// Percent-encoding of the `grpc-message` header, as the gRPC over HTTP/2 specification defines it: the message's
/// UTF-8 bytes, with every byte outside printable ASCII (0x20...0x7E) and `%` itself written as `%XX`.
public enum GRPCMessageEncoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Percent-encodes `message` for the `grpc-message` header.
    public static func encode(_ message: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(message.utf8.count)
        for byte in message.utf8 {
            if byte >= 0x20, byte <= 0x7E, byte != UInt8(ascii: "%") {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes a `grpc-message` header value. A `%` not followed by two hex digits is kept as it is (the
    /// specification asks receivers to be lenient), and bytes that are not valid UTF-8 become U+FFFD.
    public static func decode(_ value: some StringProtocol) -> String {
        let input = Array(value.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count, let high = hexValue(input[index + 1]),
                let low = hexValue(input[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
