extension ArborV2 {
    /// The server's model and the size of its data.
    public struct DescribeResponse: ProtoMessage {
        public static let protoMessageName = "arbor.v2.DescribeResponse"

        /// `uuid`, `integer` or `text`.
        public var idType: String = ""
        /// The IANA time zone that decides what a day is.
        public var timeZone: String = ""
        /// Whether nodes have a label.
        public var hasLabel: Bool = false
        /// The attributes, in model order.
        public var attributes: [AttributeInfo] = []
        /// The event sources, in model order.
        public var sources: [EventSourceInfo] = []
        /// How many nodes there are.
        public var nodes: UInt64 = 0
        /// Distinct (parent, child) pairs of existing nodes, self-edges included.
        public var edges: UInt64 = 0
        /// How many groups of nodes reach each other (Cycles' `total`).
        public var cycleGroups: UInt32 = 0
        /// Where and how fresh the answer is.
        public var meta: ResponseMeta?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            idType: String = "",
            timeZone: String = "",
            hasLabel: Bool = false,
            attributes: [AttributeInfo] = [],
            sources: [EventSourceInfo] = [],
            nodes: UInt64 = 0,
            edges: UInt64 = 0,
            cycleGroups: UInt32 = 0,
            meta: ResponseMeta? = nil
        ) {
            self.idType = idType
            self.timeZone = timeZone
            self.hasLabel = hasLabel
            self.attributes = attributes
            self.sources = sources
            self.nodes = nodes
            self.edges = edges
            self.cycleGroups = cycleGroups
            self.meta = meta
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: idType = try reader.readString(tag, field: "id_type")
                case 2: timeZone = try reader.readString(tag, field: "time_zone")
                case 3: hasLabel = try reader.readBool(tag, field: "has_label")
                case 4: attributes.append(try reader.readMessage(tag, field: "attributes"))
                case 5: sources.append(try reader.readMessage(tag, field: "sources"))
                case 6: nodes = try reader.readUInt64(tag, field: "nodes")
                case 7: edges = try reader.readUInt64(tag, field: "edges")
                case 8: cycleGroups = try reader.readUInt32(tag, field: "cycle_groups")
                case 9: meta = try reader.readMessage(tag, field: "meta", merging: meta)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(idType, field: 1)
            writer.writeString(timeZone, field: 2)
            writer.writeBool(hasLabel, field: 3)
            writer.writeRepeatedMessage(attributes, field: 4)
            writer.writeRepeatedMessage(sources, field: 5)
            writer.writeUInt64(nodes, field: 6)
            writer.writeUInt64(edges, field: 7)
            writer.writeUInt32(cycleGroups, field: 8)
            writer.writeMessage(meta, field: 9)
        }
    }
}
