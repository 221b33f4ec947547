extension GRPCHealthV1 {
    /// Whether a service can answer.
    public struct HealthCheckResponse: ProtoMessage {
        public static let protoMessageName = "grpc.health.v1.HealthCheckResponse"

        /// The service's status.
        public var status: ServingStatus = .unknown

        /// A message with every field at its default.
        public init() {}

        /// A message with the given fields; the others keep their defaults.
        public init(status: ServingStatus = .unknown) {
            self.status = status
        }

        public mutating func decodeFields(from reader: inout ProtoReader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag.fieldNumber {
                case 1: status = try reader.readEnum(tag, field: "status")
                default: try reader.skipField(tag)
                }
            }
        }

        public func encodeFields(into writer: inout ProtoWriter) {
            writer.writeEnum(status, field: 1)
        }
    }
}
