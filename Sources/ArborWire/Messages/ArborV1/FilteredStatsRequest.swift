extension ArborV1 {
    /// Asks for registration counts in a subtree, filtered and grouped.
    public struct FilteredStatsRequest: ProtoMessage {
        public static let protoMessageName = "arbor.v1.FilteredStatsRequest"

        /// The subtree's root: 16 raw UUID bytes.
        public var root: [UInt8] = []
        /// Leave the root out of the scope, even when it sits on a cycle.
        public var excludeRoot: Bool = false
        /// The deepest level in scope; 0 means unbounded.
        public var maxDepth: UInt32 = 0
        /// Which users in scope are counted.
        public var userFilter: UserFilter?
        /// Registration types to count; empty counts every type.
        public var registrationTypes: [String] = []
        /// Channels to count; empty counts every channel.
        public var channels: [String] = []
        /// The first day counted, `YYYY-MM-DD`; empty means unbounded.
        public var fromDate: String = ""
        /// The last day counted, `YYYY-MM-DD`; empty means unbounded.
        public var toDate: String = ""
        /// The keys of each row, in order (packed on the wire).
        public var groupBy: [Dimension] = []
        /// How fresh the answer must be; `nil` means the server defaults.
        public var freshness: Freshness?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            root: [UInt8] = [],
            excludeRoot: Bool = false,
            maxDepth: UInt32 = 0,
            userFilter: UserFilter? = nil,
            registrationTypes: [String] = [],
            channels: [String] = [],
            fromDate: String = "",
            toDate: String = "",
            groupBy: [Dimension] = [],
            freshness: Freshness? = nil
        ) {
            self.root = root
            self.excludeRoot = excludeRoot
            self.maxDepth = maxDepth
            self.userFilter = userFilter
            self.registrationTypes = registrationTypes
            self.channels = channels
            self.fromDate = fromDate
            self.toDate = toDate
            self.groupBy = groupBy
            self.freshness = freshness
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: root = try reader.readBytes(tag, field: "root")
                case 2: excludeRoot = try reader.readBool(tag, field: "exclude_root")
                case 3: maxDepth = try reader.readUInt32(tag, field: "max_depth")
                case 4: userFilter = try reader.readMessage(tag, field: "user_filter", merging: userFilter)
                case 5: registrationTypes.append(try reader.readString(tag, field: "registration_types"))
                case 6: channels.append(try reader.readString(tag, field: "channels"))
                case 7: fromDate = try reader.readString(tag, field: "from_date")
                case 8: toDate = try reader.readString(tag, field: "to_date")
                case 9: try reader.readRepeatedEnum(tag, field: "group_by", into: &groupBy)
                case 10: freshness = try reader.readMessage(tag, field: "freshness", merging: freshness)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeBytes(root, field: 1)
            writer.writeBool(excludeRoot, field: 2)
            writer.writeUInt32(maxDepth, field: 3)
            writer.writeMessage(userFilter, field: 4)
            writer.writeRepeatedString(registrationTypes, field: 5)
            writer.writeRepeatedString(channels, field: 6)
            writer.writeString(fromDate, field: 7)
            writer.writeString(toDate, field: 8)
            writer.writePackedEnum(groupBy, field: 9)
            writer.writeMessage(freshness, field: 10)
        }
    }
}
