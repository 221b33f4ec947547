extension ArborV2 {
    /// Where and how fresh an answer is.
    public struct ResponseMeta: ProtoMessage {
        public static let protoMessageName = "arbor.v2.ResponseMeta"

        /// Which data answered.
        public var source: Source = .unspecified
        /// When the answering data was taken, in milliseconds since 1970.
        public var asOfUnixMs: Int64 = 0
        /// The version of the answering data; pass it as ``Freshness/minVersion`` to read at least this new.
        public var version: UInt64 = 0
        /// Served past the freshness bound because PostgreSQL was unreachable.
        public var stale: Bool = false

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(source: Source = .unspecified, asOfUnixMs: Int64 = 0, version: UInt64 = 0, stale: Bool = false) {
            self.source = source
            self.asOfUnixMs = asOfUnixMs
            self.version = version
            self.stale = stale
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: source = try reader.readEnum(tag, field: "source")
                case 2: asOfUnixMs = try reader.readInt64(tag, field: "as_of_unix_ms")
                case 3: version = try reader.readUInt64(tag, field: "version")
                case 4: stale = try reader.readBool(tag, field: "stale")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeEnum(source, field: 1)
            writer.writeInt64(asOfUnixMs, field: 2)
            writer.writeUInt64(version, field: 3)
            writer.writeBool(stale, field: 4)
        }
    }
}
