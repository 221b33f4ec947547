import ArborModel
import ArborStore
import ArborTestSupport
import Foundation

/// One rollup key and its count, for comparing rollups with raw rows.
struct RollupKey: Hashable, Sendable, CustomStringConvertible {
    var user: UUID?
    var day: Day?
    var type: String?
    var channel: String?

    var description: String {
        "\(user?.uuidString.prefix(8) ?? "NULL")/\(day?.description ?? "NULL")/\(type ?? "NULL")/\(channel ?? "NULL")"
    }
}

enum Rollups {
    static func read(_ connection: PostgresConnection) throws -> [RollupKey: Int64] {
        var result: [RollupKey: Int64] = [:]
        for row in try connection.query(
            "SELECT user_id, day, registration_type, channel, registrations FROM arbor.daily_rollups")
        {
            let key = RollupKey(
                user: try row.decode(UUID?.self, at: 0), day: try row.decode(Day?.self, at: 1),
                type: try row.decode(String?.self, at: 2), channel: try row.decode(String?.self, at: 3))
            result[key] = try row.decode(Int64.self, at: 4)
        }
        return result
    }

    /// The same aggregation computed from the raw rows.
    static func fromRegistrations(_ connection: PostgresConnection) throws -> [RollupKey: Int64] {
        var result: [RollupKey: Int64] = [:]
        for row in try connection.query(
            """
            SELECT created_by, (created_at AT TIME ZONE arbor.time_zone())::date, registration_type, channel, count(*)
            FROM registrations GROUP BY 1, 2, 3, 4
            """)
        {
            let key = RollupKey(
                user: try row.decode(UUID?.self, at: 0), day: try row.decode(Day?.self, at: 1),
                type: try row.decode(String?.self, at: 2), channel: try row.decode(String?.self, at: 3))
            result[key] = try row.decode(Int64.self, at: 4)
        }
        return result
    }

    /// `base` with the rollup deltas of `entries` applied; zero counts removed.
    static func apply(_ entries: [ChangeLogEntry], to base: [RollupKey: Int64]) -> [RollupKey: Int64] {
        var result = base
        for entry in entries where entry.kind == .rollup {
            let key = RollupKey(
                user: entry.userID, day: entry.day, type: entry.registrationType, channel: entry.channel)
            result[key, default: 0] += entry.delta
            if result[key] == 0 { result[key] = nil }
        }
        return result
    }
}
