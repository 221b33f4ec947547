/// Numbers the (registration type, channel) pairs of rollup rows in order of first appearance; the string tables
/// are built from the few distinct pairs once the rows are in (see ``RollupTable``).
struct PairEncoder {
    /// (type, channel) of each pair code.
    private(set) var values: [(type: String?, channel: String?)] = []
    /// Set when a row brought a 65,537th pair: its code would not fit the table's 16 bits.
    private(set) var overflowed = false
    private var codes: [PairKey: UInt16] = [:]
    /// Recognises pairs by raw bits. Only bits of the retained `values` strings are remembered, so equal bits
    /// mean an equal small string or that very (live) storage object, never a freed and reused address.
    private var recent = PairCache()

    /// The code of (type, channel); `nil` once there are too many pairs.
    mutating func code(type: String?, channel: String?) -> UInt16? {
        if let cached = recent.lookup(PairCache.bits(type, channel)) { return cached }
        let key = PairKey(type: type.map(ByteString.init), channel: channel.map(ByteString.init))
        let code: UInt16
        if let known = codes[key] {
            code = known
        } else {
            guard values.count < 65536 else {
                overflowed = true
                return nil
            }
            code = UInt16(values.count)
            codes[key] = code
            values.append((type, channel))
        }
        let kept = values[Int(code)]
        recent.remember(PairCache.bits(kept.type, kept.channel), code)
        return code
    }
}

/// A (type, channel) pair compared by bytes.
struct PairKey: Hashable {
    var type: ByteString?
    var channel: ByteString?
}

/// The (type, channel) pairs seen so far, recognised by the raw bits of the two strings.
///
/// Rollup rows repeat a handful of pairs, and hashing two strings per row would dominate the build. Equal raw bits
/// mean equal values (a small string keeps its bytes inline; a large one is the same storage object), so a hit
/// is always right; a miss only falls back to the byte-wise dictionary.
struct PairCache {
    typealias Bits = (UInt64, UInt64, UInt64, UInt64)
    private var entries = [(bits: Bits, code: UInt16)?](repeating: nil, count: 1024)

    /// Raw bits identify a value only when an optional string is exactly its two words.
    private static let usable = MemoryLayout<String?>.size == 16

    /// The raw bits of two optional strings.
    static func bits(_ type: String?, _ channel: String?) -> Bits {
        guard usable else { return (0, 0, 0, 0) }
        let type = unsafeBitCast(type, to: (UInt64, UInt64).self)
        let channel = unsafeBitCast(channel, to: (UInt64, UInt64).self)
        return (type.0, type.1, channel.0, channel.1)
    }

    func lookup(_ bits: Bits) -> UInt16? {
        guard Self.usable else { return nil }
        let slot = Self.slot(bits)
        // Two-way: a pair that collides with another in one slot still finds its own in the next.
        if let entry = entries[slot], entry.bits == bits { return entry.code }
        if let entry = entries[slot ^ 1], entry.bits == bits { return entry.code }
        return nil
    }

    mutating func remember(_ bits: Bits, _ code: UInt16) {
        let slot = Self.slot(bits)
        entries[entries[slot] == nil ? slot : slot ^ 1] = (bits, code)
    }

    /// A table of 1024 entries, so that a few dozen pairs rarely collide.
    private static func slot(_ bits: Bits) -> Int {
        let mixed =
            (bits.0 &* 0x9E37_79B9_7F4A_7C15) ^ (bits.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ (bits.2 &* 0x1656_67B1_9E37_79F9)
            ^ (bits.3 &* 0x85EB_CA77_C2B2_AE63)
        return Int(mixed >> 54)
    }
}
