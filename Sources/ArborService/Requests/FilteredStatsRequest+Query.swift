import ArborModel
import ArborWire

extension ArborV1.FilteredStatsRequest {
    /// The validated query this request asks for.
    func query() throws(QueryError) -> FilteredStatsQuery {
        var dimensions: [StatsDimension] = []
        for dimension in groupBy {
            guard let known = StatsDimension(rawValue: Int(dimension.rawValue)) else {
                throw RequestFields.invalid("group_by", "\(dimension) is not a dimension to group by")
            }
            guard !dimensions.contains(known) else {
                throw RequestFields.invalid("group_by", "\(dimension) appears more than once")
            }
            dimensions.append(known)
        }
        return FilteredStatsQuery(
            root: try RequestFields.userID(root, field: "root"), excludeRoot: excludeRoot, maxDepth: maxDepth,
            userFilter: try RequestFields.userFilter(userFilter, field: "user_filter"),
            registrations: try RequestFields.registrationFilter(
                types: registrationTypes, channels: channels, fromDate: fromDate, toDate: toDate),
            groupBy: dimensions
        )
    }
}
