extension ArborV2 {
    /// One ranked node and its metrics.
    public struct LeaderboardRow: ProtoMessage {
        public static let protoMessageName = "arbor.v2.LeaderboardRow"

        /// 1-based position in the whole ranking.
        public var rank: UInt32 = 0
        /// The node's id in its canonical text form.
        public var id: String = ""
        /// The node's label; `""` when it has none.
        public var label: String = ""
        /// The requested attributes by name; NULL is `""`.
        public var attributes: [String: String] = [:]
        /// Every measure of the source over the node's own events, in model order (proto field `self`).
        public var selfMeasures: [Int64] = []
        /// Every measure of the source over its distinct descendants' events, in model order (proto field
        /// `tree`).
        public var treeMeasures: [Int64] = []
        /// Distinct children other than the node.
        public var directChildren: UInt32 = 0
        /// Distinct descendants.
        public var downlineSize: UInt32 = 0
        /// Descendants that pass the request's ``LeaderboardRequest/downlineFilter``; 0 without one.
        public var downlineMatching: UInt32 = 0
        /// Descendants by their value of the ``LeaderboardRequest/breakdownBy`` attribute (NULL as `""`), counts above
        /// zero, in key order.
        public var breakdown: [KeyCount] = []

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            rank: UInt32 = 0,
            id: String = "",
            label: String = "",
            attributes: [String: String] = [:],
            selfMeasures: [Int64] = [],
            treeMeasures: [Int64] = [],
            directChildren: UInt32 = 0,
            downlineSize: UInt32 = 0,
            downlineMatching: UInt32 = 0,
            breakdown: [KeyCount] = []
        ) {
            self.rank = rank
            self.id = id
            self.label = label
            self.attributes = attributes
            self.selfMeasures = selfMeasures
            self.treeMeasures = treeMeasures
            self.directChildren = directChildren
            self.downlineSize = downlineSize
            self.downlineMatching = downlineMatching
            self.breakdown = breakdown
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: rank = try reader.readUInt32(tag, field: "rank")
                case 2: id = try reader.readString(tag, field: "id")
                case 3: label = try reader.readString(tag, field: "label")
                case 4: try reader.readStringMapEntry(tag, field: "attributes", into: &attributes)
                case 5: try reader.readRepeatedInt64(tag, field: "self", into: &selfMeasures)
                case 6: try reader.readRepeatedInt64(tag, field: "tree", into: &treeMeasures)
                case 7: directChildren = try reader.readUInt32(tag, field: "direct_children")
                case 8: downlineSize = try reader.readUInt32(tag, field: "downline_size")
                case 9: downlineMatching = try reader.readUInt32(tag, field: "downline_matching")
                case 10: breakdown.append(try reader.readMessage(tag, field: "breakdown"))
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeUInt32(rank, field: 1)
            writer.writeString(id, field: 2)
            writer.writeString(label, field: 3)
            writer.writeStringMap(attributes, field: 4)
            writer.writePackedInt64(selfMeasures, field: 5)
            writer.writePackedInt64(treeMeasures, field: 6)
            writer.writeUInt32(directChildren, field: 7)
            writer.writeUInt32(downlineSize, field: 8)
            writer.writeUInt32(downlineMatching, field: 9)
            writer.writeRepeatedMessage(breakdown, field: 10)
        }
    }
}
