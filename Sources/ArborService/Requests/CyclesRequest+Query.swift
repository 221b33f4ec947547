import ArborModel
import ArborWire

extension ArborV1.CyclesRequest {
    /// The validated query this request asks for.
    func query() -> CyclesQuery {
        CyclesQuery(limit: limit)
    }
}
