import ArborModel

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A Swift type a field can be decoded as.
///
/// Conformances decode PostgreSQL's binary form (what ``PostgresConnection/query(_:_:)`` asks for and what
/// `COPY … (FORMAT binary)` sends) and, where it is simple, the text form. `NULL` decodes only as an `Optional`.
public protocol PostgresDecodable {
    /// Decodes `cell`, throwing ``StoreError/Code/decodingFailed`` when it does not hold a `Self`.
    static func decode(from cell: PostgresCell) throws -> Self
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Wrapped? {
        cell.isNull ? nil : try Wrapped.decode(from: cell)
    }
}

extension String: PostgresDecodable {
    /// Decodes any textual type; also `numeric` (exact decimal text), `uuid` (canonical lower-case text), `date`
    /// (`YYYY-MM-DD`) and integers.
    public static func decode(from cell: PostgresCell) throws -> String {
        let bytes = try cell.nonNullBytes(for: String.self)
        if cell.format == .text || cell.dataType.isTextual { return String(decoding: bytes, as: UTF8.self) }
        switch cell.dataType {
        case .numeric: return try PostgresNumeric.text(fromBinary: bytes, cell: cell)
        case .uuid: return try UUID.decode(from: cell).uuidString.lowercased()
        case .date: return try Day.decode(from: cell).isoString
        case .int2, .int4, .int8: return String(try Int64.decode(from: cell))
        default: throw cell.mismatch(String.self)
        }
    }
}

extension Int64: PostgresDecodable {
    /// Decodes `int2`, `int4`, `int8`, an integral `numeric`, and `xid8` below 2⁶³; in `COPY` rows (no type) any
    /// 2-, 4- or 8-byte field.
    public static func decode(from cell: PostgresCell) throws -> Int64 {
        let bytes = try cell.nonNullBytes(for: Int64.self)
        if cell.format == .text {
            guard let value = Int64(String(decoding: bytes, as: UTF8.self)) else { throw cell.mismatch(Int64.self) }
            return value
        }
        switch cell.dataType {
        case .int2, .int4, .int8, .unknown:
            break
        case .xid8:
            guard bytes.count == 8 else { throw cell.mismatch(Int64.self) }
            let value = BigEndianBytes.read(UInt64.self, from: bytes, at: bytes.startIndex)
            guard let signed = Int64(exactly: value) else { throw cell.mismatch(Int64.self) }
            return signed
        case .numeric:
            let text = try PostgresNumeric.text(fromBinary: bytes, cell: cell)
            guard let value = Int64(text) ?? PostgresNumeric.integralValue(text) else {
                throw cell.mismatch(Int64.self)
            }
            return value
        default:
            throw cell.mismatch(Int64.self)
        }
        switch bytes.count {
        case 2: return Int64(BigEndianBytes.read(Int16.self, from: bytes, at: bytes.startIndex))
        case 4: return Int64(BigEndianBytes.read(Int32.self, from: bytes, at: bytes.startIndex))
        case 8: return BigEndianBytes.read(Int64.self, from: bytes, at: bytes.startIndex)
        default: throw cell.mismatch(Int64.self)
        }
    }
}

extension Int: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int { Int(try Int64.decode(from: cell)) }
}

extension Int32: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int32 {
        guard let value = Int32(exactly: try Int64.decode(from: cell)) else { throw cell.mismatch(Int32.self) }
        return value
    }
}

extension Int16: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int16 {
        guard let value = Int16(exactly: try Int64.decode(from: cell)) else { throw cell.mismatch(Int16.self) }
        return value
    }
}

extension UInt64: PostgresDecodable {
    /// Decodes `xid8` (a 64-bit transaction id) and non-negative integers.
    public static func decode(from cell: PostgresCell) throws -> UInt64 {
        let bytes = try cell.nonNullBytes(for: UInt64.self)
        if cell.format == .text {
            guard let value = UInt64(String(decoding: bytes, as: UTF8.self)) else { throw cell.mismatch(UInt64.self) }
            return value
        }
        if cell.dataType == .xid8 {
            guard bytes.count == 8 else { throw cell.mismatch(UInt64.self) }
            return BigEndianBytes.read(UInt64.self, from: bytes, at: bytes.startIndex)
        }
        guard let value = UInt64(exactly: try Int64.decode(from: cell)) else { throw cell.mismatch(UInt64.self) }
        return value
    }
}

