import ArborLogging
import ArborModel
import Logging
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bounded pool of PostgreSQL connections whose blocking libpq calls run on the client's own threads.
///
/// Callers borrow a connection for the length of a closure; the closure runs on one of the client's threads
/// (an `NIOThreadPool`, never an event loop or the Swift concurrency pool), so it may block:
///
/// ```swift
/// let client = PostgresClient(configuration: try .resolve(databaseURL: nil), maxConnections: 8, logger: logger)
/// let names = try await client.withReadOnlySnapshot(deadline: .now + .milliseconds(200)) { connection in
///     try connection.query("SELECT name FROM users WHERE role = $1", ["LPR"]).map { try $0.decode(String.self, at: 0) }
/// }
/// await client.shutdown()
/// ```
///
/// - Waiting for a connection is async and ends early with ``StoreError/Code/cancelled`` or
///   ``StoreError/Code/deadlineExceeded``.
/// - A deadline sets `statement_timeout` for the work and sends a cancel request (`PQcancel`) when it passes;
///   so does cancelling the calling task. The error is then ``StoreError/Code/deadlineExceeded`` or
///   ``StoreError/Code/cancelled``, and the server has stopped the statement.
/// - Broken connections are replaced. While PostgreSQL is unreachable, calls fail at once with
///   ``StoreError/Code/connectionFailed`` and reconnection is retried with exponential backoff (up to 3 s).
///
/// Call ``shutdown()`` before dropping the client.
public final class PostgresClient: Sendable {
    private typealias StateMachine = ConnectionPoolStateMachine<PostgresConnection>

    private struct State {
        var machine: StateMachine
        var continuations: [StateMachine.WaiterID: CheckedContinuation<PostgresConnection, any Error>] = [:]
        var nextWaiterID = 0
    }

    /// The connection parameters.
    public let configuration: PostgresConfiguration
    /// The most connections this client opens.
    public let maxConnections: Int
    private let logger: Logger
    private let threadPool: NIOThreadPool
    /// Reconnection attempts during an outage fail over and over; one line per 10 s says so, with a count.
    private let eventLog = RateLimitedLog()
    private let state: Mutex<State>

    /// Creates a client; it connects lazily, on first use.
    ///
    /// - Parameters:
    ///   - configuration: Where PostgreSQL is.
    ///   - maxConnections: The most connections open at once (at least 1); callers beyond it wait.
    ///   - logger: Receives connection failures with full detail (never sent to callers).
    public convenience init(configuration: PostgresConfiguration, maxConnections: Int = 8, logger: Logger) {
        self.init(
            configuration: configuration, maxConnections: maxConnections, logger: logger,
            backoff: ConnectionPoolStateMachine<PostgresConnection>.Backoff())
    }

    init(
        configuration: PostgresConfiguration, maxConnections: Int, logger: Logger,
        backoff: ConnectionPoolStateMachine<PostgresConnection>.Backoff
    ) {
        let maxConnections = max(1, maxConnections)
        self.configuration = configuration
        self.maxConnections = maxConnections
        self.logger = logger
        // A thread for each connection's work and one for each loan's cancel requests, so a cancel never queues
        // behind the statements it is meant to stop, plus one for connects and closes. Idle threads only wait.
        self.threadPool = NIOThreadPool(numberOfThreads: 2 * maxConnections + 1)
        self.threadPool.start()
        self.state = Mutex(State(machine: StateMachine(maxConnections: maxConnections, backoff: backoff)))
    }

    /// Runs `body` on a pool thread with a connection of its own.
    ///
    /// With a `deadline`, `statement_timeout` is set to the time left for the work (and reset afterwards) and a
    /// cancel request goes to the server when the deadline passes. Cancelling the calling task cancels the running
    /// statement too. A transaction `body` leaves open is rolled back.
    ///
    /// - Parameters:
    ///   - deadline: When the caller stops waiting; `nil` for no limit.
    ///   - body: Blocking work with the connection; it must not keep the connection.
    /// - Throws: ``StoreError`` — ``StoreError/Code/deadlineExceeded``, ``StoreError/Code/cancelled``,
    ///   ``StoreError/Code/connectionFailed``, or what `body` threw.
    @discardableResult
    public func withConnection<T: Sendable>(
        deadline: ContinuousClock.Instant? = nil, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        // The session-level timeout (and any transaction `body` left open) is undone when the connection comes back,
        // after the caller has its answer.
        try await self.withLease(deadline: deadline, setsSessionTimeout: deadline != nil) { connection, remaining in
            if let remaining {
                try connection.execute("SELECT set_config('statement_timeout', $1, false)", [.text(remaining)])
            }
            return try body(connection)
        }
    }

