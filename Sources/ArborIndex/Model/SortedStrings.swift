/// Distinct strings in UTF-8 byte order (PostgreSQL's `COLLATE "C"`), held as one byte buffer and offsets: no
/// object per string, so millions of labels or text ids cost their bytes and four more each.
struct SortedStrings: Sendable {
    private let bytes: [UInt8]
    /// String `i` is `bytes[offsets[i] ..< offsets[i + 1]]`.
    private let offsets: [UInt32]

    /// No strings.
    static let empty = SortedStrings(bytes: [], offsets: [0])

    private init(bytes: [UInt8], offsets: [UInt32]) {
        self.bytes = bytes
        self.offsets = offsets
    }

    /// The largest total of bytes the offsets can address.
    static let maximumByteCount = Int(UInt32.max)

    /// - Parameter strings: distinct, ascending by bytes.
    /// - Throws: ``ModelIndexError`` when the strings add up to more than ``maximumByteCount`` bytes.
    init(sorted strings: [String], what: String) throws(ModelIndexError) {
        var total = 0
        for string in strings { total += string.utf8.count }
        guard total <= Self.maximumByteCount else {
            throw .tooLarge("\(what) add up to \(total) bytes; the index holds at most \(Self.maximumByteCount)")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        var offsets: [UInt32] = []
        offsets.reserveCapacity(strings.count + 1)
        offsets.append(0)
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            offsets.append(UInt32(bytes.count))
        }
        self.bytes = bytes
        self.offsets = offsets
    }

    var count: Int { offsets.count - 1 }

    var byteCount: Int { bytes.capacity + offsets.capacity * 4 }

    subscript(index: Int) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: buffer[Int(offsets[index])..<Int(offsets[index + 1])], as: UTF8.self)
        }
    }

    /// Calls `body` with the bytes of string `index`.
    @inline(__always)
    func withBytes<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer { buffer in
            let start = Int(offsets[index])
            let end = Int(offsets[index + 1])
            return body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }

    /// The first index whose string is not below `key` in byte order (`count` when every string is).
    func lowerBound(_ key: String) -> Int {
        var key = key
        return key.withUTF8 { key in
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) >> 1
                let below = withBytes(at: middle) { $0.lexicographicallyPrecedes(key) }
                if below { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// The index of `key` (byte-equal), if present.
    func index(of key: String) -> Int? {
        let index = lowerBound(key)
        guard index < count else { return nil }
        var key = key
        let equal = key.withUTF8 { key in withBytes(at: index) { $0.elementsEqual(key) } }
        return equal ? index : nil
    }

    /// Distinct strings of `values` in byte order, and for each value its index among them.
    ///
    /// Values are told apart by their bytes, as the database does (Swift's `==` would merge canonically equivalent
    /// strings that PostgreSQL keeps apart).
    static func encode(
        _ count: Int, value: (Int) -> String?
    ) -> (distinct: [String], codes: [UInt32]) {
        var codeOf: [ByteString: UInt32] = [:]
        var firstSeen: [String] = []
        var codes = [UInt32](repeating: 0, count: count)
        for index in 0..<count {
            guard let text = value(index) else { continue }
            let key = ByteString(text)
            if let code = codeOf[key] {
                codes[index] = code
            } else {
                firstSeen.append(text)
                let code = UInt32(firstSeen.count)
                codeOf[key] = code
                codes[index] = code
            }
        }
        // Renumber so that codes follow byte order: code c > 0 is distinct[c - 1].
        let order = firstSeen.indices.sorted { ByteString.precedes(firstSeen[$0], firstSeen[$1]) }
        var renumbered = [UInt32](repeating: 0, count: firstSeen.count + 1)
        for (position, old) in order.enumerated() { renumbered[old + 1] = UInt32(position + 1) }
        for index in codes.indices { codes[index] = renumbered[Int(codes[index])] }
        return (order.map { firstSeen[$0] }, codes)
    }
}
