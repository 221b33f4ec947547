extension ArborV2 {
    /// How fresh an answer must be.
    public struct Freshness: ProtoMessage {
        public static let protoMessageName = "arbor.v2.Freshness"

        /// The oldest snapshot, in milliseconds, that may answer; 0 means the server default.
        public var maxStalenessMs: UInt32 = 0
        /// Skip the cache and answer with live SQL.
        public var requireLive: Bool = false
        /// Answer from data at least this new (a version from an earlier response).
        public var minVersion: UInt64 = 0

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(maxStalenessMs: UInt32 = 0, requireLive: Bool = false, minVersion: UInt64 = 0) {
            self.maxStalenessMs = maxStalenessMs
            self.requireLive = requireLive
            self.minVersion = minVersion
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: maxStalenessMs = try reader.readUInt32(tag, field: "max_staleness_ms")
                case 2: requireLive = try reader.readBool(tag, field: "require_live")
                case 3: minVersion = try reader.readUInt64(tag, field: "min_version")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeUInt32(maxStalenessMs, field: 1)
            writer.writeBool(requireLive, field: 2)
            writer.writeUInt64(minVersion, field: 3)
        }
    }
}
