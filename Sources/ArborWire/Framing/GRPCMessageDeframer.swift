/// Incrementally decodes gRPC length-prefixed messages from the bytes of a stream's DATA frames.
///
/// Bytes arrive in arbitrary pieces: a message may span many DATA frames and one frame may hold several messages.
/// The size limit is checked as soon as the 5-byte prefix is complete, before any of the body is buffered, and a
/// set compressed flag is refused (Arbor negotiates no `grpc-encoding`, so a compressed message is INTERNAL).
public struct GRPCMessageDeframer: Sendable {
    /// The default limit on one received message: 4 MiB.
    public static let defaultMaximumMessageSize = 4 * 1024 * 1024

    /// The largest message body accepted, in bytes.
    public let maximumMessageSize: Int

    /// The prefix bytes read so far, accumulated big-endian (no allocation per message).
    private var prefix: UInt64 = 0
    private var prefixCount = 0
    private var body: [UInt8] = []
    private var expectedBodyLength: Int? = nil
    private var failed: RPCError? = nil

    public init(maximumMessageSize: Int = GRPCMessageDeframer.defaultMaximumMessageSize) {
        precondition(maximumMessageSize >= 0, "maximumMessageSize must not be negative")
        self.maximumMessageSize = maximumMessageSize
    }

    /// Whether a message has been started but not completed.
    public var hasPartialMessage: Bool { prefixCount > 0 || expectedBodyLength != nil }

    /// Consumes `bytes`, returning every message they complete, in order.
    ///
    /// - Throws: `RESOURCE_EXHAUSTED` for a prefix over ``maximumMessageSize``, `INTERNAL` for a set compressed flag.
    ///   After an error the deframer keeps failing with the same error.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(RPCError) -> [[UInt8]] {
        if let failed { throw failed }
        var messages: [[UInt8]] = []
        var index = 0
        let count = bytes.count
        while index < count {
            if let expected = expectedBodyLength {
                let take = min(expected - body.count, count - index)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
                index += take
                if body.count == expected {
                    messages.append(body)
                    body = []
                    expectedBodyLength = nil
                }
            } else {
                prefix = prefix << 8 | UInt64(bytes[index])
                prefixCount += 1
                index += 1
                if prefixCount == GRPCMessageFramer.prefixLength {
                    let length = try startMessage()
                    if length == 0 {
                        messages.append([])
                    } else {
                        expectedBodyLength = length
                        body.reserveCapacity(min(length, 64 * 1024))
                    }
                }
            }
        }
        return messages
    }

    /// Consumes `bytes`, returning every message they complete, in order.
    public mutating func consume(_ bytes: some Collection<UInt8>) throws(RPCError) -> [[UInt8]] {
        let array = Array(bytes)
        var result: Result<[[UInt8]], RPCError> = .success([])
        array.withUnsafeBytes { raw in
            do throws(RPCError) { result = .success(try consume(raw)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// Checks that the stream ended on a message boundary.
    ///
    /// - Throws: `INTERNAL` when the stream ended inside a message (a truncated message).
    public func finish() throws(RPCError) {
        if let failed { throw failed }
        if hasPartialMessage {
            throw RPCError(
                code: .internal, message: "stream ended inside a length-prefixed message (truncated message)")
        }
    }

    private mutating func startMessage() throws(RPCError) -> Int {
        let flag = UInt8(truncatingIfNeeded: prefix >> 32)
        let length = Int(prefix & 0xFFFF_FFFF)
        prefix = 0
        prefixCount = 0
        if flag == 1 {
            try fail(
                RPCError(code: .internal, message: "compressed message received but no grpc-encoding was negotiated")
            )
        }
        if flag != 0 {
            try fail(RPCError(code: .internal, message: "invalid compressed flag \(flag) in message prefix"))
        }
        if length > maximumMessageSize {
            try fail(
                RPCError(
                    code: .resourceExhausted,
                    message: "received message of \(length) bytes exceeds the limit of \(maximumMessageSize) bytes"
                )
            )
        }
        return length
    }

    private mutating func fail(_ error: RPCError) throws(RPCError) -> Never {
        failed = error
        throw error
    }
}
