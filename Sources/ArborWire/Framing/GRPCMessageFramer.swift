/// Encodes gRPC length-prefixed messages: a 1-byte compressed flag (always 0: Arbor negotiates no compression),
/// a 4-byte big-endian length, then the message bytes.
public enum GRPCMessageFramer {
    /// The size of the prefix in front of every message.
    public static let prefixLength = 5

    /// Appends `message` with its length prefix to `buffer`.
    public static func append(_ message: some Collection<UInt8>, to buffer: inout [UInt8]) {
        let count = UInt32(truncatingIfNeeded: message.count)
        buffer.reserveCapacity(buffer.count + prefixLength + message.count)
        buffer.append(0)
        buffer.append(UInt8(truncatingIfNeeded: count >> 24))
        buffer.append(UInt8(truncatingIfNeeded: count >> 16))
        buffer.append(UInt8(truncatingIfNeeded: count >> 8))
        buffer.append(UInt8(truncatingIfNeeded: count))
        buffer.append(contentsOf: message)
    }

    /// Returns `message` with its length prefix.
    public static func frame(_ message: some Collection<UInt8>) -> [UInt8] {
        var buffer: [UInt8] = []
        append(message, to: &buffer)
        return buffer
    }
}
