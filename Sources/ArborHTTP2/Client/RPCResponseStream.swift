public import ArborWire

/// The messages of a server-streaming response, in order. Iteration ends normally when the server ends the call
/// with OK and throws an ``RPCError`` for any other status.
public struct RPCResponseStream<Element: Sendable>: AsyncSequence, Sendable {
    public typealias Failure = RPCError

    let base: AsyncThrowingStream<[UInt8], any Error>
    private let decode: @Sendable ([UInt8]) throws(RPCError) -> Element

    init(
        _ base: AsyncThrowingStream<[UInt8], any Error>,
        decode: @escaping @Sendable ([UInt8]) throws(RPCError) -> Element
    ) {
        self.base = base
        self.decode = decode
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), decode: decode)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
        let decode: @Sendable ([UInt8]) throws(RPCError) -> Element

        public mutating func next() async throws(RPCError) -> Element? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(RPCError) -> Element? {
            let bytes: [UInt8]?
            do {
                bytes = try await base.next(isolation: actor)
            } catch let error as RPCError {
                throw error
            } catch {
                throw RPCError(code: .unknown, message: "\(error)", cause: error)
            }
            guard let bytes else { return nil }
            return try decode(bytes)
        }
    }
}
