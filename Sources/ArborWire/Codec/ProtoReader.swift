/// Reads the protobuf wire format from memory it borrows.
///
/// A reader is valid only while the memory behind its buffer is; create it inside `withUnsafeBytes` and let it
/// go before that returns. Decoding never allocates more than the input can hold: every length is checked against
/// the bytes that remain before anything is read or allocated, and nested messages may be at most `maxDepth`
/// levels deep. After an error the reader's position is unspecified; discard it.
///
/// Messages use it from ``ProtoMessage/decodeFields(from:)``: loop over ``nextTag()`` and read each known field
/// with the method for its declared type, which checks the wire type and names the field in any error.
public struct ProtoReader {
    /// How deeply messages may nest unless the caller chooses otherwise.
    public static let defaultMaxDepth = 100

    private let buffer: UnsafeRawBufferPointer
    private var position: Int
    /// The end of the innermost message (or packed field) being read.
    private var end: Int
    private var depth = 0
    private let maxDepth: Int
    /// The message being decoded, for error paths; a metatype, so switching it costs no reference counting.
    private var messageType: (any ProtoMessage.Type)?

    /// Creates a reader over `buffer`, which must stay valid while the reader is in use.
    public init(_ buffer: UnsafeRawBufferPointer, maxDepth: Int = ProtoReader.defaultMaxDepth) {
        self.buffer = buffer
        self.position = 0
        self.end = buffer.count
        self.maxDepth = maxDepth
    }

    /// Whether every byte of the current message has been read.
    public var isAtEnd: Bool { position >= end }

    /// Decodes the whole buffer as one `M`.
    public mutating func readMessage<M: ProtoMessage>(_ type: M.Type) throws(WireError) -> M {
        messageType = M.self
        var message = M()
        try message.decodeFields(from: &self)
        return message
    }

    /// The next field's tag, or `nil` at the end of the current message.
    public mutating func nextTag() throws(WireError) -> FieldTag? {
        guard position < end else { return nil }
        let key = try readVarint(nil)
        guard key <= UInt64(UInt32.max) else {
            throw failure(.invalidFieldNumber, nil, "tag \(key) has a field number above \(FieldTag.maxFieldNumber)")
        }
        let fieldNumber = Int(key >> 3)
        guard fieldNumber != 0 else {
            throw failure(.invalidFieldNumber, nil, "field number 0 is invalid")
        }
        switch key & 7 {
        case 0: return FieldTag(fieldNumber: fieldNumber, wireType: .varint)
        case 1: return FieldTag(fieldNumber: fieldNumber, wireType: .fixed64)
        case 2: return FieldTag(fieldNumber: fieldNumber, wireType: .lengthDelimited)
        case 5: return FieldTag(fieldNumber: fieldNumber, wireType: .fixed32)
        case 3, 4:
            throw failure(
                .unsupportedGroup, nil, "field \(fieldNumber) uses the deprecated group wire type \(key & 7)")
        default:
            throw failure(.invalidWireType, nil, "field \(fieldNumber) has undefined wire type \(key & 7)")
        }
    }

    /// Skips a field this message does not know, whatever its wire type.
    public mutating func skipField(_ tag: FieldTag) throws(WireError) {
        let field = "#\(tag.fieldNumber)"
        switch tag.wireType {
        case .varint: _ = try readVarint(field)
        case .fixed64: try skip(8, field)
        case .fixed32: try skip(4, field)
        case .lengthDelimited: position += try readLength(field)
        case .startGroup, .endGroup:
            throw failure(.unsupportedGroup, field, "the deprecated group wire type is not supported")
        }
    }

    // MARK: Scalars

    /// A `uint64` field.
    public mutating func readUInt64(_ tag: FieldTag, field: String) throws(WireError) -> UInt64 {
        try expect(tag, .varint, field)
        return try readVarint(field)
    }

