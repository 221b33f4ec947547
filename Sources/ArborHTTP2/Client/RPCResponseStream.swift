public import ArborWire

/// The messages of a server-streaming response, in order. Iteration ends normally when the server ends the call
/// with OK and throws an ``RPCError`` for any other status.
public struct RPCResponseStream<Element: Sendable>: AsyncSequence, Sendable {
    public typealias Failure = RPCError

    let handle: ClientStreamCallHandle
    private let decode: @Sendable ([UInt8]) throws(RPCError) -> Element

    init(_ handle: ClientStreamCallHandle, decode: @escaping @Sendable ([UInt8]) throws(RPCError) -> Element) {
        self.handle = handle
        self.decode = decode
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(handle: handle, decode: decode)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let handle: ClientStreamCallHandle
        let decode: @Sendable ([UInt8]) throws(RPCError) -> Element

        public mutating func next() async throws(RPCError) -> Element? {
            guard let bytes = try await handle.next() else { return nil }
            return try decode(bytes)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(RPCError) -> Element? {
            guard let bytes = try await handle.next() else { return nil }
            return try decode(bytes)
        }
    }
}