extension Bool: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Bool {
        let bytes = try cell.nonNullBytes(for: Bool.self)
        guard bytes.count == 1, cell.dataType == .bool || cell.dataType == .unknown else {
            throw cell.mismatch(Bool.self)
        }
        if cell.format == .text { return bytes.first == UInt8(ascii: "t") }
        return bytes.first != 0
    }
}

extension Double: PostgresDecodable {
    /// Decodes `float8`, `float4`, integers and `numeric`.
    public static func decode(from cell: PostgresCell) throws -> Double {
        let bytes = try cell.nonNullBytes(for: Double.self)
        if cell.format == .text {
            guard let value = Double(String(decoding: bytes, as: UTF8.self)) else { throw cell.mismatch(Double.self) }
            return value
        }
        switch (cell.dataType, bytes.count) {
        case (.float8, 8), (.unknown, 8):
            return Double(bitPattern: BigEndianBytes.read(UInt64.self, from: bytes, at: bytes.startIndex))
        case (.float4, 4):
            return Double(Float(bitPattern: BigEndianBytes.read(UInt32.self, from: bytes, at: bytes.startIndex)))
        case (.int2, _), (.int4, _), (.int8, _):
            return Double(try Int64.decode(from: cell))
        case (.numeric, _):
            guard let value = Double(try PostgresNumeric.text(fromBinary: bytes, cell: cell)) else {
                throw cell.mismatch(Double.self)
            }
            return value
        default:
            throw cell.mismatch(Double.self)
        }
    }
}

extension UUID: PostgresDecodable {
    /// Decodes a `uuid` (16 bytes in binary, canonical text otherwise).
    public static func decode(from cell: PostgresCell) throws -> UUID {
        let bytes = try cell.nonNullBytes(for: UUID.self)
        if cell.format == .text {
            guard let value = UUID(uuidString: String(decoding: bytes, as: UTF8.self)) else {
                throw cell.mismatch(UUID.self)
            }
            return value
        }
        guard bytes.count == 16, cell.dataType == .uuid || cell.dataType == .unknown else {
            throw cell.mismatch(UUID.self)
        }
        return UUID(uuid: bytes.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) })
    }
}

extension Day: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Day {
        let bytes = try cell.nonNullBytes(for: Day.self)
        if cell.format == .text {
            guard let value = Day(iso: String(decoding: bytes, as: UTF8.self)) else {
                throw cell.mismatch(Day.self)
            }
            return value
        }
        guard bytes.count == 4, cell.dataType == .date || cell.dataType == .unknown else {
            throw cell.mismatch(Day.self)
        }
        let days = BigEndianBytes.read(Int32.self, from: bytes, at: bytes.startIndex)
        // ±infinity are Int32.max / Int32.min; they have no calendar date.
        guard days != .max, days != .min else { throw cell.mismatch(Day.self) }
        return Day(daysSinceEpoch: days &+ Day.postgresEpochOffset)
    }
}

