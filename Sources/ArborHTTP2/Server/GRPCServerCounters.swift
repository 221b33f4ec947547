import ArborWire
import Synchronization

/// Counters shared by a server's connections; read by tests and operators.
final class GRPCServerCounters: Sendable {
    /// Response bytes queued in streams and not yet handed to nghttp2, summed over all streams.
    let queuedResponseBytes = Atomic<Int>(0)
    /// The highest value ``queuedResponseBytes`` has reached.
    let peakQueuedResponseBytes = Atomic<Int>(0)
    /// Calls completed, by status code (0...16; the last slot counts any other code).
    private let statusCounts = Mutex<[Int]>(Array(repeating: 0, count: 18))

    func addQueued(_ delta: Int) {
        let now = queuedResponseBytes.add(delta, ordering: .relaxed).newValue
        if delta > 0 { _ = peakQueuedResponseBytes.max(now, ordering: .relaxed) }
    }

    func record(_ status: RPCStatus) {
        let slot = (0...16).contains(status.rawValue) ? status.rawValue : 17
        statusCounts.withLock { $0[slot] += 1 }
    }

    /// Counts by code; codes outside 0...16 are counted together under code -1.
    var completedCalls: [RPCStatus: Int] {
        let counts = statusCounts.withLock { $0 }
        var result: [RPCStatus: Int] = [:]
        for (slot, count) in counts.enumerated() where count > 0 {
            result[RPCStatus(rawValue: slot == 17 ? -1 : slot)] = count
        }
        return result
    }
}
