import ArborModel

/// Turns the kind codes of rollup packs into pair codes, giving a pair its code when a row first uses it (so kinds
/// no row uses cost nothing). Codes up to a million are looked up in an array; larger ones in a dictionary.
struct KindPairs {
    private let kinds: [RollupKind]
    /// Position in `kinds` by code (-1: no such kind), when every code is small.
    private let slotOfCode: [Int32]
    private let slotOfLargeCode: [Int32: Int32]
    /// Pair code by slot (-1: not used yet).
    private var pairOfSlot: [Int32]
    /// The first code that named no kind.
    private(set) var unknownCode: Int32? = nil

    private static let arrayLimit: Int32 = 1 << 20

    init(_ kinds: [RollupKind]) {
        self.kinds = kinds
        pairOfSlot = [Int32](repeating: -1, count: kinds.count)
        let largest = kinds.map(\.code).max() ?? -1
        if largest < Self.arrayLimit {
            var slots = [Int32](repeating: -1, count: Int(max(largest, -1) + 1))
            for (slot, kind) in kinds.enumerated() where kind.code >= 0 { slots[Int(kind.code)] = Int32(slot) }
            slotOfCode = slots
            slotOfLargeCode = [:]
        } else {
            slotOfCode = []
            slotOfLargeCode = Dictionary(
                kinds.enumerated().map { ($0.element.code, Int32($0.offset)) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The pair code of kind `code`; `nil` when the code is unknown or the pairs overflowed.
    @inline(__always)
    mutating func pair(of code: Int32, encoder: inout PairEncoder) -> UInt16? {
        let slot: Int32
        if code >= 0, Int(code) < slotOfCode.count {
            slot = slotOfCode[Int(code)]
        } else {
            slot = slotOfLargeCode[code] ?? -1
        }
        guard slot >= 0 else {
            if unknownCode == nil { unknownCode = code }
            return nil
        }
        let known = pairOfSlot[Int(slot)]
        if known >= 0 { return UInt16(known) }
        let kind = kinds[Int(slot)]
        guard let pair = encoder.code(type: kind.registrationType, channel: kind.channel) else { return nil }
        pairOfSlot[Int(slot)] = Int32(pair)
        return pair
    }
}
