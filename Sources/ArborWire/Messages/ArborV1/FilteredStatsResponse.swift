extension ArborV1 {
    /// Registration counts for a subtree.
    public struct FilteredStatsResponse: ProtoMessage {
        public static let protoMessageName = "arbor.v1.FilteredStatsResponse"

        /// One row per key tuple with at least one registration, sorted by keys.
        public var rows: [StatsRow] = []
        /// Registrations counted over all rows.
        public var totalRegistrations: UInt64 = 0
        /// Users in scope that pass the user filter (registration filters and dates aside).
        public var usersInScope: UInt32 = 0
        /// Where and how fresh the answer is.
        public var meta: ResponseMeta?

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            rows: [StatsRow] = [],
            totalRegistrations: UInt64 = 0,
            usersInScope: UInt32 = 0,
            meta: ResponseMeta? = nil
        ) {
            self.rows = rows
            self.totalRegistrations = totalRegistrations
            self.usersInScope = usersInScope
            self.meta = meta
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: rows.append(try reader.readMessage(tag, field: "rows"))
                case 2: totalRegistrations = try reader.readUInt64(tag, field: "total_registrations")
                case 3: usersInScope = try reader.readUInt32(tag, field: "users_in_scope")
                case 4: meta = try reader.readMessage(tag, field: "meta", merging: meta)
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeRepeatedMessage(rows, field: 1)
            writer.writeUInt64(totalRegistrations, field: 2)
            writer.writeUInt32(usersInScope, field: 3)
            writer.writeMessage(meta, field: 4)
        }
    }
}
