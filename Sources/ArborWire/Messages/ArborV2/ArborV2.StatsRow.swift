extension ArborV2 {
    /// The measures for one combination of group-by keys.
    public struct StatsRow: ProtoMessage {
        public static let protoMessageName = "arbor.v2.StatsRow"

        /// One key per `groupBy` name, in order.
        public var keys: [String] = []
        /// One value per measure, in order (packed on the wire).
        public var values: [Int64] = []
        /// Distinct nodes with a counted event in the row.
        public var nodes: UInt32 = 0

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(keys: [String] = [], values: [Int64] = [], nodes: UInt32 = 0) {
            self.keys = keys
            self.values = values
            self.nodes = nodes
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: keys.append(try reader.readString(tag, field: "keys"))
                case 2: try reader.readRepeatedInt64(tag, field: "values", into: &values)
                case 3: nodes = try reader.readUInt32(tag, field: "nodes")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeRepeatedString(keys, field: 1)
            writer.writePackedInt64(values, field: 2)
            writer.writeUInt32(nodes, field: 3)
        }
    }
}
