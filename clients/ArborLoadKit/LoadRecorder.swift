import Synchronization

/// Outcomes of a phase, shared by its workers.
final class LoadRecorder: Sendable {
    private let stats = Mutex<[CallKind: LatencyStats]>([:])
    private let issued = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)

    /// Takes a ticket for one more request; false once `limit` tickets are out.
    func reserve(limit: Int) -> Bool {
        issued.wrappingAdd(1, ordering: .relaxed).newValue <= limit
    }

    func record(_ kind: CallKind, microseconds: UInt64, outcome: CallOutcome) {
        stats.withLock { $0[kind, default: LatencyStats()].record(microseconds: microseconds, outcome: outcome) }
        completed.wrappingAdd(1, ordering: .relaxed)
        if case .failed = outcome { failed.wrappingAdd(1, ordering: .relaxed) }
    }

    var counts: (completed: Int, failed: Int) {
        (completed.load(ordering: .relaxed), failed.load(ordering: .relaxed))
    }

    var byCall: [CallKind: LatencyStats] { stats.withLock { $0 } }

    /// p99 so far over every call, in milliseconds.
    var p99: Double {
        stats.withLock { stats in
            var all = LatencyStats()
            for value in stats.values { all.add(value) }
            return all.milliseconds(atPercentile: 99)
        }
    }
}
