import ArborModel
import ArborWire

/// The opaque `page_token` of FilteredStats and FindNodes: the fingerprint of the request it was issued for and the
/// key of the last row returned, so the next page continues after that key (not after a position) and a token
/// passed with a changed request is refused.
///
/// The fingerprint is FNV-1a over the request's encoding with the fields that may change between pages cleared
/// (`limit`, `freshness`, `page_token`): stable across processes, so any replica can continue a page.
struct PageToken: Hashable, Sendable {
    var fingerprint: UInt64
    var key: [String]

    /// Encodes as hexadecimal text of a `Column` message: the fingerprint, then the key.
    var text: String {
        let bytes = ArborV2.Column(values: [String(fingerprint, radix: 16)] + key).serializedBytes()
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The token of a request, or `nil` when it has none.
    ///
    /// - Throws: INVALID_ARGUMENT when the token does not parse or was issued for another request.
    static func parse(_ text: String, expecting fingerprint: UInt64) throws(QueryError) -> PageToken? {
        guard !text.isEmpty else { return nil }
        let refused = QueryError(
            code: .invalidArgument, field: "page_token",
            message: "page_token: the token was not issued for this request (only limit and freshness may change "
                + "between pages)")
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0, utf8.count <= 1 << 20 else { throw refused }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { throw refused }
            bytes.append(high << 4 | low)
            index += 2
        }
        guard let column = try? ArborV2.Column(serializedBytes: bytes), let first = column.values.first,
            UInt64(first, radix: 16) == fingerprint
        else { throw refused }
        return PageToken(fingerprint: fingerprint, key: Array(column.values.dropFirst()))
    }

    /// FNV-1a of `message`'s encoding.
    static func fingerprint(of message: some ProtoMessage) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in message.serializedBytes() {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