    /// Runs `body` in one read-only REPEATABLE READ transaction: every statement sees the same snapshot.
    ///
    /// `BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY`, `SET LOCAL statement_timeout` from the deadline,
    /// `body`, `COMMIT`; on error, `ROLLBACK`. Deadlines and cancellation as in ``withConnection(deadline:_:)``.
    @discardableResult
    public func withReadOnlySnapshot<T: Sendable>(
        deadline: ContinuousClock.Instant? = nil, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await self.withTransaction(
            begin: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", deadline: deadline, body)
    }

    /// Runs `body` in one read-write transaction (READ COMMITTED), committed when `body` returns and rolled back
    /// when it throws. Deadlines and cancellation as in ``withConnection(deadline:_:)``.
    @discardableResult
    public func withTransaction<T: Sendable>(
        deadline: ContinuousClock.Instant? = nil, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await self.withTransaction(begin: "BEGIN", deadline: deadline, body)
    }

    /// Stops the client: waiting callers fail with ``StoreError/Code/shutDown``, idle connections close, lent ones
    /// close when they come back, and the threads stop once the running work has finished.
    public func shutdown() async {
        let actions = self.state.withLock { $0.machine.shutdown() }
        self.perform(actions)
        try? await self.threadPool.shutdownGracefully()
    }

    // MARK: - Lending

    private func withTransaction<T: Sendable>(
        begin: String, deadline: ContinuousClock.Instant?, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        // On failure the ROLLBACK happens when the connection comes back, after the caller has its error.
        try await self.withLease(deadline: deadline, setsSessionTimeout: false) { connection, remaining in
            try connection.execute(begin)
            if let remaining {
                try connection.execute("SELECT set_config('statement_timeout', $1, true)", [.text(remaining)])
            }
            let result = try body(connection)
            try connection.execute("COMMIT")
            return result
        }
    }

    /// Checks out a connection, runs `work` on a pool thread with it and the milliseconds left before the deadline
    /// (as text for `statement_timeout`), enforces the deadline and cancellation, and returns the connection.
    private func withLease<T: Sendable>(
        deadline: ContinuousClock.Instant?, setsSessionTimeout: Bool,
        _ work: @escaping @Sendable (PostgresConnection, String?) throws -> T
    ) async throws -> T {
        // An idle connection the server has closed (restart, idle timeout) is replaced before any work runs on it;
        // every idle one goes with it, so this repeats at most once per connection the pool holds.
        for _ in 0...self.maxConnections {
            if let result = try await self.withLeaseOnce(
                deadline: deadline, setsSessionTimeout: setsSessionTimeout, work)
            {
                return result.value
            }
        }
        throw StoreError(.connectionFailed, "PostgreSQL keeps closing new connections")
    }

    /// A result, so that `nil` can mean "the connection was stale, try another".
    private struct Outcome<T: Sendable>: Sendable {
        var value: T
    }

    private func withLeaseOnce<T: Sendable>(
        deadline: ContinuousClock.Instant?, setsSessionTimeout: Bool,
        _ work: @escaping @Sendable (PostgresConnection, String?) throws -> T
    ) async throws -> Outcome<T>? {
        if let deadline, deadline <= .now { throw Self.deadlineError() }
        try Self.checkCancellation()
        let connection = try await self.checkout(deadline: deadline)
        let lease = Lease(connection: connection)
        let timer = deadline.map { deadline in
            Task { [threadPool] in
                try await Task.sleep(until: deadline, tolerance: .milliseconds(1), clock: .continuous)
                lease.cancel(.deadline, on: threadPool)
            }
        }
        defer { timer?.cancel() }
        do {
            let result = try await withTaskCancellationHandler {
                try await self.threadPool.runIfActive { () throws -> Outcome<T>? in
                    guard connection.isAlive else { return nil }
                    let remaining = try deadline.map { deadline in
                        let left = ContinuousClock.now.duration(to: deadline)
                        guard left > .zero else { throw Self.deadlineError() }
                        return String(max(1, left.wholeMilliseconds))
                    }
                    return Outcome(value: try work(connection, remaining))
                }
            } onCancel: {
                lease.cancel(.task, on: self.threadPool)
            }
            guard let result else {
                _ = lease.finish()
                self.returnToPool(connection, reusable: false)
                return nil
            }
            self.release(lease, resetTimeout: setsSessionTimeout)
            return result
        } catch {
            self.release(lease, resetTimeout: setsSessionTimeout)
            throw Self.classify(error, reason: lease.reason, deadline: deadline)
        }
    }

    /// Maps a failure to what the caller asked for: a deadline or a cancellation wins over the error libpq
    /// reported for the cancelled statement.
    private static func classify(
        _ error: any Error, reason: Lease.CancelReason?, deadline: ContinuousClock.Instant?
    ) -> any Error {
        let storeError = error as? StoreError
        if error is NIOThreadPoolError.ThreadPoolInactive {
            return StoreError(.shutDown, "the database client has shut down")
        }
        if reason == .task || error is CancellationError {
            return StoreError(.cancelled, "the request was cancelled", statement: storeError?.statement)
        }
        let timedOut = storeError?.code == .cancelled || storeError?.code == .deadlineExceeded
        if reason == .deadline || (deadline != nil && timedOut) || (deadline.map { $0 <= .now } ?? false) {
            return StoreError(
                .deadlineExceeded, "the deadline passed before the database answered",
                serverDiagnostics: storeError?.serverDiagnostics, statement: storeError?.statement)
        }
        return error
    }

    /// Ends a loan. A connection left inside a transaction, or with the session timeout set, is reset on a pool
    /// thread first (the caller does not wait for that); one that broke or was sent a cancel is discarded.
    private func release(_ lease: Lease, resetTimeout: Bool) {
        let cancelled = lease.finish()
        let connection = lease.connection
        guard !cancelled, !connection.cancelRequested, connection.isConnected else {
            if !connection.isConnected { self.logger.warning("discarding a broken PostgreSQL connection") }
            self.returnToPool(connection, reusable: false)
            return
        }
        guard resetTimeout || !connection.isIdle else {
            self.returnToPool(connection, reusable: true)
            return
        }
        self.threadPool.submit { _ in
            if connection.isInTransaction { _ = try? connection.execute("ROLLBACK") }
            if resetTimeout { _ = try? connection.execute("RESET statement_timeout") }
            self.returnToPool(connection, reusable: connection.isConnected && connection.isIdle)
        }
    }

    private func returnToPool(_ connection: PostgresConnection, reusable: Bool) {
        let actions = self.state.withLock {
            $0.machine.connectionReleased(connection, reusable: reusable, now: .now)
        }
        self.perform(actions)
    }

    private func checkout(deadline: ContinuousClock.Instant?) async throws -> PostgresConnection {
        let waiter = self.state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return StateMachine.WaiterID(value: state.nextWaiterID)
        }
        let timer = deadline.map { deadline in
            Task {
                try await Task.sleep(until: deadline, tolerance: .milliseconds(1), clock: .continuous)
                self.giveUp(waiter, error: Self.deadlineError())
            }
        }
        defer { timer?.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let (cancelled, actions) = self.state.withLock { state in
                    // Checked under the lock: a cancellation handler that ran before the waiter was registered
                    // found nothing to cancel, but it ran after the flag was set, so the flag is seen here.
                    if Task.isCancelled { return (true, StateMachine.Actions()) }
                    state.continuations[waiter] = continuation
                    return (false, state.machine.leaseRequested(waiter, now: .now))
                }
                if cancelled {
                    continuation.resume(throwing: StoreError(.cancelled, "the request was cancelled"))
                } else {
                    self.perform(actions)
                }
            }
        } onCancel: {
            self.giveUp(waiter, error: StoreError(.cancelled, "the request was cancelled"))
        }
    }

    private func giveUp(_ waiter: StateMachine.WaiterID, error: StoreError) {
        let actions = self.state.withLock { $0.machine.waiterFailed(waiter, error: error) }
        self.perform(actions)
    }

    /// Carries out the state machine's actions; never called with the lock held.
    private func perform(_ actions: StateMachine.Actions) {
        if !actions.leases.isEmpty || !actions.failures.isEmpty {
            let resumptions = self.state.withLock { state in
                (
                    actions.leases.compactMap { lease in
                        state.continuations.removeValue(forKey: lease.waiter).map { ($0, lease.connection) }
                    },
                    actions.failures.compactMap { failure in
                        state.continuations.removeValue(forKey: failure.waiter).map { ($0, failure.error) }
                    }
                )
            }
            for (continuation, connection) in resumptions.0 { continuation.resume(returning: connection) }
            for (continuation, error) in resumptions.1 { continuation.resume(throwing: error) }
            // The state machine only lends to registered waiters; should one be missing, its connection goes back
            // rather than leak.
            if resumptions.0.count < actions.leases.count {
                let delivered = Set(resumptions.0.map { ObjectIdentifier($0.1) })
                for lease in actions.leases where !delivered.contains(ObjectIdentifier(lease.connection)) {
                    self.returnToPool(lease.connection, reusable: true)
                }
            }
        }
        if !actions.close.isEmpty {
            let connections = UncheckedConnections(actions.close)
            // Closing sends a terminate message; keep even that off the caller's thread.
            self.threadPool.submit { _ in _ = connections }
        }
        for _ in 0..<actions.open {
            self.threadPool.submit { [configuration, logger] _ in
                let result = Result { try PostgresConnection.connect(configuration: configuration) }
                let actions = self.state.withLock { state in
                    switch result {
                    case .success(let connection):
                        return state.machine.connectionOpened(connection, now: .now)
                    case .failure(let error):
                        return state.machine.connectionOpenFailed(
                            error as? StoreError ?? StoreError(.connectionFailed, "PostgreSQL is unreachable"),
                            now: .now)
                    }
                }
                if case .failure(let error) = result {
                    self.eventLog.log(
                        self.logger, level: .warning, kind: "connect-failed", "could not connect to PostgreSQL",
                        metadata: ["error": "\((error as? StoreError)?.logDescription ?? "\(error)")"])
                }
                self.perform(actions)
            }
        }
    }

    private static func deadlineError() -> StoreError {
        StoreError(.deadlineExceeded, "the deadline passed before the database answered")
    }

    private static func checkCancellation() throws {
        if Task.isCancelled { throw StoreError(.cancelled, "the request was cancelled") }
    }
}

