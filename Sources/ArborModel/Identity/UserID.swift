/// A user's identity: the 16 bytes of a UUID.
///
/// Ordered as PostgreSQL orders `uuid` (unsigned byte order), which is the tie-break order of every response.
/// Stored as two big-endian words so that comparison and hashing cost two integer operations.
public struct UserID: Hashable, Comparable, Sendable {
    /// Bytes 0–7 of the UUID, big-endian.
    public var high: UInt64
    /// Bytes 8–15 of the UUID, big-endian.
    public var low: UInt64

    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Reads an id from exactly 16 bytes; `nil` for any other length.
    ///
    /// Inlinable, with a fast path for contiguous storage: bulk loads decode millions of ids, and an unspecialised
    /// generic call per id dominated the load.
    @inlinable
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        if let id = bytes.withContiguousStorageIfAvailable({ UserID(sixteenBytes: UnsafeRawBufferPointer($0)) }) {
            self = id
            return
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (offset, byte) in bytes.enumerated() {
            if offset < 8 {
                high = high << 8 | UInt64(byte)
            } else {
                low = low << 8 | UInt64(byte)
            }
        }
        self.init(high: high, low: low)
    }

    /// Reads the first 16 bytes of `raw` (which must hold at least 16) as two big-endian words.
    @inlinable
    init(sixteenBytes raw: UnsafeRawBufferPointer) {
        self.init(
            high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    /// Parses the canonical text form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case).
    public init?(uuidString: String) {
        let utf8 = Array(uuidString.utf8)
        guard utf8.count == 36 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        var nibbles = 0
        for (index, char) in utf8.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard char == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let value = Self.hexValue(char) else { return nil }
            if nibbles < 16 {
                words.0 = words.0 << 4 | UInt64(value)
            } else {
                words.1 = words.1 << 4 | UInt64(value)
            }
            nibbles += 1
        }
        self.init(high: words.0, low: words.1)
    }

    /// The 16 bytes, as they travel on the wire.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(16)
        append(to: &result)
        return result
    }

    /// Appends the 16 bytes to `buffer` without an intermediate array (two 8-byte appends: responses append
    /// thousands of ids).
    @inlinable
    public func append(to buffer: inout [UInt8]) {
        withUnsafeBytes(of: high.bigEndian) { buffer.append(contentsOf: $0) }
        withUnsafeBytes(of: low.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// The canonical lowercase text form, as PostgreSQL prints a `uuid`.
    public var uuidString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, word) in [high, low].enumerated() {
            for nibble in 0..<16 {
                let position = index * 16 + nibble
                if position == 8 || position == 12 || position == 16 || position == 20 {
                    text.append(UInt8(ascii: "-"))
                }
                text.append(digits[Int((word >> UInt64(60 - nibble * 4)) & 0xF)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    public static func < (lhs: UserID, rhs: UserID) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    private static func hexValue(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension UserID: CustomStringConvertible {
    public var description: String { uuidString }
}
