/// Where the stream is cut into the pieces fed to the deframer, from two input bytes.
///
/// `mode` 0 feeds the stream whole, 1 one byte at a time; higher modes cut pieces of 0 to 2^k bytes (k from 0 to
/// 9, by mode), their lengths drawn from a generator seeded by `seed` and `mode`. Empty pieces are fed too.
func chunkRanges(count: Int, mode: UInt8, seed: UInt8) -> [Range<Int>] {
    switch mode {
    case 0:
        return [0..<count]
    case 1:
        return (0..<count).map { $0..<($0 + 1) }
    default:
        let longest = 1 << (Int(mode - 2) % 10)
        var random = SplitMix64(seed: UInt64(mode) << 8 | UInt64(seed))
        var ranges: [Range<Int>] = []
        var start = 0
        while start < count {
            let length = min(Int(random.next() % UInt64(longest + 1)), count - start)
            ranges.append(start..<(start + length))
            start += length
        }
        return ranges
    }
}

/// A small deterministic generator (SplitMix64), so that one input always cuts its stream the same way.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
