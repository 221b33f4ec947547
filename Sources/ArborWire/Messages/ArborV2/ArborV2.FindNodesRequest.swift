extension ArborV2 {
    /// Looks nodes up by label prefix, id or filter.
    public struct FindNodesRequest: ProtoMessage {
        public static let protoMessageName = "arbor.v2.FindNodesRequest"

        /// Labels starting with this; ASCII letters match case-insensitively.
        public var labelPrefix: String = ""
        /// Nodes to look up by id; unknown ids are left out.
        public var ids: [String] = []
        /// Which nodes qualify; every match must hold.
        public var filter: [Match] = []
        /// Attributes to return for each node; empty returns all of them.
        public var attributes: [String] = []
        /// The page size: 0 means 20, over 1000 is INVALID_ARGUMENT.
        public var limit: UInt32 = 0
        /// How fresh the answer must be; `nil` means the server defaults.
        public var freshness: Freshness?
        /// Continues after the previous page: its ``FindNodesResponse/nextPageToken``.
        public var pageToken: String = ""

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            labelPrefix: String = "",
            ids: [String] = [],
            filter: [Match] = [],
            attributes: [String] = [],
            limit: UInt32 = 0,
            freshness: Freshness? = nil,
            pageToken: String = ""
        ) {
            self.labelPrefix = labelPrefix
            self.ids = ids
            self.filter = filter
            self.attributes = attributes
            self.limit = limit
            self.freshness = freshness
            self.pageToken = pageToken
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: labelPrefix = try reader.readString(tag, field: "label_prefix")
                case 2: ids.append(try reader.readString(tag, field: "ids"))
                case 3: filter.append(try reader.readMessage(tag, field: "filter"))
                case 4: attributes.append(try reader.readString(tag, field: "attributes"))
                case 5: limit = try reader.readUInt32(tag, field: "limit")
                case 6: freshness = try reader.readMessage(tag, field: "freshness", merging: freshness)
                case 7: pageToken = try reader.readString(tag, field: "page_token")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(labelPrefix, field: 1)
            writer.writeRepeatedString(ids, field: 2)
            writer.writeRepeatedMessage(filter, field: 3)
            writer.writeRepeatedString(attributes, field: 4)
            writer.writeUInt32(limit, field: 5)
            writer.writeMessage(freshness, field: 6)
            writer.writeString(pageToken, field: 7)
        }
    }
}
