public import ArborWire

/// Sends the messages of a server-streaming response.
///
/// ``send(_:)`` suspends while the stream's queue of unsent bytes is above the server's high-water mark or the
/// connection cannot take more bytes, so a slow reader slows the handler instead of growing memory.
public struct RPCStreamWriter<Message>: Sendable {
    private let sink: ServerStreamSink
    private let serialize: @Sendable (Message) -> [UInt8]

    init(sink: ServerStreamSink, serialize: @escaping @Sendable (Message) -> [UInt8]) {
        self.sink = sink
        self.serialize = serialize
    }

    /// Queues one message; returns once the stream can take more.
    ///
    /// - Throws: ``RPCError`` with `CANCELLED` when the stream is gone (the client reset it, the deadline passed,
    ///   or the connection closed).
    public func send(_ message: Message) async throws(RPCError) {
        try await sink.send(serialize(message))
    }
}
