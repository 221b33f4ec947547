extension GRPCHealthV1 {
    /// Asks whether a service can answer.
    public struct HealthCheckRequest: ProtoMessage {
        public static let protoMessageName = "grpc.health.v1.HealthCheckRequest"

        /// The service to check; empty means the server as a whole.
        public var service: String = ""

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(service: String = "") {
            self.service = service
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: service = try reader.readString(tag, field: "service")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeString(service, field: 1)
        }
    }
}
