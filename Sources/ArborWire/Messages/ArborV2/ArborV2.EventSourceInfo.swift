extension ArborV2 {
    /// One event source of the model.
    public struct EventSourceInfo: ProtoMessage {
        public static let protoMessageName = "arbor.v2.EventSourceInfo"

        /// The source's name.
        public var name: String = ""
        /// Its dimensions, in model order.
        public var dimensions: [String] = []
        /// Its measures: `count` first, then model order.
        public var measures: [MeasureInfo] = []
        /// The day of its earliest event, `YYYY-MM-DD`; `""` without events.
        public var firstDay: String = ""
        /// The day of its latest event, `YYYY-MM-DD`; `""` without events.
        public var lastDay: String = ""
        /// How many events count.
        public var events: UInt64 = 0

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(
            name: String = "",
            dimensions: [String] = [],
            measures: [MeasureInfo] = [],
            firstDay: String = "",
            lastDay: String = "",
            events: UInt64 = 0
        ) {
            self.name = name
            self.dimensions = dimensions
            self.measures = measures
            self.firstDay = firstDay
            self.lastDay = lastDay
            self.events = events
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: name = try reader.readString(tag, field: "name")
                case 2: dimensions.append(try reader.readString(tag, field: "dimensions"))
                case 3: measures.append(try reader.readMessage(tag, field: "measures"))
                case 4: firstDay = try reader.readString(tag, field: "first_day")
                case 5: lastDay = try reader.readString(tag, field: "last_day")
                case 6: events = try reader.readUInt64(tag, field: "events")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(name, field: 1)
            writer.writeRepeatedString(dimensions, field: 2)
            writer.writeRepeatedMessage(measures, field: 3)
            writer.writeString(firstDay, field: 4)
            writer.writeString(lastDay, field: 5)
            writer.writeUInt64(events, field: 6)
        }
    }
}
