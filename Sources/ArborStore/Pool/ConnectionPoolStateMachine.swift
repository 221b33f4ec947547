/// The connection pool's decisions, as a pure state machine: it takes events (a caller wants a connection, an
/// open finished or failed, a connection came back, a waiter gave up, shutdown) and returns ``Actions`` for the
/// ``PostgresClient`` to carry out. No I/O, no clock, no locks: time comes in as `now`, so it is tested without
/// sockets.
///
/// Rules:
/// - At most `maxConnections` connections exist (idle + lent + opening). Idle connections are reused last-in
///   first-out; waiters are served first-in first-out.
/// - A connection that comes back unusable is closed, and so is every idle one (they likely share its fate, e.g.
///   a server restart), so the next caller gets a fresh connection instead of a dead socket.
/// - When opening a connection fails, the pool enters a failing state: opens are retried after an exponential
///   backoff (``Backoff``), one probe at a time, and meanwhile every caller that would need a new connection fails
///   at once with the last connection error instead of waiting. The first successful open clears it.
struct ConnectionPoolStateMachine<Connection> {
    /// Identifies one caller waiting for a connection. The driver assigns them.
    struct WaiterID: Hashable, Sendable {
        var value: Int
    }

    /// What the driver must do after an event.
    struct Actions {
        /// Hand these connections to these waiters.
        var leases: [(waiter: WaiterID, connection: Connection)] = []
        /// Fail these waiters with these errors.
        var failures: [(waiter: WaiterID, error: StoreError)] = []
        /// Close these connections.
        var close: [Connection] = []
        /// Start this many connection attempts; report each with ``connectionOpened(_:now:)`` or
        /// ``connectionOpenFailed(_:now:)``.
        var open = 0
    }

    /// Exponential backoff between failed connection attempts.
    struct Backoff {
        var initial: Duration = .milliseconds(100)
        var maximum: Duration = .seconds(3)

        /// The wait after `failures` consecutive failed attempts (1, 2, …): initial, 2×initial, … up to maximum.
        func delay(afterFailures failures: Int) -> Duration {
            var delay = self.initial
            for _ in 1..<max(1, failures) {
                delay *= 2
                if delay >= self.maximum { return self.maximum }
            }
            return min(delay, self.maximum)
        }
    }

    private struct Failing {
        var consecutiveFailures: Int
        var retryAt: ContinuousClock.Instant
        var error: StoreError
    }

    let maxConnections: Int
    let backoff: Backoff
    private var idle: [Connection] = []
    private var leased = 0
    private var opening = 0
    private var waiters: [WaiterID] = []
    private var failing: Failing?
    private var isShutDown = false

    init(maxConnections: Int, backoff: Backoff = Backoff()) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.maxConnections = maxConnections
        self.backoff = backoff
    }

    /// Connections that exist: idle, lent or being opened.
    var connectionCount: Int { self.idle.count + self.leased + self.opening }
    var idleCount: Int { self.idle.count }
    var leasedCount: Int { self.leased }
    var openingCount: Int { self.opening }
    var waiterCount: Int { self.waiters.count }
    /// Whether the pool is failing fast after a failed connection attempt.
    var isFailing: Bool { self.failing != nil }

    /// A caller wants a connection. The waiter is either served or failed in the returned actions, or waits.
    mutating func leaseRequested(_ waiter: WaiterID, now: ContinuousClock.Instant) -> Actions {
        if self.isShutDown {
            return Actions(failures: [(waiter, StoreError(.shutDown, "the database client has shut down"))])
        }
        self.waiters.append(waiter)
        return self.settle(now: now)
    }

    /// A waiter gave up (its task was cancelled or its deadline passed). If it is still waiting it is failed with
    /// `error`; if it was already served, nothing happens (the caller returns the connection as usual).
    mutating func waiterFailed(_ waiter: WaiterID, error: StoreError) -> Actions {
        guard let index = self.waiters.firstIndex(of: waiter) else { return Actions() }
        self.waiters.remove(at: index)
        return Actions(failures: [(waiter, error)])
    }

    mutating func connectionOpened(_ connection: Connection, now: ContinuousClock.Instant) -> Actions {
        precondition(self.opening > 0, "an open finished that was never started")
        self.opening -= 1
        self.failing = nil
        if self.isShutDown { return Actions(close: [connection]) }
        self.idle.append(connection)
        return self.settle(now: now)
    }

    mutating func connectionOpenFailed(_ error: StoreError, now: ContinuousClock.Instant) -> Actions {
        precondition(self.opening > 0, "an open failed that was never started")
        self.opening -= 1
        let failures = (self.failing?.consecutiveFailures ?? 0) + 1
        self.failing = Failing(
            consecutiveFailures: failures, retryAt: now + self.backoff.delay(afterFailures: failures), error: error)
        return self.settle(now: now)
    }

    /// A lent connection came back. `reusable` is false when it broke, was sent a cancel, or could not be returned
    /// to an idle state.
    mutating func connectionReleased(_ connection: Connection, reusable: Bool, now: ContinuousClock.Instant) -> Actions
    {
        precondition(self.leased > 0, "a connection came back that was never lent")
        self.leased -= 1
        var actions = Actions()
        if self.isShutDown || !reusable {
            actions.close.append(connection)
            if !reusable {
                actions.close.append(contentsOf: self.idle)
                self.idle.removeAll()
            }
        } else {
            self.idle.append(connection)
        }
        let more = self.settle(now: now)
        actions.leases += more.leases
        actions.failures += more.failures
        actions.close += more.close
        actions.open += more.open
        return actions
    }

    /// Stops the pool: waiters fail, idle connections close, lent ones close when they come back.
    mutating func shutdown() -> Actions {
        self.isShutDown = true
        let error = StoreError(.shutDown, "the database client has shut down")
        let actions = Actions(failures: self.waiters.map { ($0, error) }, close: self.idle)
        self.waiters.removeAll()
        self.idle.removeAll()
        return actions
    }

    /// Serves waiters from idle connections, then opens connections for the rest, or fails them fast while the
    /// server is failing.
    private mutating func settle(now: ContinuousClock.Instant) -> Actions {
        var actions = Actions()
        while !self.waiters.isEmpty, let connection = self.idle.popLast() {
            self.leased += 1
            actions.leases.append((self.waiters.removeFirst(), connection))
        }
        let uncovered = self.waiters.count - self.opening
        guard uncovered > 0 else { return actions }
        let capacity = self.maxConnections - self.connectionCount
        if let failing = self.failing {
            // One probe at a time once the backoff has passed; everyone else fails now rather than hang.
            if capacity > 0 && self.opening == 0 && now >= failing.retryAt {
                self.opening += 1
                actions.open += 1
            }
            let failCount = self.waiters.count - self.opening
            if failCount > 0 {
                let failed = self.waiters.suffix(failCount)
                self.waiters.removeLast(failCount)
                actions.failures += failed.map { ($0, failing.error) }
            }
            return actions
        }
        let toOpen = min(uncovered, capacity)
        self.opening += toOpen
        actions.open += toOpen
        return actions
    }
}
