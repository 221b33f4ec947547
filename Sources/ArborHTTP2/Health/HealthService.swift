public import ArborWire
import Synchronization

/// The standard `grpc.health.v1.Health/Check` method.
///
/// `Check("")` and `Check` of a known service answer SERVING once the owner marks the server ready
/// (``setServing(_:)``), NOT_SERVING before; an unknown service name is the NOT_FOUND status.
public final class HealthService: Sendable {
    /// The method's path.
    public static let checkPath = "/grpc.health.v1.Health/Check"

    private let knownServices: Set<String>
    private let serving = Atomic<Bool>(false)

    /// - Parameter services: the service names this server answers for besides `""` (the server as a whole).
    public init(services: Set<String> = ["arbor.v2.Hierarchy"]) {
        self.knownServices = services.union([""])
    }

    /// Marks the server ready (SERVING) or not (NOT_SERVING).
    public func setServing(_ isServing: Bool) {
        serving.store(isServing, ordering: .releasing)
    }

    /// Whether Check currently answers SERVING.
    public var isServing: Bool { serving.load(ordering: .acquiring) }

    /// Answers one Check request.
    public func check(_ request: GRPCHealthV1.HealthCheckRequest) throws(RPCError) -> GRPCHealthV1.HealthCheckResponse {
        guard knownServices.contains(request.service) else {
            throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
        }
        return GRPCHealthV1.HealthCheckResponse(status: isServing ? .serving : .notServing)
    }

    /// Registers Check in `router`, answered on the event loop so that probes never wait behind query work.
    public func register(in router: inout RPCRouter) {
        router.registerInlineUnary(Self.checkPath) {
            (request: GRPCHealthV1.HealthCheckRequest, _: RPCContext) throws(RPCError) in try self.check(request)
        }
    }
}
