extension ArborV2 {
    /// One measure of an event source.
    public struct MeasureInfo: ProtoMessage {
        public static let protoMessageName = "arbor.v2.MeasureInfo"

        /// The measure's name; `count` comes first.
        public var name: String = ""
        /// Sums come as integers: the value times 10^scale (0 for `count` and integer columns).
        public var scale: UInt32 = 0

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(name: String = "", scale: UInt32 = 0) {
            self.name = name
            self.scale = scale
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: name = try reader.readString(tag, field: "name")
                case 2: scale = try reader.readUInt32(tag, field: "scale")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(name, field: 1)
            writer.writeUInt32(scale, field: 2)
        }
    }
}
