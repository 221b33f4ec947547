/// One page of a paged answer (`FilteredStats`, `FindNodes`).
public protocol Page: Sendable {
    /// The token that continues after this page; `nil` on the last page.
    var nextPageToken: String? { get }
    /// Adds the rows of the page that follows this one.
    mutating func append(_ next: Self)
}

/// The pages of a paged call, fetched one at a time as the sequence is iterated: each page asks with the previous
/// page's token, so pages continue after the last row by key and never repeat or skip a row.
///
/// ```swift
/// for try await page in client.filteredStatsPages(query) { print(page.value.rows.count, page.meta.source) }
/// let everything = try await client.filteredStatsPages(query).allPages()
/// ```
public struct PageSequence<Value: Page>: AsyncSequence, Sendable {
    public typealias Element = Answer<Value>
    public typealias Failure = RPCError

    let firstToken: String
    let fetch: @Sendable (String) async throws(RPCError) -> Answer<Value>

    /// Pages starting with the one `firstToken` asks for (`""`: the first), each fetched by `fetch(token)`.
    public init(
        startingAt firstToken: String = "", fetch: @escaping @Sendable (String) async throws(RPCError) -> Answer<Value>
    ) {
        self.firstToken = firstToken
        self.fetch = fetch
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(token: firstToken, fetch: fetch)
    }

    /// Every page's rows in one value, with the last page's meta (and its totals, which cover all pages).
    public func allPages() async throws(RPCError) -> Answer<Value> {
        var iterator = makeAsyncIterator()
        guard var whole = try await iterator.next() else {
            throw ResponseDecoding.malformed("a paged call returned no page")
        }
        while let page = try await iterator.next() {
            whole.value.append(page.value)
            whole.meta = page.meta
        }
        return whole
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var token: String?
        let fetch: @Sendable (String) async throws(RPCError) -> Answer<Value>

        public mutating func next() async throws(RPCError) -> Answer<Value>? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(RPCError) -> Answer<Value>? {
            guard let current = token else { return nil }
            token = nil  // a failed fetch ends the sequence
            let page = try await fetch(current)
            // A server that hands back the token it was given would page forever.
            if let next = page.value.nextPageToken, next == current {
                throw ResponseDecoding.malformed("a page's next_page_token repeats the token that asked for it")
            }
            token = page.value.nextPageToken
            return page
        }
    }
}
