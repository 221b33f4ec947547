import ArborModel
import ArborWire

extension ArborV1.DescendantsRequest {
    /// The validated query this request asks for.
    func query() throws(QueryError) -> DescendantsQuery {
        DescendantsQuery(
            root: try RequestFields.userID(root, field: "root"), maxDepth: maxDepth,
            filter: try RequestFields.userFilter(filter, field: "filter"), includeRoot: includeRoot, limit: limit
        )
    }
}
