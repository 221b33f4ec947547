import ArborClient

/// How the CLI shows a ``ResponseMeta``.
public enum MetaText {
    /// The table footer, e.g. `source: cache, as of 1.2 s ago, version 12345`.
    public static func footer(_ meta: ResponseMeta, nowUnixMilliseconds: Int64) -> String {
        var text =
            "source: \(meta.source), as of \(age(milliseconds: meta.ageMilliseconds(nowUnixMilliseconds: nowUnixMilliseconds))) ago, version \(meta.version)"
        if meta.stale { text += ", STALE (PostgreSQL unreachable; served past the staleness bound)" }
        return text
    }

    /// An age for people: `0.4 s`, `12.0 s`, `3 min 5 s`, `2 h 1 min`, `3 d 4 h`.
    public static func age(milliseconds: Int64) -> String {
        let ms = max(0, milliseconds)
        if ms < 60_000 {
            let tenths = (ms + 50) / 100
            return "\(tenths / 10).\(tenths % 10) s"
        }
        let seconds = ms / 1000
        if seconds < 3600 { return "\(seconds / 60) min \(seconds % 60) s" }
        if seconds < 86_400 { return "\(seconds / 3600) h \(seconds % 3600 / 60) min" }
        return "\(seconds / 86_400) d \(seconds % 86_400 / 3600) h"
    }

    /// The meta as a JSON object.
    public static func json(_ meta: ResponseMeta) -> JSONValue {
        .object([
            ("source", .string(meta.source.description)),
            ("as_of", .string(isoTimestamp(unixMilliseconds: meta.asOfUnixMilliseconds))),
            ("as_of_unix_ms", .int(meta.asOfUnixMilliseconds)),
            ("version", .uint(meta.version)),
            ("stale", .bool(meta.stale)),
        ])
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC.
    public static func isoTimestamp(unixMilliseconds: Int64) -> String {
        let (days, msOfDay) = unixMilliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let adjustedDays = msOfDay < 0 ? days - 1 : days
        let ms = msOfDay < 0 ? msOfDay + 86_400_000 : msOfDay
        let day = Day(daysSinceEpoch: Int32(clamping: adjustedDays))
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = ms % 1000
        let millisText = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return
            "\(day.isoString)T\(two(ms / 3_600_000)):\(two(ms / 60_000 % 60)):\(two(ms / 1000 % 60)).\(millisText)Z"
    }
}
