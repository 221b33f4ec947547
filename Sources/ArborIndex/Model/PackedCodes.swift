/// Small non-negative codes (dictionary codes, combination numbers), one per element, in the narrowest of 0, 1, 2 or
/// 4 bytes that holds the largest: an attribute with 4 values over 30 million nodes takes 30 MB, not 120.
enum PackedCodes: Sendable {
    /// Every code is 0.
    case zero(count: Int)
    case uint8([UInt8])
    case uint16([UInt16])
    case uint32([UInt32])

    init(_ codes: [UInt32]) {
        let largest = codes.max() ?? 0
        if largest == 0 {
            self = .zero(count: codes.count)
        } else if largest <= UInt32(UInt8.max) {
            self = .uint8(codes.map { UInt8(truncatingIfNeeded: $0) })
        } else if largest <= UInt32(UInt16.max) {
            self = .uint16(codes.map { UInt16(truncatingIfNeeded: $0) })
        } else {
            self = .uint32(codes)
        }
    }

    var count: Int {
        switch self {
        case .zero(let count): count
        case .uint8(let codes): codes.count
        case .uint16(let codes): codes.count
        case .uint32(let codes): codes.count
        }
    }

    @inline(__always)
    subscript(index: Int) -> UInt32 {
        switch self {
        case .zero: 0
        case .uint8(let codes): UInt32(codes[index])
        case .uint16(let codes): UInt32(codes[index])
        case .uint32(let codes): codes[index]
        }
    }

    var byteCount: Int {
        switch self {
        case .zero: 0
        case .uint8(let codes): codes.capacity
        case .uint16(let codes): codes.capacity * 2
        case .uint32(let codes): codes.capacity * 4
        }
    }
}
