import ArborHTTP2

/// What the last `NodesChunk` says about the whole answer.
public struct TraversalSummary: Hashable, Sendable {
    /// Matches before `limit` was applied.
    public var total: UInt64
    /// Where the answer came from and how fresh it is.
    public var meta: ResponseMeta

    public init(total: UInt64, meta: ResponseMeta) {
        self.total = total
        self.meta = meta
    }
}

/// The nodes of one `NodesChunk`, in order, and on the last chunk the ``TraversalSummary``.
public struct TraversalBatch: Hashable, Sendable {
    public var nodes: [TraversedNode]
    /// Set on the last batch only.
    public var summary: TraversalSummary?

    public init(nodes: [TraversedNode], summary: TraversalSummary?) {
        self.nodes = nodes
        self.summary = summary
    }

    /// Decodes a raw chunk of a request that asked for `attributes` columns and, with `includeParents`, parents.
    ///
    /// - Throws: INTERNAL when ids, depths, parents and columns do not align.
    public init(_ chunk: ArborV2.NodesChunk, attributes: Int, includeParents: Bool) throws(RPCError) {
        let ids = try ResponseDecoding.ids(chunk.ids, field: "NodesChunk.ids")
        guard ids.count == chunk.depths.count else {
            throw ResponseDecoding.malformed("NodesChunk has \(ids.count) ids but \(chunk.depths.count) depths")
        }
        let parents = try ResponseDecoding.ids(chunk.parents, field: "NodesChunk.parents")
        guard parents.count == (includeParents ? ids.count : 0) else {
            throw ResponseDecoding.malformed("NodesChunk has \(ids.count) ids but \(parents.count) parents")
        }
        // A chunk without nodes may leave its columns out.
        guard chunk.attributes.count == attributes || (ids.isEmpty && chunk.attributes.isEmpty) else {
            throw ResponseDecoding.malformed(
                "NodesChunk has \(chunk.attributes.count) attribute columns, not the \(attributes) asked for")
        }
        for column in chunk.attributes where column.values.count != ids.count {
            throw ResponseDecoding.malformed(
                "a NodesChunk column has \(column.values.count) values for \(ids.count) ids")
        }
        var nodes: [TraversedNode] = []
        nodes.reserveCapacity(ids.count)
        for index in ids.indices {
            nodes.append(
                TraversedNode(
                    id: ids[index], depth: chunk.depths[index], parent: includeParents ? parents[index] : nil,
                    values: chunk.attributes.map { $0.values[index] }))
        }
        self.init(
            nodes: nodes, summary: chunk.meta.map { TraversalSummary(total: chunk.total, meta: ResponseMeta($0)) })
    }
}

/// A running `Descendants` or `Ancestors` call: its nodes as they arrive, one chunk at a time, never buffered whole.
///
/// Iterate it once, either node by node (``makeAsyncIterator()``, whose iterator holds the ``TraversalSummary``
/// after the last node) or chunk by chunk (``batches``). Stopping early resets the stream on the server.
///
/// ```swift
/// var nodes = try await client.descendants(TraversalQuery(root: "42")).makeAsyncIterator()
/// while let node = try await nodes.next() { print(node.depth, node.id) }
/// print(nodes.summary?.total ?? 0)
/// ```
public struct TraversalStream: AsyncSequence, Sendable {
    public typealias Element = TraversedNode
    public typealias Failure = RPCError

    let chunks: RPCResponseStream<ArborV2.NodesChunk>
    let attributes: Int
    let includeParents: Bool
    let onError: @Sendable (RPCError) -> Void

    /// The raw response messages.
    public var messages: RPCResponseStream<ArborV2.NodesChunk> { chunks }

