import ArborLogging
public import ArborWire
import Logging
public import NIOCore
import Synchronization

/// The server side of one connection, opened up for the fuzz targets in `Fuzz/` (`@_spi(Fuzzing)`; not API).
///
/// ``handler`` is the real connection handler (nghttp2 session, call state machines, router dispatch), built as
/// ``GRPCServer`` builds it for an accepted socket, with a logger that discards everything. The fuzz target adds it
/// to an `EmbeddedChannel`, writes raw client bytes in and checks ``queuedResponseBytes`` once the channel is
/// closed. Handler tasks start on Swift's global executor, as in the server: the caller decides where they run.
@_spi(Fuzzing)
public struct FuzzedServerConnection {
    /// The connection's channel handler; add it to a fresh channel's pipeline, once.
    public let handler: any ChannelHandler

    private let counters: GRPCServerCounters

    public init(configuration: GRPCServerConfiguration, router: RPCRouter) {
        let counters = GRPCServerCounters()
        self.counters = counters
        handler = GRPCServerConnectionHandler(
            configuration: configuration,
            router: router,
            counters: counters,
            eventLog: RateLimitedLog(),
            logger: Logger(label: "arbor.fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// Response bytes queued in the connection's streams and not yet handed to nghttp2: 0 once it has closed and
    /// its handler tasks have finished.
    public var queuedResponseBytes: Int { counters.queuedResponseBytes.load(ordering: .relaxed) }

    /// Calls that ended, by status.
    public var completedCalls: [RPCStatus: Int] { counters.completedCalls }
}
