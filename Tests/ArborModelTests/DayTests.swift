import Testing

@testable import ArborModel

@Suite struct DayTests {
    @Test(arguments: [
        ("1970-01-01", Int32(0)), ("1969-12-31", -1), ("2000-02-29", 11_016), ("2024-03-01", 19_783),
        ("2026-11-21", 20_778), ("0001-01-01", -719_162), ("9999-12-31", 2_932_896),
    ])
    func parsesAndFormats(text: String, days: Int32) throws {
        let day = try #require(Day(iso: text))
        #expect(day.daysSinceEpoch == days)
        #expect(day.isoString == text)
        #expect(Day(daysSinceEpoch: days).isoString == text)
    }

    @Test(arguments: [
        "", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-1-01", "2024/01/01",
        "24-01-01", "2024-01-01T00", " 2024-01-01", "0000-01-01", "２０２４-01-01",
    ])
    func rejectsMalformedDates(text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test func everyDayOfFourCenturiesRoundTrips() {
        var day = Day(year: 1900, month: 1, day: 1)!
        let end = Day(year: 2300, month: 1, day: 1)!
        var previous = day.isoString
        while day < end {
            let next = day.advanced(by: 1)
            let text = next.isoString
            #expect(Day(iso: text) == next)
            #expect(text > previous)
            previous = text
            day = next
        }
    }
}
