extension ArborV1 {
    /// Asks for users ranked by a metric over their downline.
    public struct LeaderboardRequest: ProtoMessage {
        public static let protoMessageName = "arbor.v1.LeaderboardRequest"

        /// What to rank by.
        public var orderBy: Metric = .unspecified
        /// The role counted by `Metric.downlineRole`.
        public var orderRole: String = ""
        /// Rank the smallest first.
        public var ascending: Bool = false
        /// Who is ranked.
        public var filter: UserFilter?
        /// If set (16 raw UUID bytes): rank only this user's descendants.
        public var within: [UInt8] = []
        /// Registration types to count; empty counts every type.
        public var registrationTypes: [String] = []
        /// Channels to count; empty counts every channel.
        public var channels: [String] = []
        /// The first day counted, `YYYY-MM-DD`; empty means unbounded.
        public var fromDate: String = ""
        /// The last day counted, `YYYY-MM-DD`; empty means unbounded.
        public var toDate: String = ""
        /// The most rows to return: 0 means 50, over 1000 is INVALID_ARGUMENT.
        public var limit: UInt32 = 0
        /// How many ranked users to skip.
        public var offset: UInt32 = 0
        /// How fresh the answer must be; `nil` means the server defaults.
        public var freshness: Freshness?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            orderBy: Metric = .unspecified,
            orderRole: String = "",
            ascending: Bool = false,
            filter: UserFilter? = nil,
            within: [UInt8] = [],
            registrationTypes: [String] = [],
            channels: [String] = [],
            fromDate: String = "",
            toDate: String = "",
            limit: UInt32 = 0,
            offset: UInt32 = 0,
            freshness: Freshness? = nil
        ) {
            self.orderBy = orderBy
            self.orderRole = orderRole
            self.ascending = ascending
            self.filter = filter
            self.within = within
            self.registrationTypes = registrationTypes
            self.channels = channels
            self.fromDate = fromDate
            self.toDate = toDate
            self.limit = limit
            self.offset = offset
            self.freshness = freshness
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: orderBy = try reader.readEnum(tag, field: "order_by")
                case 2: orderRole = try reader.readString(tag, field: "order_role")
                case 3: ascending = try reader.readBool(tag, field: "ascending")
                case 4: filter = try reader.readMessage(tag, field: "filter", merging: filter)
                case 5: within = try reader.readBytes(tag, field: "within")
                case 6: registrationTypes.append(try reader.readString(tag, field: "registration_types"))
                case 7: channels.append(try reader.readString(tag, field: "channels"))
                case 8: fromDate = try reader.readString(tag, field: "from_date")
                case 9: toDate = try reader.readString(tag, field: "to_date")
                case 10: limit = try reader.readUInt32(tag, field: "limit")
                case 11: offset = try reader.readUInt32(tag, field: "offset")
                case 12: freshness = try reader.readMessage(tag, field: "freshness", merging: freshness)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeEnum(orderBy, field: 1)
            writer.writeString(orderRole, field: 2)
            writer.writeBool(ascending, field: 3)
            writer.writeMessage(filter, field: 4)
            writer.writeBytes(within, field: 5)
            writer.writeRepeatedString(registrationTypes, field: 6)
            writer.writeRepeatedString(channels, field: 7)
            writer.writeString(fromDate, field: 8)
            writer.writeString(toDate, field: 9)
            writer.writeUInt32(limit, field: 10)
            writer.writeUInt32(offset, field: 11)
            writer.writeMessage(freshness, field: 12)
        }
    }
}
