import ArborWire
import Synchronization

/// Counters shared by a server's connections; read by tests and operators.
final class GRPCServerCounters: Sendable {
    /// Response bytes queued in streams and not yet handed to nghttp2, summed over all streams.
    let queuedResponseBytes = Atomic<Int>(0)
    /// The highest value ``queuedResponseBytes`` has reached.
    let peakQueuedResponseBytes = Atomic<Int>(0)
    /// Calls completed, by status code.
    private let statusCounts = Mutex<[RPCStatus: Int]>([:])

    func addQueued(_ delta: Int) {
        let now = queuedResponseBytes.add(delta, ordering: .relaxed).newValue
        if delta > 0 { _ = peakQueuedResponseBytes.max(now, ordering: .relaxed) }
    }

    func record(_ status: RPCStatus) {
        statusCounts.withLock { $0[status, default: 0] += 1 }
    }

    var completedCalls: [RPCStatus: Int] { statusCounts.withLock { $0 } }
}
