import ArborWire
import Synchronization

/// Counters shared by a server's connections: the server-wide budgets are enforced on them, and tests and
/// operators read them.
final class GRPCServerCounters: Sendable {
    /// Response bytes queued in streams and not yet handed to nghttp2, summed over all streams.
    let queuedResponseBytes = Atomic<Int>(0)
    /// The highest value ``queuedResponseBytes`` has reached.
    let peakQueuedResponseBytes = Atomic<Int>(0)
    /// Request body bytes buffered by streams whose request has not finished arriving.
    let bufferedRequestBytes = Atomic<Int>(0)
    /// Handlers running, server-wide (including those of streams already reset).
    let runningCalls = Atomic<Int>(0)
    /// Times a defence acted, by kind.
    private let defences = Mutex<[GRPCServer.Defence: Int]>([:])
    /// Calls completed, by status code (0...16; the last slot counts any other code).
    private let statusCounts = Mutex<[Int]>(Array(repeating: 0, count: 18))

    func addQueued(_ delta: Int) {
        let now = queuedResponseBytes.add(delta, ordering: .relaxed).newValue
        if delta > 0 { _ = peakQueuedResponseBytes.max(now, ordering: .relaxed) }
    }

    /// Reserves `count` buffered request bytes unless that would pass `budget`.
    func reserveRequestBytes(_ count: Int, budget: Int) -> Bool {
        let now = bufferedRequestBytes.add(count, ordering: .relaxed).newValue
        if now <= budget { return true }
        bufferedRequestBytes.subtract(count, ordering: .relaxed)
        return false
    }

    func releaseRequestBytes(_ count: Int) {
        if count != 0 { bufferedRequestBytes.subtract(count, ordering: .relaxed) }
    }

    /// Claims a slot for a handler unless `limit` handlers already run.
    func claimCall(limit: Int) -> Bool {
        let now = runningCalls.add(1, ordering: .relaxed).newValue
        if now <= limit { return true }
        runningCalls.subtract(1, ordering: .relaxed)
        return false
    }

    func releaseCall() {
        runningCalls.subtract(1, ordering: .relaxed)
    }

    func recordDefence(_ defence: GRPCServer.Defence) {
        defences.withLock { $0[defence, default: 0] += 1 }
    }

    var defenceCounts: [GRPCServer.Defence: Int] { defences.withLock { $0 } }

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
