import ArborModel
import Foundation

@testable import ArborStore

/// `arbor.rollup_packs` decoded and compared with `arbor.daily_rollups`.
enum Packs {
    /// What the packs hold, what they should hold, and every rule a pack broke.
    struct Comparison {
        /// The entries of every pack, by rollup key.
        var packed: [RollupKey: Int64] = [:]
        /// The rollup rows a pack must hold: registrations <> 0, user and day not NULL.
        var expected: [RollupKey: Int64] = [:]
        var problems: [String] = []
        var packCount = 0
        var emptyPacks = 0
    }

    static func compare(_ connection: PostgresConnection) throws -> Comparison {
        var comparison = Comparison()
        var kinds: [Int32: (String?, String?)] = [:]
        for row in try connection.query("SELECT code, registration_type, channel FROM arbor.rollup_kinds") {
            kinds[try row.decode(Int32.self, at: 0)] = (
                try row.decode(String?.self, at: 1), try row.decode(String?.self, at: 2)
            )
        }
        var entries: [RollupEntry] = []
        for row in try connection.query("SELECT user_id, month, row_count, entries FROM arbor.rollup_packs") {
            let user = try row.userID(at: 0)
            let month = try row.decode(Day.self, at: 1)
            let rowCount = try row.decode(Int32.self, at: 2)
            let bytes = try row.decode([UInt8].self, at: 3)
            comparison.packCount += 1
            if rowCount == 0 { comparison.emptyPacks += 1 }
            if month.components.day != 1 { comparison.problems.append("pack \(user) \(month): not a month start") }
            entries.removeAll(keepingCapacity: true)
            do {
                try RollupPack.decode(bytes[...], rowCount: rowCount, user: user, month: month, into: &entries)
            } catch {
                comparison.problems.append("pack \(user) \(month): \(error)")
                continue
            }
            for (previous, next) in zip(entries, entries.dropFirst())
            where (previous.day, previous.kind) >= (next.day, next.kind) {
                comparison.problems.append("pack \(user) \(month): entries out of (day, kind) order")
            }
            for entry in entries {
                let (year, monthNumber, _) = entry.day.components
                if (year, monthNumber) != (month.components.year, month.components.month) {
                    comparison.problems.append("pack \(user) \(month): \(entry.day) outside the month")
                }
                guard let kind = kinds[entry.kind] else {
                    comparison.problems.append("pack \(user) \(month): unknown kind \(entry.kind)")
                    continue
                }
                let key = RollupKey(user: user.uuid, day: entry.day, type: kind.0, channel: kind.1)
                if comparison.packed[key] != nil { comparison.problems.append("\(key) packed twice") }
                comparison.packed[key] = entry.registrations
            }
        }
        for (key, count) in try Rollups.read(connection) where count != 0 && key.user != nil && key.day != nil {
            comparison.expected[key] = count
        }
        return comparison
    }
}
