import ArborModel
import ArborWire

extension ArborV1.LeaderboardRequest {
    /// Rows a request gets when it leaves `limit` at 0.
    static let defaultLimit: UInt32 = 50
    /// Most rows one request may ask for.
    static let maximumLimit: UInt32 = 1000

    /// The validated query this request asks for.
    func query() throws(QueryError) -> LeaderboardQuery {
        let metric: LeaderboardMetric
        switch orderBy {
        case .unspecified, .treeRegistrations: metric = .treeRegistrations
        case .selfRegistrations: metric = .selfRegistrations
        case .directChildren: metric = .directChildren
        case .downlineSize: metric = .downlineSize
        case .downlineRole:
            guard !orderRole.isEmpty else {
                throw RequestFields.invalid("order_role", "required when order_by is DOWNLINE_ROLE")
            }
            try RequestFields.text(orderRole, field: "order_role")
            metric = .downlineRole(orderRole)
        case .unrecognized(let value):
            throw RequestFields.invalid("order_by", "\(value) is not a metric")
        }
        return LeaderboardQuery(
            metric: metric, ascending: ascending, filter: try RequestFields.userFilter(filter, field: "filter"),
            within: try RequestFields.optionalUserID(within, field: "within"),
            registrations: try RequestFields.registrationFilter(
                types: registrationTypes, channels: channels, fromDate: fromDate, toDate: toDate),
            limit: try RequestFields.limit(limit, default: Self.defaultLimit, maximum: Self.maximumLimit),
            offset: offset
        )
    }
}