    /// A `uint32` field; like protobuf, keeps the low 32 bits of a wider varint.
    public mutating func readUInt32(_ tag: FieldTag, field: String) throws(WireError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readUInt64(tag, field: field))
    }

    /// An `int64` field (two's complement; negative values take 10 bytes).
    public mutating func readInt64(_ tag: FieldTag, field: String) throws(WireError) -> Int64 {
        Int64(bitPattern: try readUInt64(tag, field: field))
    }

    /// An `int32` field (negative values arrive sign-extended to 10 bytes).
    public mutating func readInt32(_ tag: FieldTag, field: String) throws(WireError) -> Int32 {
        Int32(truncatingIfNeeded: try readUInt64(tag, field: field))
    }

    /// A `bool` field: any non-zero varint is `true`.
    public mutating func readBool(_ tag: FieldTag, field: String) throws(WireError) -> Bool {
        try readUInt64(tag, field: field) != 0
    }

    /// An enum field; numbers without a case are kept, since proto3 enums are open.
    public mutating func readEnum<E: ProtoEnum>(_ tag: FieldTag, field: String) throws(WireError) -> E {
        E(rawValue: try readInt32(tag, field: field))
    }

    /// A `fixed32` field.
    public mutating func readFixed32(_ tag: FieldTag, field: String) throws(WireError) -> UInt32 {
        try expect(tag, .fixed32, field)
        try ensure(4, field)
        defer { position += 4 }
        return UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    /// A `fixed64` field.
    public mutating func readFixed64(_ tag: FieldTag, field: String) throws(WireError) -> UInt64 {
        try expect(tag, .fixed64, field)
        try ensure(8, field)
        defer { position += 8 }
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    // MARK: Length-delimited

    /// A `string` field, which must be valid UTF-8.
    public mutating func readString(_ tag: FieldTag, field: String) throws(WireError) -> String {
        try expect(tag, .lengthDelimited, field)
        let length = try readLength(field)
        guard length > 0 else { return "" }
        let start = position
        position += length
        let utf8 = UnsafeBufferPointer(
            start: buffer.baseAddress!.advanced(by: start).assumingMemoryBound(to: UInt8.self), count: length)
        // Most strings in this protocol (roles, places, dates) are ASCII, which is valid UTF-8 as it stands; the
        // general validator is a generic, unspecialised call and costs twice as much.
        if isASCII(utf8) {
            return String(decoding: utf8, as: UTF8.self)
        }
        guard let string = String(validating: utf8, as: UTF8.self) else {
            throw failure(.invalidUTF8, field, "invalid UTF-8 in a string")
        }
        return string
    }

    /// A `bytes` field.
    public mutating func readBytes(_ tag: FieldTag, field: String) throws(WireError) -> [UInt8] {
        try expect(tag, .lengthDelimited, field)
        let length = try readLength(field)
        guard length > 0 else { return [] }
        let start = position
        position += length
        return [UInt8](UnsafeRawBufferPointer(rebasing: buffer[start..<start + length]))
    }

    /// A nested message field. A singular message that occurs more than once merges each occurrence into the
    /// previous one, as protobuf requires: pass the value decoded so far as `existing`.
    public mutating func readMessage<M: ProtoMessage>(
        _ tag: FieldTag, field: String, merging existing: M? = nil
    ) throws(WireError) -> M {
        try expect(tag, .lengthDelimited, field)
        let length = try readLength(field)
        guard depth < maxDepth else {
            throw failure(.depthLimitExceeded, field, "messages are nested more than \(maxDepth) levels deep")
        }
        let outerEnd = end
        let outerType = messageType
        end = position + length
        depth += 1
        messageType = M.self
        var message = existing ?? M()
        do {
            try message.decodeFields(from: &self)
        } catch {
            throw error.nested(in: outerType.map { String($0.shortMessageName) }, field: field)
        }
        end = outerEnd
        depth -= 1
        messageType = outerType
        return message
    }

    /// One entry of a `map<string, string>` field: a nested message with the key as field 1 and the value as
    /// field 2, either of which may be missing (and is then `""`). A later entry with the same key replaces an
    /// earlier one, as protobuf requires. Like any nested message, the entry counts toward the depth limit.
    ///
    /// Keys are Swift strings, so two keys that differ only in Unicode normalisation are one key.
    public mutating func readStringMapEntry(
        _ tag: FieldTag, field: String, into map: inout [String: String]
    ) throws(WireError) {
        try expect(tag, .lengthDelimited, field)
        let length = try readLength(field)
        guard depth < maxDepth else {
            throw failure(.depthLimitExceeded, field, "messages are nested more than \(maxDepth) levels deep")
        }
        let outerEnd = end
        end = position + length
        var key = ""
        var value = ""
        do throws(WireError) {
            while let entryTag = try nextTag() {
                switch entryTag.fieldNumber {
                case 1: key = try readString(entryTag, field: "key")
                case 2: value = try readString(entryTag, field: "value")
                default: try skipField(entryTag)
                }
            }
        } catch {
            // The entry has no type of its own: name the map field between the message and "key" or "value".
            var inEntry = error
            inEntry.fieldPath.insert(field, at: messageType == nil ? 0 : 1)
            throw inEntry
        }
        end = outerEnd
        map[key] = value
    }

    // MARK: Repeated scalars

    /// One occurrence of a repeated `uint32` field: packed (length-delimited) or a single varint, both of
    /// which protobuf requires a decoder to accept.
    public mutating func readRepeatedUInt32(
        _ tag: FieldTag, field: String, into values: inout [UInt32]
    ) throws(WireError) {
        try readRepeatedVarints(tag, field) { values.append(UInt32(truncatingIfNeeded: $0)) }
    }

    /// One occurrence of a repeated `int64` field, packed or not (negative values take 10 bytes each).
    public mutating func readRepeatedInt64(
        _ tag: FieldTag, field: String, into values: inout [Int64]
    ) throws(WireError) {
        try readRepeatedVarints(tag, field) { values.append(Int64(bitPattern: $0)) }
    }

    /// One occurrence of a repeated enum field, packed or not.
    public mutating func readRepeatedEnum<E: ProtoEnum>(
        _ tag: FieldTag, field: String, into values: inout [E]
    ) throws(WireError) {
        try readRepeatedVarints(tag, field) { values.append(E(rawValue: Int32(truncatingIfNeeded: $0))) }
    }

    private mutating func readRepeatedVarints(
        _ tag: FieldTag, _ field: String, _ append: (UInt64) -> Void
    ) throws(WireError) {
        switch tag.wireType {
        case .varint:
            append(try readVarint(field))
        case .lengthDelimited:
            let length = try readLength(field)
            let outerEnd = end
            end = position + length
            while position < end {
                append(try readVarint(field))
            }
            end = outerEnd
        default:
            throw wrongWireType(tag, "varint or length-delimited (packed)", field)
        }
    }

    // MARK: Primitives

    private func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while index + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    @inline(__always)
    private mutating func readVarint(_ field: String?) throws(WireError) -> UInt64 {
        guard position < end else {
            throw failure(.truncated, field, "varint runs past the end of the buffer")
        }
        let first = buffer[position]
        if first < 0x80 {
            position += 1
            return UInt64(first)
        }
        return try readMultiByteVarint(field)
    }

    private mutating func readMultiByteVarint(_ field: String?) throws(WireError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = position
        // Bits above 64 in the tenth byte are dropped, as the reference decoders do.
        while index < end && index - position < 10 {
            let byte = buffer[index]
            result |= UInt64(byte & 0x7f) << shift
            index += 1
            if byte < 0x80 {
                position = index
                return result
            }
            shift += 7
        }
        if index - position == 10 {
            throw failure(.varintTooLong, field, "varint is longer than 10 bytes")
        }
        throw failure(.truncated, field, "varint runs past the end of the buffer")
    }

    /// Reads a length prefix and checks that many bytes remain, so nothing is allocated for a length the input
    /// cannot back.
    private mutating func readLength(_ field: String) throws(WireError) -> Int {
        let length = try readVarint(field)
        let remaining = end - position
        guard length <= UInt64(remaining) else {
            throw failure(
                .lengthOutOfBounds, field,
                "length \(length) runs past the end of the buffer (\(bytesLeft(remaining)))")
        }
        return Int(length)
    }

    private func ensure(_ count: Int, _ field: String) throws(WireError) {
        guard end - position >= count else {
            throw failure(
                .truncated, field,
                "\(count)-byte value runs past the end of the buffer (\(bytesLeft(end - position)))")
        }
    }

    private mutating func skip(_ count: Int, _ field: String) throws(WireError) {
        try ensure(count, field)
        position += count
    }

    @inline(__always)
    private func expect(_ tag: FieldTag, _ wireType: WireType, _ field: String) throws(WireError) {
        guard tag.wireType == wireType else { throw wrongWireType(tag, wireType.description, field) }
    }

    private func wrongWireType(_ tag: FieldTag, _ expected: String, _ field: String) -> WireError {
        failure(
            .wrongWireType, field,
            "wire type \(tag.wireType.rawValue) (\(tag.wireType)) where \(expected) is expected")
    }

    private func bytesLeft(_ count: Int) -> String {
        count == 1 ? "1 byte left" : "\(count) bytes left"
    }

    private func failure(_ code: WireError.Code, _ field: String?, _ detail: String) -> WireError {
        var path: [String] = []
        if let messageType { path.append(String(messageType.shortMessageName)) }
        if let field { path.append(field) }
        return WireError(code: code, fieldPath: path, detail: detail)
    }
}
