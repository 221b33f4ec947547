/// A calendar date as PostgreSQL's `date` holds it: a day count, without time or zone.
///
/// Sorts by date, prints and parses as `YYYY-MM-DD` (the only form the contract accepts).
public struct PostgresDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public var daysSinceUnixEpoch: Int32

    public init(daysSinceUnixEpoch: Int32) { self.daysSinceUnixEpoch = daysSinceUnixEpoch }

    /// The date with these components, or `nil` when they do not name a real date (e.g. February 30) or fall
    /// outside years 1…9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= PostgresDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.daysSinceUnixEpoch = Int32(PostgresDate.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses exactly `YYYY-MM-DD` naming a real date; anything else is `nil`.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in utf8[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Year, month (1–12) and day (1–31).
    public var components: (year: Int, month: Int, day: Int) {
        PostgresDate.civilFromDays(Int(self.daysSinceUnixEpoch))
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = self.components
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    public static func < (lhs: PostgresDate, rhs: PostgresDate) -> Bool {
        lhs.daysSinceUnixEpoch < rhs.daysSinceUnixEpoch
    }

    /// Days between 1970-01-01 and 2000-01-01, PostgreSQL's epoch for `date` and `timestamp`.
    static let postgresEpochOffset: Int32 = 10_957

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
