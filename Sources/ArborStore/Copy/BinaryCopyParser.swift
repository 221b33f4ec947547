/// Parses PostgreSQL's binary `COPY` format incrementally, as chunks arrive, handing each complete row to a
/// closure without keeping the rows already handed over.
///
/// The stream is: the 11-byte signature `PGCOPY\n\377\r\n\0`, a 32-bit flags field (bit 16: OIDs included,
/// which Arbor never asks for), a 32-bit header-extension length and that many bytes; then tuples, each a 16-bit
/// field count followed by fields as a 32-bit length (-1 for `NULL`) and that many bytes; then the trailer, a field
/// count of -1. Chunks may split the stream anywhere. Pure: no I/O.
struct BinaryCopyParser {
    static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    private enum State {
        case header
        case tuples
        case finished
    }

    private var state = State.header
    /// Bytes received but not yet parsed (at most one partial tuple).
    private var buffer: [UInt8] = []
    private var fields: [(start: Int, length: Int)] = []
    /// Rows handed to the closure so far.
    private(set) var rowCount = 0

    /// Appends `chunk` and hands every row it completes to `row`.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, row: (BinaryCopyRow) throws -> Void) throws {
        if self.state == .finished {
            guard chunk.isEmpty else { throw Self.violation("data after the COPY trailer") }
            return
        }
        self.buffer.append(contentsOf: chunk)
        var position = 0
        parsing: while true {
            switch self.state {
            case .header:
                guard let end = try self.parseHeader() else { break parsing }
                position = end
                self.state = .tuples
            case .tuples:
                let available = self.buffer.count - position
                guard available >= 2 else { break parsing }
                let fieldCount = Int(BigEndianBytes.read(Int16.self, from: self.buffer[...], at: position))
                if fieldCount == -1 {
                    guard available == 2 else { throw Self.violation("data after the COPY trailer") }
                    position += 2
                    self.state = .finished
                    break parsing
                }
                guard fieldCount >= 0 else { throw Self.violation("negative field count \(fieldCount)") }
                guard let end = try self.parseFields(count: fieldCount, from: position + 2) else { break parsing }
                do {
                    let current = BinaryCopyRow(buffer: self.buffer, fields: self.fields)
                    try row(current)
                }
                self.rowCount += 1
                position = end
            case .finished:
                break parsing
            }
        }
        if position == self.buffer.count {
            self.buffer.removeAll(keepingCapacity: true)
        } else if position > 0 {
            self.buffer.removeSubrange(0..<position)
        }
    }

    /// Checks that the stream ended with its trailer.
    func finish() throws {
        guard self.state == .finished else {
            throw Self.violation(
                self.state == .header ? "the COPY stream had no header" : "the COPY stream was cut off")
        }
    }

    /// The end of the header, `nil` if it is not complete yet.
    private mutating func parseHeader() throws -> Int? {
        let fixed = Self.signature.count + 8
        guard self.buffer.count >= Self.signature.count else { return nil }
        guard self.buffer[0..<Self.signature.count].elementsEqual(Self.signature) else {
            throw Self.violation("not a binary COPY stream (bad signature)")
        }
        guard self.buffer.count >= fixed else { return nil }
        let flags = BigEndianBytes.read(UInt32.self, from: self.buffer[...], at: Self.signature.count)
        guard flags & (1 << 16) == 0 else { throw Self.violation("COPY with OIDs is not supported") }
        guard flags & 0xFFFF_0000 & ~(1 << 16) == 0 else { throw Self.violation("unknown critical COPY header flags") }
        let extensionLength = Int(BigEndianBytes.read(Int32.self, from: self.buffer[...], at: Self.signature.count + 4))
        guard extensionLength >= 0 else { throw Self.violation("negative COPY header extension length") }
        guard self.buffer.count >= fixed + extensionLength else { return nil }
        return fixed + extensionLength
    }

    /// Reads `count` fields starting at `start` into ``fields``; the tuple's end, or `nil` if it is not complete.
    private mutating func parseFields(count: Int, from start: Int) throws -> Int? {
        self.fields.removeAll(keepingCapacity: true)
        var position = start
        for _ in 0..<count {
            guard self.buffer.count - position >= 4 else { return nil }
            let length = Int(BigEndianBytes.read(Int32.self, from: self.buffer[...], at: position))
            position += 4
            if length == -1 {
                self.fields.append((position, -1))
                continue
            }
            guard length >= 0 else { throw Self.violation("negative COPY field length \(length)") }
            guard self.buffer.count - position >= length else { return nil }
            self.fields.append((position, length))
            position += length
        }
        return position
    }

    private static func violation(_ message: String) -> StoreError {
        StoreError(.protocolViolation, message)
    }
}
