/// A column of 64-bit integers (event counts and sums), each stored in the narrowest of 1, 2, 4 or 8 bytes that
/// holds every value: a count column of small numbers takes a byte a row.
///
/// The loops that add a column switch on the width once and then run on the concrete type, so the width costs
/// nothing per row.
struct PackedIntegers: Sendable {
    private let storage: AppendableArray<UInt8>
    /// Bytes per value: 1, 2 or 4 (non-negative values), or 8.
    let width: Int

    init(_ values: [Int64]) {
        let width = Self.width(holding: values)
        self.width = width
        self.storage = AppendableArray(Self.bytes(values, width: width))
    }

    /// Values already packed, `width` bytes each (native byte order; 1, 2 and 4 unsigned, 8 signed), in `bytes`.
    init(packed bytes: AppendableArray<UInt8>, width: Int) {
        precondition([1, 2, 4, 8].contains(width) && bytes.count % width == 0)
        self.init(storage: bytes, width: width)
    }

    private init(storage: AppendableArray<UInt8>, width: Int) {
        self.storage = storage
        self.width = width
    }

    /// The narrowest width that holds every value.
    private static func width(holding values: [Int64]) -> Int {
        let smallest = values.min() ?? 0
        let largest = values.max() ?? 0
        return smallest < 0 || largest > Int64(UInt32.max)
            ? 8 : largest <= Int64(UInt8.max) ? 1 : largest <= Int64(UInt16.max) ? 2 : 4
    }

    var count: Int { width == 0 ? 0 : storage.count / width }

    /// Every value, as an array.
    var values: [Int64] { (0..<count).map { self[$0] } }

    /// These values followed by `values`: appended in place (``AppendableArray``) when the width holds them, else
    /// packed again at a larger width.
    func appending(_ values: [Int64]) -> PackedIntegers {
        guard !values.isEmpty else { return self }
        guard Self.width(holding: values) <= width else { return PackedIntegers(self.values + values) }
        return PackedIntegers(storage: storage.appending(contentsOf: Self.bytes(values, width: width)), width: width)
    }

    private static func bytes(_ values: [Int64], width: Int) -> [UInt8] {
        var storage = [UInt8](repeating: 0, count: values.count * width)
        storage.withUnsafeMutableBytes { raw in
            for (index, value) in values.enumerated() {
                switch width {
                case 1: raw[index] = UInt8(truncatingIfNeeded: value)
                case 2: raw.storeBytes(of: UInt16(truncatingIfNeeded: value), toByteOffset: index * 2, as: UInt16.self)
                case 4: raw.storeBytes(of: UInt32(truncatingIfNeeded: value), toByteOffset: index * 4, as: UInt32.self)
                default: raw.storeBytes(of: value, toByteOffset: index * 8, as: Int64.self)
                }
            }
        }
        return storage
    }

    @inline(__always)
    subscript(index: Int) -> Int64 {
        storage.withUnsafeBufferPointer { buffer in
            let raw = UnsafeRawBufferPointer(buffer)
            return switch width {
            case 1: Int64(raw[index])
            case 2: Int64(raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
            case 4: Int64(raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
            default: raw.loadUnaligned(fromByteOffset: index * 8, as: Int64.self)
            }
        }
    }

    var byteCount: Int { storage.byteCount }

    /// Calls `body` with a reader of the values that loads without touching the array again.
    @inline(__always)
    func withReader<R>(_ body: (Reader) -> R) -> R {
        storage.withUnsafeBufferPointer { body(Reader(raw: UnsafeRawBufferPointer($0), width: width)) }
    }

    /// The values' bytes and width, valid inside ``withReader(_:)``.
    struct Reader {
        let raw: UnsafeRawBufferPointer
        let width: Int

        @inline(__always)
        subscript(index: Int) -> Int64 {
            switch width {
            case 1: Int64(raw[index])
            case 2: Int64(raw.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self))
            case 4: Int64(raw.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
            default: raw.loadUnaligned(fromByteOffset: index &* 8, as: Int64.self)
            }
        }
    }

    /// The sum of `rows`, exactly.
    func sum(_ rows: Range<Int>) -> Int128 {
        storage.withUnsafeBufferPointer { buffer in
            let raw = UnsafeRawBufferPointer(buffer)
            return switch width {
            case 1: Self.sum(raw, UInt8.self, rows)
            case 2: Self.sum(raw, UInt16.self, rows)
            case 4: Self.sum(raw, UInt32.self, rows)
            default: Self.sum(raw, Int64.self, rows)
            }
        }
    }

    /// Adds row `rows.lowerBound + i` to `sums[slots[i] * stride]` for every `i` whose slot is not negative.
    func add(
        _ rows: Range<Int>, slots: UnsafeBufferPointer<Int32>, into sums: UnsafeMutablePointer<Int128>, stride: Int
    ) {
        storage.withUnsafeBufferPointer { buffer in
            let raw = UnsafeRawBufferPointer(buffer)
            switch width {
            case 1: Self.add(raw, UInt8.self, rows, slots, sums, stride)
            case 2: Self.add(raw, UInt16.self, rows, slots, sums, stride)
            case 4: Self.add(raw, UInt32.self, rows, slots, sums, stride)
            default: Self.add(raw, Int64.self, rows, slots, sums, stride)
            }
        }
    }

    @inline(__always)
    private static func sum<T: FixedWidthInteger>(_ raw: UnsafeRawBufferPointer, _: T.Type, _ rows: Range<Int>)
        -> Int128
    {
        var total: Int128 = 0
        for row in rows { total &+= Int128(raw.loadUnaligned(fromByteOffset: row &* T.bitWidth / 8, as: T.self)) }
        return total
    }

    @inline(__always)
    private static func add<T: FixedWidthInteger>(
        _ raw: UnsafeRawBufferPointer, _: T.Type, _ rows: Range<Int>, _ slots: UnsafeBufferPointer<Int32>,
        _ sums: UnsafeMutablePointer<Int128>, _ stride: Int
    ) {
        var offset = 0
        for row in rows {
            let slot = slots[offset]
            offset &+= 1
            if slot >= 0 {
                sums[Int(slot) &* stride] &+= Int128(
                    raw.loadUnaligned(fromByteOffset: row &* T.bitWidth / 8, as: T.self))
            }
        }
    }
}
