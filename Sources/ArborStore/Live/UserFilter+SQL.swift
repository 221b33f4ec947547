import ArborModel

extension UserFilter {
    /// A condition on the `users` row `alias` that holds exactly when ``UserFilter/matches(_:)`` does: a non-empty
    /// list must contain the attribute (a NULL never matches), `active == false` admits every status other than
    /// `active` (NULL included), and `app_installed` must equal the flag (NULL matches neither).
    ///
    /// `alias` is a fixed name from the caller's SQL; the lists are bound parameters.
    func sqlCondition(alias: String, parameters: inout SQLParameters) -> String {
        var conditions: [String] = []
        let lists: [(column: String, values: [String])] = [
            ("role", roles), ("state", states), ("district", districts), ("block", blocks), ("village", villages),
        ]
        for (column, values) in lists where !values.isEmpty {
            let placeholder = parameters.add(.textArray(values))
            conditions.append("\(alias).\(column) = ANY(\(placeholder)::text[])")
        }
        switch active {
        case true?: conditions.append("\(alias).status = 'active'")
        case false?: conditions.append("\(alias).status IS DISTINCT FROM 'active'")
        case nil: break
        }
        switch appInstalled {
        case true?: conditions.append("\(alias).app_installed IS TRUE")
        case false?: conditions.append("\(alias).app_installed IS FALSE")
        case nil: break
        }
        return conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND ")
    }
}

extension RegistrationFilter {
    /// A condition on the `arbor.daily_rollups` row `alias` that holds exactly when
    /// ``RegistrationFilter/matches(_:)`` does (inclusive window; a NULL type or channel never matches a list).
    func sqlCondition(alias: String, parameters: inout SQLParameters) -> String {
        var conditions: [String] = []
        if let from {
            conditions.append("\(alias).day >= \(parameters.add(.text(from.isoString)))::date")
        }
        if let to {
            conditions.append("\(alias).day <= \(parameters.add(.text(to.isoString)))::date")
        }
        if !types.isEmpty {
            conditions.append("\(alias).registration_type = ANY(\(parameters.add(.textArray(types)))::text[])")
        }
        if !channels.isEmpty {
            conditions.append("\(alias).channel = ANY(\(parameters.add(.textArray(channels)))::text[])")
        }
        return conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND ")
    }
}
