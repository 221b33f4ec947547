import ArborModel

/// The `entries` format of `arbor.rollup_packs` (schema/migrations/0010_rollup_packs.sql): one user's rollup rows
/// of one month, 14 bytes each, big-endian,
///
///     int2 day offset from the pack's month || int4 rollup_kinds.code || int8 registrations
///
/// in (day, code) order; the pack's `row_count` says how many.
enum RollupPack {
    /// Bytes per entry.
    static let entrySize = 14

    /// Appends the entries of the pack (`user`, `month`) in `bytes` to `entries`, with no allocation beyond the
    /// array's growth.
    ///
    /// - Throws: ``StoreError/Code/decodingFailed`` naming the user and month when the length is not a multiple of
    ///   14 or does not match `rowCount`, or a day offset is outside 0...30.
    static func decode(
        _ bytes: ArraySlice<UInt8>, rowCount: Int32, user: UserID, month: Day, into entries: inout [RollupEntry]
    ) throws {
        guard bytes.count % entrySize == 0, bytes.count == Int(rowCount) * entrySize else {
            throw StoreError(
                .decodingFailed,
                "rollup pack of user \(user), month \(month): \(bytes.count) bytes of entries for row_count "
                    + "\(rowCount) (\(entrySize) bytes each)")
        }
        let first = month.daysSinceEpoch
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let day = Int16(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self))
                // One unsigned comparison rejects negative offsets too.
                guard UInt16(bitPattern: day) <= 30 else {
                    throw StoreError(
                        .decodingFailed,
                        "rollup pack of user \(user), month \(month): entry \(offset / entrySize) has day offset \(day)"
                    )
                }
                let kind = Int32(bigEndian: raw.loadUnaligned(fromByteOffset: offset + 2, as: Int32.self))
                let registrations = Int64(bigEndian: raw.loadUnaligned(fromByteOffset: offset + 6, as: Int64.self))
                entries.append(
                    RollupEntry(
                        day: Day(daysSinceEpoch: first &+ Int32(day)), kind: kind, registrations: registrations))
                offset += entrySize
            }
        }
    }
}