/// Connections on their way to be closed on a pool thread.
private struct UncheckedConnections: @unchecked Sendable {
    // @unchecked Sendable: the pool has already forgotten these connections; the closure that receives them is
    // their only owner and only drops them.
    let connections: [PostgresConnection]
    init(_ connections: [PostgresConnection]) { self.connections = connections }
}

/// One loan of a connection: makes sure a cancel request is only sent while the loan's work runs, never to a
/// later borrower.
private final class Lease: Sendable {
    enum CancelReason: Sendable {
        case deadline
        case task
    }

    private struct State {
        var running = true
        var reason: CancelReason?
    }

    let connection: PostgresConnection
    private let state = Mutex(State())

    init(connection: PostgresConnection) { self.connection = connection }

    var reason: CancelReason? { self.state.withLock { $0.reason } }

    /// Records why the work is being cancelled, stops the connection from starting new statements, and sends cancel
    /// requests from a pool thread (each connects to the server, so it blocks briefly) until the work has ended.
    func cancel(_ reason: CancelReason, on threadPool: NIOThreadPool) {
        let send = self.state.withLock { state -> Bool in
            guard state.running, state.reason == nil else { return false }
            state.reason = reason
            return true
        }
        guard send else { return }
        self.connection.interrupt()
        guard let handle = self.connection.cancelHandle else { return }
        threadPool.submit { _ in
            // PQcancel is thread-safe. The server ignores a cancel that arrives while it is between statements or
            // has not yet read a statement already on its way, so it is repeated while the work still runs. A late
            // one cannot hit another borrower: a connection whose loan was cancelled is discarded on return.
            for _ in 0..<100 {
                handle.cancel()
                usleep(50_000)
                if !self.isRunning { return }
            }
        }
    }

    private var isRunning: Bool { self.state.withLock { $0.running } }

    /// Ends the loan; returns whether a cancel request was (or is being) sent.
    func finish() -> Bool {
        self.state.withLock { state in
            state.running = false
            return state.reason != nil
        }
    }
}
