/// A text column dictionary-encoded as it is read: each distinct value is kept once, as bytes, and each row is a
/// code — 0 for NULL, `c` for the `c`-th distinct value in the order first seen. Values are told apart by their
/// bytes, as the database does. Reading millions of rows creates no string per row: a value is hashed from the
/// bytes the driver hands over and looked up in an open-addressing table of codes.
public struct EncodedValues: Sendable {
    /// Distinct values' bytes, back to back: value `c` is `bytes[ends[c - 2] ..< ends[c - 1]]` (from 0 for `c` 1).
    public private(set) var bytes: [UInt8] = []
    public private(set) var ends: [Int] = []
    /// One code per row.
    public private(set) var codes: [UInt32] = []
    /// Slots of the hash table: a code, or 0 when free. The size is a power of two, at least twice the values.
    private var slots: [UInt32] = [UInt32](repeating: 0, count: 16)
    private var hashes: [Int] = []

    public init() {}

    /// Number of distinct non-NULL values.
    public var distinctCount: Int { ends.count }

    public mutating func reserveCapacity(_ rows: Int) { codes.reserveCapacity(rows) }

    /// The bytes of value `code` (1-based).
    public func withValue<R>(_ code: UInt32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let index = Int(code) - 1
        let start = index == 0 ? 0 : ends[index - 1]
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<ends[index]])) }
    }

    /// Value `code` (1-based) as a string.
    public func value(_ code: UInt32) -> String { withValue(code) { String(decoding: $0, as: UTF8.self) } }

    /// Appends a row: `value`'s bytes (UTF-8), or NULL.
    public mutating func append(_ value: UnsafeRawBufferPointer?) {
        guard let value else {
            codes.append(0)
            return
        }
        var hasher = Hasher()
        hasher.combine(bytes: value)
        let hash = hasher.finalize()
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let code = slots[slot]
            if code == 0 { break }
            if hashes[Int(code) - 1] == hash, equals(code, value) {
                codes.append(code)
                return
            }
            slot = (slot + 1) & mask
        }
        bytes.append(contentsOf: value)
        ends.append(bytes.count)
        hashes.append(hash)
        let code = UInt32(ends.count)
        slots[slot] = code
        codes.append(code)
        if ends.count * 2 > slots.count { grow() }
    }

    /// Appends a row holding `value` (`nil` for NULL).
    public mutating func append(_ value: String?) {
        guard var value else { return append(nil as UnsafeRawBufferPointer?) }
        value.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    private func equals(_ code: UInt32, _ value: UnsafeRawBufferPointer) -> Bool {
        withValue(code) { stored in stored.count == value.count && stored.elementsEqual(value) }
    }

    private mutating func grow() {
        var slots = [UInt32](repeating: 0, count: self.slots.count * 2)
        let mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = hash & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(index + 1)
        }
        self.slots = slots
    }

    /// Drops the hash table, which only appending needs; append nothing after this.
    public mutating func finish() {
        slots = []
        hashes = []
    }
}
