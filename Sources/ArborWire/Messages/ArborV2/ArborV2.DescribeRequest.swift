extension ArborV2 {
    /// Asks what the server's model and data look like.
    public struct DescribeRequest: ProtoMessage {
        public static let protoMessageName = "arbor.v2.DescribeRequest"

        /// How fresh the answer must be; `nil` means the server defaults.
        public var freshness: Freshness?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(freshness: Freshness? = nil) {
            self.freshness = freshness
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: freshness = try reader.readMessage(tag, field: "freshness", merging: freshness)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeMessage(freshness, field: 1)
        }
    }
}
