import ArborModel
import ArborWire

/// Which source answered a request and how fresh that answer is; becomes the response's `meta`.
struct AnswerSource: Hashable, Sendable {
    var source: ArborV1.Source
    var stamp: DataStamp
    /// Served past the caller's bound because PostgreSQL could not be reached.
    var stale: Bool

    var meta: ArborV1.ResponseMeta {
        var meta = ArborV1.ResponseMeta()
        meta.source = source
        meta.version = stamp.version
        meta.asOfUnixMs = stamp.asOfUnixMs
        meta.stale = stale
        return meta
    }
}
