extension ArborV2 {
    /// Asks for nodes ranked by a metric over their downline.
    public struct LeaderboardRequest: ProtoMessage {
        public static let protoMessageName = "arbor.v2.LeaderboardRequest"

        /// What to rank by.
        public var orderBy: Metric = .unspecified
        /// The measure ``Metric/selfMeasure`` and ``Metric/treeMeasure`` rank by; empty means `count`.
        public var measure: String = ""
        /// Rank the smallest first.
        public var ascending: Bool = false
        /// Who is ranked; every match must hold.
        public var filter: [Match] = []
        /// If set (a node id): rank only this node's descendants.
        public var within: String = ""
        /// Which events ``LeaderboardRow/selfMeasures`` and ``LeaderboardRow/treeMeasures`` cover; `nil` means every
        /// event of the model's first source.
        public var events: EventScope?
        /// Which descendants ``LeaderboardRow/downlineMatching`` counts; every match must hold.
        public var downlineFilter: [Match] = []
        /// An attribute to count each ranked node's downline by; empty means no breakdown.
        public var breakdownBy: String = ""
        /// Attributes to return for each ranked node; empty returns none.
        public var attributes: [String] = []
        /// The most rows to return: 0 means 50, over 1000 is INVALID_ARGUMENT.
        public var limit: UInt32 = 0
        /// How many ranked nodes to skip.
        public var offset: UInt32 = 0
        /// How fresh the answer must be; `nil` means the server defaults.
        public var freshness: Freshness?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            orderBy: Metric = .unspecified,
            measure: String = "",
            ascending: Bool = false,
            filter: [Match] = [],
            within: String = "",
            events: EventScope? = nil,
            downlineFilter: [Match] = [],
            breakdownBy: String = "",
            attributes: [String] = [],
            limit: UInt32 = 0,
            offset: UInt32 = 0,
            freshness: Freshness? = nil
        ) {
            self.orderBy = orderBy
            self.measure = measure
            self.ascending = ascending
            self.filter = filter
            self.within = within
            self.events = events
            self.downlineFilter = downlineFilter
            self.breakdownBy = breakdownBy
            self.attributes = attributes
            self.limit = limit
            self.offset = offset
            self.freshness = freshness
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: orderBy = try reader.readEnum(tag, field: "order_by")
                case 2: measure = try reader.readString(tag, field: "measure")
                case 3: ascending = try reader.readBool(tag, field: "ascending")
                case 4: filter.append(try reader.readMessage(tag, field: "filter"))
                case 5: within = try reader.readString(tag, field: "within")
                case 6: events = try reader.readMessage(tag, field: "events", merging: events)
                case 7: downlineFilter.append(try reader.readMessage(tag, field: "downline_filter"))
                case 8: breakdownBy = try reader.readString(tag, field: "breakdown_by")
                case 9: attributes.append(try reader.readString(tag, field: "attributes"))
                case 10: limit = try reader.readUInt32(tag, field: "limit")
                case 11: offset = try reader.readUInt32(tag, field: "offset")
                case 12: freshness = try reader.readMessage(tag, field: "freshness", merging: freshness)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeEnum(orderBy, field: 1)
            writer.writeString(measure, field: 2)
            writer.writeBool(ascending, field: 3)
            writer.writeRepeatedMessage(filter, field: 4)
            writer.writeString(within, field: 5)
            writer.writeMessage(events, field: 6)
            writer.writeRepeatedMessage(downlineFilter, field: 7)
            writer.writeString(breakdownBy, field: 8)
            writer.writeRepeatedString(attributes, field: 9)
            writer.writeUInt32(limit, field: 10)
            writer.writeUInt32(offset, field: 11)
            writer.writeMessage(freshness, field: 12)
        }
    }
}
