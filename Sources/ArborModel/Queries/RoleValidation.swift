// Only role names are validated; both query paths call these with the roles they know, so an unknown role is
// reported identically (first unknown role in request order) whichever path answers.

extension UserFilter {
    /// Throws for the first role not in `knownRoles`; `field` is the filter's name in the request.
    public func validateRoles(_ knownRoles: Set<String>, field: String) throws(QueryError) {
        if let unknown = roles.first(where: { !knownRoles.contains($0) }) {
            throw .unknownRole(unknown, field: "\(field).roles")
        }
    }
}

extension DescendantsQuery {
    /// Throws when `filter.roles` names a role that does not exist.
    public func validateRoles(_ knownRoles: Set<String>) throws(QueryError) {
        try filter.validateRoles(knownRoles, field: "filter")
    }
}

extension FilteredStatsQuery {
    /// Throws when `user_filter.roles` names a role that does not exist.
    public func validateRoles(_ knownRoles: Set<String>) throws(QueryError) {
        try userFilter.validateRoles(knownRoles, field: "user_filter")
    }
}

extension LeaderboardQuery {
    /// Throws when `filter.roles` or the DOWNLINE_ROLE `order_role` names a role that does not exist.
    public func validateRoles(_ knownRoles: Set<String>) throws(QueryError) {
        try filter.validateRoles(knownRoles, field: "filter")
        if case .downlineRole(let role) = metric, !knownRoles.contains(role) {
            throw .unknownRole(role, field: "order_role")
        }
    }
}
