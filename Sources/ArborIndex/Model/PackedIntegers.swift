/// A column of 64-bit integers (event counts and sums), each stored in the narrowest of 1, 2, 4 or 8 bytes that
/// holds every value: a count column of small numbers takes a byte a row.
///
/// The loops that add a column run inside one `switch`, on the concrete element type, so the width costs
/// nothing per row.
enum PackedIntegers: Sendable {
    case uint8([UInt8])
    case uint16([UInt16])
    case uint32([UInt32])
    case int64([Int64])

    init(_ values: [Int64]) {
        let smallest = values.min() ?? 0
        let largest = values.max() ?? 0
        if smallest < 0 || largest > Int64(UInt32.max) {
            self = .int64(values)
        } else if largest <= Int64(UInt8.max) {
            self = .uint8(values.map { UInt8(truncatingIfNeeded: $0) })
        } else if largest <= Int64(UInt16.max) {
            self = .uint16(values.map { UInt16(truncatingIfNeeded: $0) })
        } else {
            self = .uint32(values.map { UInt32(truncatingIfNeeded: $0) })
        }
    }

    @inline(__always)
    subscript(index: Int) -> Int64 {
        switch self {
        case .uint8(let values): Int64(values[index])
        case .uint16(let values): Int64(values[index])
        case .uint32(let values): Int64(values[index])
        case .int64(let values): values[index]
        }
    }

    var byteCount: Int {
        switch self {
        case .uint8(let values): values.capacity
        case .uint16(let values): values.capacity * 2
        case .uint32(let values): values.capacity * 4
        case .int64(let values): values.capacity * 8
        }
    }

    /// The sum of `rows`, exactly.
    func sum(_ rows: Range<Int>) -> Int128 {
        switch self {
        case .uint8(let values): Self.sum(values, rows)
        case .uint16(let values): Self.sum(values, rows)
        case .uint32(let values): Self.sum(values, rows)
        case .int64(let values): Self.sum(values, rows)
        }
    }

    /// Adds row `rows.lowerBound + i` to `sums[slots[i] * stride]` for every `i` whose slot is not negative.
    func add(
        _ rows: Range<Int>, slots: UnsafeBufferPointer<Int32>, into sums: UnsafeMutablePointer<Int128>, stride: Int
    ) {
        switch self {
        case .uint8(let values): Self.add(values, rows, slots, sums, stride)
        case .uint16(let values): Self.add(values, rows, slots, sums, stride)
        case .uint32(let values): Self.add(values, rows, slots, sums, stride)
        case .int64(let values): Self.add(values, rows, slots, sums, stride)
        }
    }

    private static func sum<T: BinaryInteger>(_ values: [T], _ rows: Range<Int>) -> Int128 {
        values.withUnsafeBufferPointer { values in
            var total: Int128 = 0
            for row in rows { total &+= Int128(values[row]) }
            return total
        }
    }

    private static func add<T: BinaryInteger>(
        _ values: [T], _ rows: Range<Int>, _ slots: UnsafeBufferPointer<Int32>, _ sums: UnsafeMutablePointer<Int128>,
        _ stride: Int
    ) {
        values.withUnsafeBufferPointer { values in
            var offset = 0
            for row in rows {
                let slot = slots[offset]
                offset += 1
                if slot >= 0 { sums[Int(slot) * stride] &+= Int128(values[row]) }
            }
        }
    }
}
