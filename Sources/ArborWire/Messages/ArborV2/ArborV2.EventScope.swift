extension ArborV2 {
    /// Which events a request counts.
    public struct EventScope: ProtoMessage {
        public static let protoMessageName = "arbor.v2.EventScope"

        /// The event source, as the model names it; empty means the model's first.
        public var source: String = ""
        /// Conditions on the source's dimensions; every one must hold.
        public var match: [Match] = []
        /// The first day counted, `YYYY-MM-DD`; empty means unbounded.
        public var fromDate: String = ""
        /// The last day counted, `YYYY-MM-DD`; empty means unbounded.
        public var toDate: String = ""

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(source: String = "", match: [Match] = [], fromDate: String = "", toDate: String = "") {
            self.source = source
            self.match = match
            self.fromDate = fromDate
            self.toDate = toDate
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: source = try reader.readString(tag, field: "source")
                case 2: match.append(try reader.readMessage(tag, field: "match"))
                case 3: fromDate = try reader.readString(tag, field: "from_date")
                case 4: toDate = try reader.readString(tag, field: "to_date")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(source, field: 1)
            writer.writeRepeatedMessage(match, field: 2)
            writer.writeString(fromDate, field: 3)
            writer.writeString(toDate, field: 4)
        }
    }
}
