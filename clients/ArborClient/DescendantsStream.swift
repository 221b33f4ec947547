import ArborHTTP2

/// What the last `DescendantsChunk` says about the whole answer.
public struct DescendantsSummary: Hashable, Sendable {
    /// Matches before `limit` was applied.
    public var total: UInt64
    public var meta: ResponseMeta

    public init(total: UInt64, meta: ResponseMeta) {
        self.total = total
        self.meta = meta
    }
}

/// The entries of one `DescendantsChunk`, in order, and on the last chunk the ``DescendantsSummary``.
public struct DescendantsBatch: Hashable, Sendable {
    public var entries: [DescendantEntry]
    /// Set on the last batch only.
    public var summary: DescendantsSummary?

    public init(entries: [DescendantEntry], summary: DescendantsSummary?) {
        self.entries = entries
        self.summary = summary
    }

    /// Decodes a raw chunk; INTERNAL when its ids are not whole 16-byte ids or do not match its depths.
    public init(_ chunk: ArborV1.DescendantsChunk) throws(RPCError) {
        let ids = try ResponseDecoding.ids(chunk.ids, field: "DescendantsChunk.ids")
        guard ids.count == chunk.depths.count else {
            throw ResponseDecoding.malformed("DescendantsChunk has \(ids.count) ids but \(chunk.depths.count) depths")
        }
        var entries: [DescendantEntry] = []
        entries.reserveCapacity(ids.count)
        for (id, depth) in zip(ids, chunk.depths) { entries.append(DescendantEntry(id: id, depth: depth)) }
        self.init(
            entries: entries,
            summary: chunk.meta.map { DescendantsSummary(total: chunk.total, meta: ResponseMeta($0)) })
    }
}

/// A running `Descendants` call: its entries as they arrive, one chunk at a time, never buffered whole.
///
/// Iterate it once, either entry by entry (``makeAsyncIterator()``, whose iterator holds the ``DescendantsSummary``
/// after the last entry) or chunk by chunk (``batches``). Stopping early resets the stream on the server.
///
/// ```swift
/// var entries = try await client.descendants(DescendantsQuery(root: id)).makeAsyncIterator()
/// while let entry = try await entries.next() { print(entry.depth, entry.id) }
/// print(entries.summary?.total ?? 0)
/// ```
public struct DescendantsStream: AsyncSequence, Sendable {
    public typealias Element = DescendantEntry
    public typealias Failure = RPCError

    let chunks: RPCResponseStream<ArborV1.DescendantsChunk>
    let onError: @Sendable (RPCError) -> Void

    /// The raw response messages.
    public var messages: RPCResponseStream<ArborV1.DescendantsChunk> { chunks }

    /// The answer chunk by chunk; the last batch carries the summary.
    public var batches: Batches { Batches(stream: self) }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(batches: batches.makeAsyncIterator())
    }

    /// Reads every entry into memory; for small answers and tests.
    public func collect() async throws(RPCError) -> (entries: [DescendantEntry], summary: DescendantsSummary) {
        var entries: [DescendantEntry] = []
        var iterator = batches.makeAsyncIterator()
        while let batch = try await iterator.next() {
            entries += batch.entries
            if let summary = batch.summary { return (entries, summary) }
        }
        throw ResponseDecoding.malformed("the Descendants stream ended without meta on its last chunk")
    }

    /// The answer as ``DescendantsBatch`` values.
    public struct Batches: AsyncSequence, Sendable {
        public typealias Element = DescendantsBatch
        public typealias Failure = RPCError

        let stream: DescendantsStream

        public func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(base: stream.chunks.makeAsyncIterator(), onError: stream.onError)
        }

        public struct AsyncIterator: AsyncIteratorProtocol {
            var base: RPCResponseStream<ArborV1.DescendantsChunk>.AsyncIterator
            let onError: @Sendable (RPCError) -> Void
            var finished = false

            public mutating func next() async throws(RPCError) -> DescendantsBatch? {
                try await next(isolation: nil)
            }

            public mutating func next(isolation actor: isolated (any Actor)?) async throws(RPCError)
                -> DescendantsBatch?
            {
                guard !finished else { return nil }
                do {
                    guard let chunk = try await base.next(isolation: actor) else {
                        finished = true
                        return nil
                    }
                    return try DescendantsBatch(chunk)
                } catch {
                    finished = true
                    onError(error)
                    throw error
                }
            }
        }
    }

    /// Iterates entries; ``summary`` is set once the last chunk has been read.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var batches: Batches.AsyncIterator
        var pending: [DescendantEntry] = []
        var position = 0
        /// Total and meta, once the last chunk has arrived.
        public private(set) var summary: DescendantsSummary?

        public mutating func next() async throws(RPCError) -> DescendantEntry? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(RPCError) -> DescendantEntry? {
            while position == pending.count {
                guard let batch = try await batches.next(isolation: actor) else { return nil }
                pending = batch.entries
                position = 0
                if let summary = batch.summary { self.summary = summary }
            }
            defer { position += 1 }
            return pending[position]
        }
    }
}

extension ArborClient {
    /// `Descendants`: starts the call and returns its entries as they stream in.
    public func descendants(
        _ query: DescendantsQuery,
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> DescendantsStream {
        try await descendants(query.message(freshness: freshness), timeout: timeout)
    }

    /// `Descendants` with a raw request message.
    public func descendants(
        _ request: ArborV1.DescendantsRequest,
        timeout: Duration? = nil
    ) async throws(RPCError) -> DescendantsStream {
        let lease = try await pool.lease()
        let chunks = lease.connection.serverStreaming(
            path: ArborMethod.descendants, request: request, as: ArborV1.DescendantsChunk.self,
            timeout: timeout ?? configuration.defaultTimeout)
        let pool = pool
        return DescendantsStream(chunks: chunks) { error in pool.report(error, on: lease) }
    }
}
