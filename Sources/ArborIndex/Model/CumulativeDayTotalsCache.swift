import Synchronization

/// The ``CumulativeDayTotals`` an index holds, per dense source.
///
/// Queries never build them: a leaderboard over a window uses them when they are there and reads rows otherwise,
/// and marks them wanted. They come from ``ModelIndex/prepareRunningTotals()``, which the refresher calls after
/// publishing an index whose totals are wanted (off the request path), or are carried over from the index before
/// an incremental refresh. An index nobody ranks by a window never holds them.
final class CumulativeDayTotalsCache: Sendable {
    private struct State {
        /// Per source index: the totals, or `nil` once found not worth building (or not buildable).
        var built: [Int: CumulativeDayTotals?]
        var wanted: Bool
    }

    private let state: Mutex<State>
    /// Whether sparse sources get totals too (tests, to reach the totals with small data).
    let everySource: Bool

    /// - Parameters:
    ///   - carried: totals taken over from the index before a refresh, by source.
    ///   - wanted: whether a leaderboard asked for totals on that index.
    ///   - everySource: build and carry totals for sparse sources too.
    init(carried: [Int: CumulativeDayTotals?] = [:], wanted: Bool = false, everySource: Bool = false) {
        self.state = Mutex(State(built: carried, wanted: wanted))
        self.everySource = everySource
    }

    /// Whether `table` gets running totals.
    func worthBuilding(_ table: EventTable, nodeCount: Int) -> Bool {
        everySource || CumulativeDayTotals.worthBuilding(table, nodeCount: nodeCount)
    }

    /// The totals of `source` if they are built, marking them wanted.
    func ready(_ source: Int) -> CumulativeDayTotals? {
        state.withLock { state in
            state.wanted = true
            return state.built[source] ?? nil
        }
    }

    /// Whether a leaderboard over a window asked for totals.
    var wanted: Bool { state.withLock { $0.wanted } }

    /// Whether the totals of `source` are built or known not to be worth it.
    func isSettled(_ source: Int) -> Bool { state.withLock { $0.built[source] != nil } }

    /// The totals (or their absence) of `source`, if settled.
    func settled(_ source: Int) -> CumulativeDayTotals?? { state.withLock { $0.built[source] } }

    /// Builds the totals of `source` unless settled. The build runs outside the lock, so readers never wait for it.
    func prepare(_ source: Int, table: EventTable, nodeCount: Int) {
        guard !isSettled(source) else { return }
        let totals =
            worthBuilding(table, nodeCount: nodeCount)
            ? CumulativeDayTotals(table: table, nodeCount: nodeCount) : nil
        state.withLock { state in
            state.wanted = true
            if state.built[source] == nil { state.built[source] = .some(totals) }
        }
    }

    /// Bytes held by the totals built so far.
    var byteCount: Int {
        state.withLock { state in state.built.values.reduce(0) { $0 + ($1?.byteCount ?? 0) } }
    }
}
