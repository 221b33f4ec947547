/// Where an answer came from and how fresh it is (the response's `ResponseMeta`).
public struct ResponseMeta: Hashable, Sendable {
    /// Which path answered.
    public enum Source: Hashable, Sendable, CustomStringConvertible {
        /// The server did not say (a response without meta, or `SOURCE_UNSPECIFIED`).
        case unspecified
        /// The in-memory snapshot.
        case cache
        /// Live SQL on PostgreSQL.
        case live
        /// A source this client version does not name.
        case unrecognized(Int32)

        public var description: String {
            switch self {
            case .unspecified: "unspecified"
            case .cache: "cache"
            case .live: "live"
            case .unrecognized(let value): "source(\(value))"
            }
        }
    }

    /// The path that answered.
    public var source: Source
    /// When the data was read (the snapshot's PostgreSQL snapshot, or the live transaction), in Unix milliseconds.
    public var asOfUnixMilliseconds: Int64
    /// The data's version; pass it as ``Freshness/minVersion`` to read your own writes' successors.
    public var version: UInt64
    /// Served from a snapshot past the staleness bound because PostgreSQL could not be reached.
    public var stale: Bool

    public init(source: Source, asOfUnixMilliseconds: Int64, version: UInt64, stale: Bool) {
        self.source = source
        self.asOfUnixMilliseconds = asOfUnixMilliseconds
        self.version = version
        self.stale = stale
    }

    /// Reads the wire message; a missing one reads as an unspecified source at time 0.
    public init(_ message: ArborV2.ResponseMeta?) {
        let message = message ?? ArborV2.ResponseMeta()
        let source: Source =
            switch message.source {
            case .unspecified: .unspecified
            case .cache: .cache
            case .live: .live
            case .unrecognized(let value): .unrecognized(value)
            }
        self.init(
            source: source,
            asOfUnixMilliseconds: message.asOfUnixMs,
            version: message.version,
            stale: message.stale
        )
    }

    /// How old the data was at `nowUnixMilliseconds` (never negative: clocks of client and server may differ).
    public func ageMilliseconds(nowUnixMilliseconds: Int64) -> Int64 {
        max(0, nowUnixMilliseconds - asOfUnixMilliseconds)
    }
}

/// A response's value together with its ``ResponseMeta``.
public struct Answer<Value: Sendable>: Sendable {
    /// The answer itself.
    public var value: Value
    /// Where it came from and how fresh it is.
    public var meta: ResponseMeta

    public init(value: Value, meta: ResponseMeta) {
        self.value = value
        self.meta = meta
    }
}

extension Answer: Equatable where Value: Equatable {}
