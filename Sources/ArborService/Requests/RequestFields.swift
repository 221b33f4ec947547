import ArborModel
import ArborWire

/// Field-level validation shared by every call: ids, dates, filters and limits, each failing with a message
/// that names the field as `arbor.proto` spells it.
enum RequestFields {
    /// A required user id: exactly 16 bytes.
    static func userID(_ bytes: [UInt8], field: String) throws(QueryError) -> UserID {
        guard let id = UserID(bytes: bytes) else {
            throw invalid(field, "must be a 16-byte user id, got \(bytes.count) bytes")
        }
        return id
    }

    /// An optional user id: empty means not set, otherwise exactly 16 bytes.
    static func optionalUserID(_ bytes: [UInt8], field: String) throws(QueryError) -> UserID? {
        bytes.isEmpty ? nil : try userID(bytes, field: field)
    }

    /// The registration filter of a request: types, channels and an inclusive `YYYY-MM-DD` window.
    static func registrationFilter(
        types: [String], channels: [String], fromDate: String, toDate: String
    ) throws(QueryError) -> RegistrationFilter {
        try text(types, field: "registration_types")
        try text(channels, field: "channels")
        let from = try day(fromDate, field: "from_date")
        let to = try day(toDate, field: "to_date")
        if let from, let to, from > to {
            throw invalid("from_date", "\(from) is after to_date \(to)")
        }
        return RegistrationFilter(types: types, channels: channels, from: from, to: to)
    }

    /// A date bound: empty means unbounded; otherwise exactly `YYYY-MM-DD` naming a real date.
    static func day(_ text: String, field: String) throws(QueryError) -> Day? {
        guard !text.isEmpty else { return nil }
        guard let day = Day(iso: text) else {
            throw invalid(field, "\"\(text.prefix(40))\" is not a date of the form YYYY-MM-DD")
        }
        return day
    }

    /// A user filter; an absent message filters nothing.
    static func userFilter(_ filter: ArborV1.UserFilter?, field: String) throws(QueryError) -> UserFilter {
        guard let filter else { return UserFilter() }
        for (name, values) in [
            ("roles", filter.roles), ("states", filter.states), ("districts", filter.districts),
            ("blocks", filter.blocks), ("villages", filter.villages),
        ] {
            try text(values, field: "\(field).\(name)")
        }
        return UserFilter(
            roles: filter.roles, states: filter.states, districts: filter.districts, blocks: filter.blocks,
            villages: filter.villages, active: filter.active, appInstalled: filter.appInstalled
        )
    }

    /// A page size: 0 means `defaultValue`, above `maximum` is refused.
    static func limit(_ value: UInt32, default defaultValue: UInt32, maximum: UInt32) throws(QueryError) -> UInt32 {
        guard value <= maximum else { throw invalid("limit", "at most \(maximum), got \(value)") }
        return value == 0 ? defaultValue : value
    }

    /// Text compared with database values: PostgreSQL text cannot hold NUL, so no value contains one and a
    /// request naming one is malformed (refused the same way whichever path would answer).
    static func text(_ values: [String], field: String) throws(QueryError) {
        for value in values { try text(value, field: field) }
    }

    static func text(_ value: String, field: String) throws(QueryError) {
        guard !value.utf8.contains(0) else { throw invalid(field, "contains a NUL character, which no value can hold") }
    }

    static func invalid(_ field: String, _ problem: String) -> QueryError {
        QueryError(code: .invalidArgument, field: field, message: "\(field): \(problem)")
    }
}
