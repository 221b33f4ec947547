/// User names as contiguous UTF-8, with two orders: by name bytes then id (FindUsers' result order) and by
/// ASCII-folded name bytes (where a case-insensitive prefix is one contiguous range).
struct NameIndex: Sendable {
    /// Name of user `u`: `bytes[offsets[u] ..< offsets[u + 1]]`; `isNull[u]` for a NULL name.
    let offsets: [Int]
    let bytes: [UInt8]
    let isNull: [Bool]
    /// Position of each user in (name bytes, id) order; NULL names sort as `""`.
    let rank: [Int32]
    /// Users with a name, sorted by folded name bytes.
    let folded: [Int32]

    init(names: [String?]) {
        var offsets = [0]
        offsets.reserveCapacity(names.count + 1)
        var bytes: [UInt8] = []
        for name in names {
            if let name { bytes.append(contentsOf: name.utf8) }
            offsets.append(bytes.count)
        }
        self.offsets = offsets
        self.bytes = bytes
        self.isNull = names.map { $0 == nil }

        // Sort on the first sixteen bytes packed into two integers; only equal heads compare the full names.
        let isNull = self.isNull
        func order(folding: Bool, _ users: [Int32]) -> [Int32] {
            bytes.withUnsafeBufferPointer { buffer in
                var keyed = users.map { user -> (head: UInt64, next: UInt64, user: Int32) in
                    var words: (UInt64, UInt64) = (0, 0)
                    let start = offsets[Int(user)]
                    let end = offsets[Int(user) + 1]
                    for index in 0..<16 {
                        let raw = start + index < end ? buffer[start + index] : 0
                        let byte = UInt64(folding ? Self.fold(raw) : raw)
                        if index < 8 { words.0 = words.0 << 8 | byte } else { words.1 = words.1 << 8 | byte }
                    }
                    return (words.0, words.1, user)
                }
                keyed.sort { lhs, rhs in
                    if lhs.head != rhs.head { return lhs.head < rhs.head }
                    if lhs.next != rhs.next { return lhs.next < rhs.next }
                    let order = Self.compare(buffer, offsets, Int(lhs.user), Int(rhs.user), folding: folding)
                    return order != 0 ? order < 0 : lhs.user < rhs.user
                }
                return keyed.map(\.user)
            }
        }
        let byName = order(folding: false, Array(0..<Int32(names.count)))
        var rank = [Int32](repeating: 0, count: names.count)
        for (position, user) in byName.enumerated() { rank[Int(user)] = Int32(position) }
        self.rank = rank
        self.folded = order(folding: true, (0..<Int32(names.count)).filter { !isNull[Int($0)] })
    }

    func name(of user: Int) -> String {
        String(decoding: bytes[offsets[user]..<offsets[user + 1]], as: UTF8.self)
    }

    /// Users whose name starts with `prefix`, ASCII letters compared case-insensitively, any order.
    func users(withPrefix prefix: String) -> ArraySlice<Int32> {
        let pattern = Array(prefix.utf8).map(Self.fold)
        return bytes.withUnsafeBufferPointer { buffer in
            // -1: name sorts before the prefix range, 0: starts with the prefix, 1: sorts after it.
            func side(_ user: Int32) -> Int {
                let start = offsets[Int(user)]
                let end = offsets[Int(user) + 1]
                for (index, expected) in pattern.enumerated() {
                    guard start + index < end else { return -1 }
                    let actual = Self.fold(buffer[start + index])
                    if actual != expected { return actual < expected ? -1 : 1 }
                }
                return 0
            }
            var low = 0
            var high = folded.count
            while low < high {
                let middle = (low + high) >> 1
                if side(folded[middle]) < 0 { low = middle + 1 } else { high = middle }
            }
            let first = low
            high = folded.count
            while low < high {
                let middle = (low + high) >> 1
                if side(folded[middle]) <= 0 { low = middle + 1 } else { high = middle }
            }
            return folded[first..<low]
        }
    }

    /// Whether `user`'s name starts with `prefix` under the same folding (NULL never does).
    func hasPrefix(_ user: Int, _ prefix: [UInt8]) -> Bool {
        guard !isNull[user], offsets[user + 1] - offsets[user] >= prefix.count else { return false }
        let start = offsets[user]
        for (index, expected) in prefix.enumerated() where Self.fold(bytes[start + index]) != Self.fold(expected) {
            return false
        }
        return true
    }

    static func fold(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func compare(
        _ buffer: UnsafeBufferPointer<UInt8>, _ offsets: [Int], _ lhs: Int, _ rhs: Int, folding: Bool
    ) -> Int {
        var left = offsets[lhs]
        let leftEnd = offsets[lhs + 1]
        var right = offsets[rhs]
        let rightEnd = offsets[rhs + 1]
        while left < leftEnd, right < rightEnd {
            let a = folding ? fold(buffer[left]) : buffer[left]
            let b = folding ? fold(buffer[right]) : buffer[right]
            if a != b { return a < b ? -1 : 1 }
            left += 1
            right += 1
        }
        return (leftEnd - left) - (rightEnd - right)
    }
}
