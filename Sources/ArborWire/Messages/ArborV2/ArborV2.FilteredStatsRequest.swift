extension ArborV2 {
    /// Asks for event measures over a node's downline, optionally grouped.
    public struct FilteredStatsRequest: ProtoMessage {
        public static let protoMessageName = "arbor.v2.FilteredStatsRequest"

        /// The node whose downline is in scope, by id.
        public var root: String = ""
        /// Leave the root itself out of the scope.
        public var excludeRoot: Bool = false
        /// How many edges below the root the scope reaches; 0 means unbounded.
        public var maxDepth: UInt32 = 0
        /// Which nodes in scope are counted; every match must hold.
        public var filter: [Match] = []
        /// Which events are counted; `nil` means every event of the model's first source.
        public var events: EventScope?
        /// Attributes, dimensions, `day`, `week`, `month` or `node` to group by, in order.
        public var groupBy: [String] = []
        /// The measures to compute, in order; empty means `["count"]`.
        public var measures: [String] = []
        /// How fresh the answer must be; `nil` means the server defaults.
        public var freshness: Freshness?
        /// Rows per page; 0 means all.
        public var limit: UInt32 = 0
        /// Continues after the previous page: its ``FilteredStatsResponse/nextPageToken``.
        public var pageToken: String = ""

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            root: String = "",
            excludeRoot: Bool = false,
            maxDepth: UInt32 = 0,
            filter: [Match] = [],
            events: EventScope? = nil,
            groupBy: [String] = [],
            measures: [String] = [],
            freshness: Freshness? = nil,
            limit: UInt32 = 0,
            pageToken: String = ""
        ) {
            self.root = root
            self.excludeRoot = excludeRoot
            self.maxDepth = maxDepth
            self.filter = filter
            self.events = events
            self.groupBy = groupBy
            self.measures = measures
            self.freshness = freshness
            self.limit = limit
            self.pageToken = pageToken
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: root = try reader.readString(tag, field: "root")
                case 2: excludeRoot = try reader.readBool(tag, field: "exclude_root")
                case 3: maxDepth = try reader.readUInt32(tag, field: "max_depth")
                case 4: filter.append(try reader.readMessage(tag, field: "filter"))
                case 5: events = try reader.readMessage(tag, field: "events", merging: events)
                case 6: groupBy.append(try reader.readString(tag, field: "group_by"))
                case 7: measures.append(try reader.readString(tag, field: "measures"))
                case 8: freshness = try reader.readMessage(tag, field: "freshness", merging: freshness)
                case 9: limit = try reader.readUInt32(tag, field: "limit")
                case 10: pageToken = try reader.readString(tag, field: "page_token")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(root, field: 1)
            writer.writeBool(excludeRoot, field: 2)
            writer.writeUInt32(maxDepth, field: 3)
            writer.writeRepeatedMessage(filter, field: 4)
            writer.writeMessage(events, field: 5)
            writer.writeRepeatedString(groupBy, field: 6)
            writer.writeRepeatedString(measures, field: 7)
            writer.writeMessage(freshness, field: 8)
            writer.writeUInt32(limit, field: 9)
            writer.writeString(pageToken, field: 10)
        }
    }
}
