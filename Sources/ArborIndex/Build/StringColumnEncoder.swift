/// Dictionary-encodes one optional text field of many rows in one pass.
///
/// Values get provisional codes in order of appearance; a direct-mapped cache keyed by the raw bits of the field
/// (equal bits are equal values: a small string keeps its bytes inline, a large one is the same live storage)
/// answers repeated values without hashing their bytes. The provisional codes are then renumbered so that codes
/// follow byte order (``StringTable``).
enum StringColumnEncoder {
    static func encode<Row>(
        _ rows: [Row], _ field: KeyPath<Row, String?>, extra: [String] = []
    ) -> (table: StringTable, codes: [UInt32]) {
        var provisionalCodes = [UInt32](repeating: 0, count: rows.count)
        var distinct: [String] = []
        var lookup: [ByteString: UInt32] = [:]
        var cache = [(bits: (UInt64, UInt64), code: UInt32)?](repeating: nil, count: 4096)
        let offset = MemoryLayout<Row>.offset(of: field)
        let usable = offset != nil && MemoryLayout<String?>.size == 16
        rows.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress)
            for index in buffer.indices {
                var slot = -1
                var bits: (UInt64, UInt64) = (0, 0)
                if usable, let base, let offset {
                    bits = base.load(
                        fromByteOffset: index * MemoryLayout<Row>.stride + offset, as: (UInt64, UInt64).self)
                    let mixed = (bits.0 &* 0x9E37_79B9_7F4A_7C15) ^ (bits.1 &* 0xC2B2_AE3D_27D4_EB4F)
                    slot = Int(mixed >> 52)
                    if let entry = cache[slot], entry.bits == bits {
                        provisionalCodes[index] = entry.code
                        continue
                    }
                }
                let code: UInt32
                if let value = buffer[index][keyPath: field] {
                    let key = ByteString(value)
                    if let known = lookup[key] {
                        code = known
                    } else {
                        distinct.append(value)
                        code = UInt32(distinct.count)
                        lookup[key] = code
                    }
                } else {
                    code = StringTable.null
                }
                provisionalCodes[index] = code
                if slot >= 0 { cache[slot] = (bits, code) }
            }
        }
        let table = StringTable(distinct: distinct, extra: extra)
        // Renumber: provisional code p (1-based order of appearance) → code in byte order.
        var final = [UInt32](repeating: StringTable.null, count: distinct.count + 1)
        for (position, value) in distinct.enumerated() { final[position + 1] = table.code(of: value)! }
        return (table, provisionalCodes.map { final[Int($0)] })
    }
}
