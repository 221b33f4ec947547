/// A `FindNodes` request: nodes by label prefix, by id, by attributes, or any of these together (all must hold).
public struct NodeSearch: Hashable, Sendable {
    /// Labels that start with this: ASCII letters case-insensitively, every other character exactly.
    public var labelPrefix: String?
    /// Nodes with these ids (canonical text); unknown ids are left out.
    public var ids: [String]?
    /// Nodes whose attributes match (all must hold).
    public var filter: [Match]
    /// Attributes returned for each node; empty returns all of them.
    public var attributes: [String]
    /// Nodes per page, 1…1000; 0 means 20.
    public var pageSize: UInt32

    public init(
        labelPrefix: String? = nil, ids: [String]? = nil, filter: [Match] = [], attributes: [String] = [],
        pageSize: UInt32 = 0
    ) {
        self.labelPrefix = labelPrefix
        self.ids = ids
        self.filter = filter
        self.attributes = attributes
        self.pageSize = pageSize
    }

    /// The request message for the page `pageToken` continues to (`""`: the first).
    public func message(freshness: Freshness = .serverDefault, pageToken: String = "") -> ArborV2.FindNodesRequest {
        ArborV2.FindNodesRequest(
            labelPrefix: labelPrefix ?? "", ids: ids ?? [], filter: filter.map(\.message), attributes: attributes,
            limit: pageSize, freshness: freshness.message, pageToken: pageToken)
    }
}

/// A node as `FindNodes` returns it.
public struct NodeRecord: Hashable, Sendable {
    /// The node's id (canonical text).
    public var id: String
    /// `""` when the node has none (or the model has no labels).
    public var label: String
    /// By name; NULL is `""`.
    public var attributes: [String: String]

    public init(id: String, label: String, attributes: [String: String] = [:]) {
        self.id = id
        self.label = label
        self.attributes = attributes
    }
}

/// One page of a `FindNodes` answer, by label (bytes) then id.
public struct NodePage: Page, Hashable, Sendable {
    public var nodes: [NodeRecord]
    /// The token that continues after this page; `nil` on the last.
    public var nextPageToken: String?

    public init(nodes: [NodeRecord], nextPageToken: String? = nil) {
        self.nodes = nodes
        self.nextPageToken = nextPageToken
    }

    /// Reads the response.
    public init(_ response: ArborV2.FindNodesResponse) {
        self.init(
            nodes: response.nodes.map { NodeRecord(id: $0.id, label: $0.label, attributes: $0.attributes) },
            nextPageToken: response.nextPageToken.isEmpty ? nil : response.nextPageToken)
    }

    public mutating func append(_ next: NodePage) {
        nodes += next.nodes
        nextPageToken = next.nextPageToken
    }
}

extension ArborClient {
    /// The most nodes one `FindNodes` page may hold (its `limit` maximum).
    public static let maxFindNodesPage: UInt32 = 1000

    /// `FindNodes`: one page (`pageToken` `""` asks for the first).
    public func findNodes(
        _ search: NodeSearch,
        pageToken: String = "",
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<NodePage> {
        let response = try await findNodes(search.message(freshness: freshness, pageToken: pageToken), timeout: timeout)
        return Answer(value: NodePage(response), meta: ResponseMeta(response.meta))
    }

    /// `FindNodes` page by page, fetched as the sequence is iterated; ``PageSequence/allPages()`` gathers every node.
    public func findNodesPages(
        _ search: NodeSearch,
        startingAt pageToken: String = "",
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) -> PageSequence<NodePage> {
        PageSequence(startingAt: pageToken) { token throws(RPCError) in
            try await self.findNodes(search, pageToken: token, freshness: freshness, timeout: timeout)
        }
    }

    /// Looks up any number of nodes by id, ``maxFindNodesPage`` ids a call. Unknown ids are absent from the result;
    /// the meta is the last call's.
    ///
    /// - Parameter attributes: attributes to return; empty returns all of them.
    public func nodes(
        ids: some Sequence<String>,
        attributes: [String] = [],
        freshness: Freshness = .serverDefault,
        timeout: Duration? = nil
    ) async throws(RPCError) -> Answer<[String: NodeRecord]> {
        var seen: Set<String> = []
        let unique = ids.filter { seen.insert($0).inserted }
        var found: [String: NodeRecord] = [:]
        var meta = ResponseMeta(nil)
        var start = 0
        while start < unique.count {
            let batch = Array(unique[start..<min(unique.count, start + Int(Self.maxFindNodesPage))])
            let search = NodeSearch(ids: batch, attributes: attributes, pageSize: UInt32(batch.count))
            // A batch's matches fit one page, but follow the tokens should a server page smaller.
            let answer = try await findNodesPages(search, freshness: freshness, timeout: timeout).allPages()
            for node in answer.value.nodes { found[node.id] = node }
            meta = answer.meta
            start += batch.count
        }
        return Answer(value: found, meta: meta)
    }
}
