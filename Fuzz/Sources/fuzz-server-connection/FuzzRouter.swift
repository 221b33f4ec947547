import ArborHTTP2
import ArborWire

/// The methods the fuzzed server offers: the real health check and echo handlers that finish at once, so that
/// every call ends while the input runs. The seeds in `Fuzz/Corpus/fuzz-server-connection` call each.
enum FuzzRouter {
    /// Answers with the request's bytes.
    static let unaryEchoPath = "/arbor.fuzz.Echo/Unary"
    /// Answers with the request's bytes 0 to 3 times (the first byte, modulo 4), in one stream.
    static let streamingEchoPath = "/arbor.fuzz.Echo/Stream"
    /// Fails with INVALID_ARGUMENT and the request's bytes as the message (`grpc-message` encoding).
    static let failPath = "/arbor.fuzz.Echo/Fail"

    static let router: RPCRouter = {
        var router = RPCRouter()
        let health = HealthService()
        health.setServing(true)
        health.register(in: &router)
        router.registerUnary(unaryEchoPath) { request, _ in request }
        router.registerServerStreaming(streamingEchoPath) { request, _, writer in
            for _ in 0..<Int(request.first ?? 0) % 4 {
                try await writer.send(request)
            }
        }
        router.registerUnary(failPath) { request, _ in
            throw RPCError(code: .invalidArgument, message: String(decoding: request, as: UTF8.self))
        }
        return router
    }()
}
