#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Conversions between `Date` and PostgreSQL's binary `timestamptz`: microseconds since 2000-01-01 00:00 UTC.
enum PostgresTimestamp {
    /// Seconds from 2000-01-01 (PostgreSQL's epoch) to 2001-01-01 (Foundation's reference date).
    static let secondsFromPostgresEpochToReferenceDate: Double = 31_622_400

    static func postgresMicroseconds(from date: Date) -> Int64 {
        let seconds = date.timeIntervalSinceReferenceDate + secondsFromPostgresEpochToReferenceDate
        return Int64((seconds * 1_000_000).rounded())
    }

    static func date(fromPostgresMicroseconds micros: Int64) -> Date {
        Date(timeIntervalSinceReferenceDate: Double(micros) / 1_000_000 - secondsFromPostgresEpochToReferenceDate)
    }
}
