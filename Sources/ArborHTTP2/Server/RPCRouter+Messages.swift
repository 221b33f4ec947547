public import ArborWire

extension RPCRouter {
    /// Registers a unary method over protobuf messages. A request that does not decode is `INTERNAL`; errors
    /// thrown by `handler` map as for the raw form.
    public mutating func registerUnary<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String,
        _ handler: @escaping @Sendable (_ request: Request, _ context: RPCContext) async throws -> Response
    ) {
        registerUnary(path) { (bytes: [UInt8], context: RPCContext) async throws -> [UInt8] in
            let request = try Self.decode(Request.self, from: bytes)
            return try await handler(request, context).serializedBytes()
        }
    }

    /// Registers a unary method over protobuf messages, answered on the connection's event loop (see
    /// ``registerInlineUnary(_:_:)-(String,([UInt8],RPCContext)->[UInt8])``).
    public mutating func registerInlineUnary<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String,
        _ handler: @escaping @Sendable (_ request: Request, _ context: RPCContext) throws(RPCError) -> Response
    ) {
        registerInlineUnary(path) { (bytes: [UInt8], context: RPCContext) throws(RPCError) -> [UInt8] in
            try handler(try Self.decode(Request.self, from: bytes), context).serializedBytes()
        }
    }

    /// Registers a server-streaming method over protobuf messages.
    public mutating func registerServerStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String,
        _ handler:
            @escaping @Sendable (_ request: Request, _ context: RPCContext, _ writer: RPCStreamWriter<Response>)
            async throws -> Void
    ) {
        methods[path] = .serverStreaming { bytes, context, sink in
            let request = try Self.decode(Request.self, from: bytes)
            try await handler(request, context, RPCStreamWriter(sink: sink, serialize: { $0.serializedBytes() }))
        }
    }

    /// Decodes a request body; a body that does not decode is `INTERNAL` with the codec's message, as gRPC says.
    /// Handlers registered in raw form (e.g. to check a response's encoded size once) decode with this.
    public static func decode<Message: ProtoMessage>(_ type: Message.Type, from bytes: [UInt8]) throws(RPCError)
        -> Message
    {
        do {
            return try Message(serializedBytes: bytes)
        } catch {
            throw RPCError(
                code: .internal,
                message: "request is not a valid \(Message.protoMessageName): \(error)",
                cause: error
            )
        }
    }
}
