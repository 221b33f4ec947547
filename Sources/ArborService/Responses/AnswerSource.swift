import ArborModel
import ArborWire

/// Which source answered a request and how fresh that answer is; becomes the response's `meta`.
struct AnswerSource: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case cache, live
    }

    var source: Kind
    var stamp: DataStamp
    /// Served past the caller's bound because PostgreSQL could not be reached.
    var stale: Bool

    var metaV2: ArborV2.ResponseMeta {
        ArborV2.ResponseMeta(
            source: source == .cache ? .cache : .live, asOfUnixMs: stamp.asOfUnixMs, version: stamp.version,
            stale: stale)
    }
}