    /// The answer chunk by chunk; the last batch carries the summary.
    public var batches: Batches { Batches(stream: self) }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(batches: batches.makeAsyncIterator())
    }

    /// Reads every node into memory; for small answers and tests.
    public func collect() async throws(RPCError) -> (nodes: [TraversedNode], summary: TraversalSummary) {
        var nodes: [TraversedNode] = []
        var iterator = batches.makeAsyncIterator()
        while let batch = try await iterator.next() {
            nodes += batch.nodes
            if let summary = batch.summary { return (nodes, summary) }
        }
        throw ResponseDecoding.malformed("the stream ended without meta on its last chunk")
    }

    /// The answer as ``TraversalBatch`` values.
    public struct Batches: AsyncSequence, Sendable {
        public typealias Element = TraversalBatch
        public typealias Failure = RPCError

        let stream: TraversalStream

        public func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(
                base: stream.chunks.makeAsyncIterator(), attributes: stream.attributes,
                includeParents: stream.includeParents, onError: stream.onError)
        }

        public struct AsyncIterator: AsyncIteratorProtocol {
            var base: RPCResponseStream<ArborV2.NodesChunk>.AsyncIterator
            let attributes: Int
            let includeParents: Bool
            let onError: @Sendable (RPCError) -> Void
            var finished = false

            public mutating func next() async throws(RPCError) -> TraversalBatch? {
                try await next(isolation: nil)
            }

            public mutating func next(isolation actor: isolated (any Actor)?) async throws(RPCError)
                -> TraversalBatch?
            {
                guard !finished else { return nil }
                do {
                    guard let chunk = try await base.next(isolation: actor) else {
                        finished = true
                        return nil
                    }
                    return try TraversalBatch(chunk, attributes: attributes, includeParents: includeParents)
                } catch {
                    finished = true
                    onError(error)
                    throw error
                }
            }
        }
    }

    /// Iterates nodes; ``summary`` is set once the last chunk has been read.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var batches: Batches.AsyncIterator
        var pending: [TraversedNode] = []
        var position = 0
        /// Total and meta, once the last chunk has arrived.
        public private(set) var summary: TraversalSummary?

        public mutating func next() async throws(RPCError) -> TraversedNode? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(RPCError) -> TraversedNode? {
            while position == pending.count {
                guard let batch = try await batches.next(isolation: actor) else { return nil }
                pending = batch.nodes
                position = 0
                if let summary = batch.summary { self.summary = summary }
            }
            defer { position += 1 }
            return pending[position]
        }
    }
}

extension ArborClient {
    /// `Descendants`: every node reachable from the root by one or more edges (never the root itself unless
    /// `includeRoot`), streamed as it arrives.
    public func descendants(
        _ query: TraversalQuery,
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> TraversalStream {
        try await descendants(query.message(freshness: freshness), timeout: timeout)
    }

    /// `Ancestors`: every node from which the root is reachable, streamed as it arrives.
    public func ancestors(
        _ query: TraversalQuery,
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> TraversalStream {
        try await ancestors(query.message(freshness: freshness), timeout: timeout)
    }

    /// `Descendants` with a raw request message.
    public func descendants(
        _ request: ArborV2.TraversalRequest,
        timeout: Duration? = nil
    ) async throws(RPCError) -> TraversalStream {
        try await traversal(path: ArborMethod.descendants, request: request, timeout: timeout)
    }

    /// `Ancestors` with a raw request message.
    public func ancestors(
        _ request: ArborV2.TraversalRequest,
        timeout: Duration? = nil
    ) async throws(RPCError) -> TraversalStream {
        try await traversal(path: ArborMethod.ancestors, request: request, timeout: timeout)
    }

    private func traversal(
        path: String, request: ArborV2.TraversalRequest, timeout: Duration?
    ) async throws(RPCError) -> TraversalStream {
        let lease = try await pool.lease()
        let chunks = lease.connection.serverStreaming(
            path: path, request: request, as: ArborV2.NodesChunk.self,
            timeout: timeout ?? configuration.defaultTimeout)
        let pool = pool
        return TraversalStream(
            chunks: chunks, attributes: request.attributes.count, includeParents: request.includeParents
        ) { error in pool.report(error, on: lease) }
    }
}
