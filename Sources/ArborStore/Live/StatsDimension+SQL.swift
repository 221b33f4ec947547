import ArborModel

extension StatsDimension {
    /// The key expression of this dimension over the `users` row `u` and the `arbor.daily_rollups` row `r`: byte
    /// order (`COLLATE "C"`), NULL as `''`, DAY as `YYYY-MM-DD`, USER as canonical UUID text. Fixed text per case.
    var sqlKey: String {
        switch self {
        case .day: "to_char(r.day, 'YYYY-MM-DD') COLLATE \"C\""
        case .role: "coalesce(u.role, '') COLLATE \"C\""
        case .user: "u.id::text COLLATE \"C\""
        case .state: "coalesce(u.state, '') COLLATE \"C\""
        case .district: "coalesce(u.district, '') COLLATE \"C\""
        case .block: "coalesce(u.block, '') COLLATE \"C\""
        case .village: "coalesce(u.village, '') COLLATE \"C\""
        case .registrationType: "coalesce(r.registration_type, '') COLLATE \"C\""
        case .channel: "coalesce(r.channel, '') COLLATE \"C\""
        }
    }
}
