extension ArborV2 {
    /// Every group of nodes that reach each other.
    public struct CyclesResponse: ProtoMessage {
        public static let protoMessageName = "arbor.v2.CyclesResponse"

        /// The groups, largest first, then by first member.
        public var cycles: [Cycle] = []
        /// How many groups exist in all.
        public var total: UInt32 = 0
        /// Where and how fresh the answer is.
        public var meta: ResponseMeta?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(cycles: [Cycle] = [], total: UInt32 = 0, meta: ResponseMeta? = nil) {
            self.cycles = cycles
            self.total = total
            self.meta = meta
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: cycles.append(try reader.readMessage(tag, field: "cycles"))
                case 2: total = try reader.readUInt32(tag, field: "total")
                case 3: meta = try reader.readMessage(tag, field: "meta", merging: meta)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeRepeatedMessage(cycles, field: 1)
            writer.writeUInt32(total, field: 2)
            writer.writeMessage(meta, field: 3)
        }
    }
}
