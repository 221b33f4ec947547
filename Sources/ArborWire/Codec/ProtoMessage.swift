/// A protobuf message: a value type that reads and writes its own fields in the wire format.
///
/// Conformers implement ``decodeFields(from:)`` and ``encodeFields(into:)`` with ``ProtoReader`` and
/// ``ProtoWriter``; everything else has a default.
public protocol ProtoMessage: Sendable, Equatable {
    /// The fully qualified protobuf name, for example `arbor.v2.TraversalRequest`.
    static var protoMessageName: String { get }

    /// A message with every field at its default value.
    init()

    /// Decodes a message from its protobuf wire encoding.
    init(serializedBytes: some Collection<UInt8>) throws(WireError)

    /// The protobuf wire encoding of this message.
    func serializedBytes() -> [UInt8]

    /// Reads fields until the reader reaches the end of this message, merging them into `self`: a repeated field
    /// appends, a singular scalar takes the last value, a singular message merges.
    mutating func decodeFields(from reader: inout ProtoReader) throws(WireError)

    /// Writes every field that is not at its default value, in field-number order.
    func encodeFields(into writer: inout ProtoWriter)
}

extension ProtoMessage {
    /// Decodes a message from its protobuf wire encoding; contiguous collections such as `[UInt8]` are read in
    /// place.
    public init(serializedBytes bytes: some Collection<UInt8>) throws(WireError) {
        let decoded = bytes.withContiguousStorageIfAvailable { buffer in
            Self.decode(UnsafeRawBufferPointer(buffer), maxDepth: ProtoReader.defaultMaxDepth)
        }
        self = try (decoded ?? Array(bytes).withUnsafeBytes { Self.decode($0, maxDepth: ProtoReader.defaultMaxDepth) })
            .get()
    }

    /// Decodes a message straight from memory the caller owns (for example a NIO `ByteBuffer`'s readable bytes),
    /// without copying it first. `buffer` is only read during the call.
    public init(
        serializedBuffer buffer: UnsafeRawBufferPointer, maxDepth: Int = ProtoReader.defaultMaxDepth
    ) throws(WireError) {
        var reader = ProtoReader(buffer, maxDepth: maxDepth)
        self = try reader.readMessage(Self.self)
    }

    /// The protobuf wire encoding of this message.
    public func serializedBytes() -> [UInt8] {
        var writer = ProtoWriter()
        encodeFields(into: &writer)
        return writer.bytes
    }

    /// Appends the protobuf wire encoding of this message to `bytes`, for example after a gRPC frame header.
    public func serialize(appendingTo bytes: inout [UInt8]) {
        var writer = ProtoWriter(bytes: [])
        swap(&writer.bytes, &bytes)
        encodeFields(into: &writer)
        swap(&writer.bytes, &bytes)
    }

    static var shortMessageName: Substring {
        protoMessageName.split(separator: ".").last ?? Substring(protoMessageName)
    }

    private static func decode(_ buffer: UnsafeRawBufferPointer, maxDepth: Int) -> Result<Self, WireError> {
        do throws(WireError) {
            return .success(try Self(serializedBuffer: buffer, maxDepth: maxDepth))
        } catch {
            return .failure(error)
        }
    }
}