extension Date: PostgresDecodable {
    /// Decodes a binary `timestamptz` (or `timestamp`, read as UTC).
    public static func decode(from cell: PostgresCell) throws -> Date {
        let bytes = try cell.nonNullBytes(for: Date.self)
        guard cell.format == .binary, bytes.count == 8,
            cell.dataType == .timestamptz || cell.dataType == .timestamp || cell.dataType == .unknown
        else { throw cell.mismatch(Date.self) }
        let micros = BigEndianBytes.read(Int64.self, from: bytes, at: bytes.startIndex)
        guard micros != .max, micros != .min else { throw cell.mismatch(Date.self) }
        return PostgresTimestamp.date(fromPostgresMicroseconds: micros)
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// Decodes `bytea` as `[UInt8]`, and a one-dimensional binary array of any decodable element type.
    public static func decode(from cell: PostgresCell) throws -> [Element] {
        let bytes = try cell.nonNullBytes(for: [Element].self)
        if Element.self == UInt8.self, cell.dataType == .bytea || cell.dataType == .unknown {
            if cell.format == .binary { return [UInt8](bytes) as! [Element] }
            return try PostgresByteaText.decode(bytes, cell: cell) as! [Element]
        }
        guard cell.format == .binary else { throw cell.mismatch([Element].self) }
        return try PostgresArrayBinary.decode(bytes, cell: cell)
    }
}

extension UInt8: PostgresDecodable {
    /// Only as the element of `[UInt8]` (`bytea`); a lone `UInt8` decodes from a one-byte `"char"`.
    public static func decode(from cell: PostgresCell) throws -> UInt8 {
        let bytes = try cell.nonNullBytes(for: UInt8.self)
        guard bytes.count == 1 else { throw cell.mismatch(UInt8.self) }
        return bytes[bytes.startIndex]
    }
}

/// PostgreSQL's binary array form, one dimension.
enum PostgresArrayBinary {
    static func decode<Element: PostgresDecodable>(_ bytes: ArraySlice<UInt8>, cell: PostgresCell) throws -> [Element] {
        var index = bytes.startIndex
        func int32() throws -> Int32 {
            guard bytes.endIndex - index >= 4 else { throw cell.mismatch([Element].self) }
            defer { index += 4 }
            return BigEndianBytes.read(Int32.self, from: bytes, at: index)
        }
        let dimensions = try int32()
        _ = try int32()  // has-null flag; each element says so itself
        let elementType = PostgresDataType(oid: UInt32(bitPattern: try int32()))
        if dimensions == 0 { return [] }
        guard dimensions == 1 else { throw cell.mismatch([Element].self) }
        let count = try int32()
        _ = try int32()  // lower bound
        guard count >= 0 else { throw cell.mismatch([Element].self) }
        var result = [Element]()
        result.reserveCapacity(Int(count))
        for _ in 0..<count {
            let length = try int32()
            var element = PostgresCell(
                bytes: nil, dataType: elementType, format: .binary, columnIndex: cell.columnIndex)
            if length >= 0 {
                guard bytes.endIndex - index >= Int(length) else { throw cell.mismatch([Element].self) }
                element.bytes = bytes[index..<(index + Int(length))]
                index += Int(length)
            }
            result.append(try Element.decode(from: element))
        }
        return result
    }
}

/// `bytea` in its text (hex) form, `\x0a1b…`.
enum PostgresByteaText {
    static func decode(_ bytes: ArraySlice<UInt8>, cell: PostgresCell) throws -> [UInt8] {
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\\"), bytes[bytes.startIndex + 1] == UInt8(ascii: "x"),
            bytes.count % 2 == 0
        else { throw cell.mismatch([UInt8].self) }
        func nibble(_ c: UInt8) throws -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: throw cell.mismatch([UInt8].self)
            }
        }
        var result = [UInt8]()
        var i = bytes.startIndex + 2
        while i < bytes.endIndex {
            result.append(try nibble(bytes[i]) << 4 | nibble(bytes[i + 1]))
            i += 2
        }
        return result
    }
}

/// PostgreSQL's binary `numeric`: digit count, weight, sign, display scale, then base-10000 digits.
enum PostgresNumeric {
    static func text(fromBinary bytes: ArraySlice<UInt8>, cell: PostgresCell) throws -> String {
        guard bytes.count >= 8 else { throw cell.mismatch(String.self) }
        let start = bytes.startIndex
        let count = Int(BigEndianBytes.read(Int16.self, from: bytes, at: start))
        let weight = Int(BigEndianBytes.read(Int16.self, from: bytes, at: start + 2))
        let sign = BigEndianBytes.read(UInt16.self, from: bytes, at: start + 4)
        let scale = Int(BigEndianBytes.read(Int16.self, from: bytes, at: start + 6))
        guard count >= 0, scale >= 0, bytes.count == 8 + 2 * count else { throw cell.mismatch(String.self) }
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        case 0x0000, 0x4000: break
        default: throw cell.mismatch(String.self)
        }
        let digits = (0..<count).map { Int(BigEndianBytes.read(Int16.self, from: bytes, at: start + 8 + 2 * $0)) }
        func digit(_ i: Int) -> Int { i >= 0 && i < digits.count ? digits[i] : 0 }
        func padded(_ d: Int) -> String {
            let s = String(d)
            return String(repeating: "0", count: 4 - s.count) + s
        }
        var integer = ""
        if weight < 0 {
            integer = "0"
        } else {
            for i in 0...weight { integer += i == 0 ? String(digit(i)) : padded(digit(i)) }
        }
        var text = (sign == 0x4000 ? "-" : "") + integer
        if scale > 0 {
            var fraction = ""
            var i = weight + 1
            while fraction.count < scale {
                fraction += padded(digit(i))
                i += 1
            }
            text += "." + fraction.prefix(scale)
        }
        return text
    }

    /// `123.000` as 123; `nil` when there is a non-zero fraction.
    static func integralValue(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].allSatisfy({ $0 == "0" }) else { return nil }
        return Int64(parts[0])
    }
}
