import ArborWire
import NIOCore
import Synchronization

/// Admission control for expensive queries: at most ``Configuration/maxConcurrent`` run at once, the rest wait in
/// a queue ordered by deadline, and identical requests that arrive while one waits share its execution.
///
/// Two gates use it. Live SQL: a live call costs 40–350× a cached one and holds a database connection; without a
/// gate, a few clients asking for `require_live` take every connection and everything else times out behind them.
/// Heavy cached queries (leaderboards, stats, cycles): without a gate, a few clients asking for leaderboards keep
/// every thread busy and cheap calls (a Descendants, a lookup) wait behind all of them. With a gate:
/// - a call that cannot start at once waits, most urgent deadline first, in a queue of bounded length; beyond the
///   queue, or once its deadline can no longer be met (the time left is less than live calls of its kind have
///   lately taken), it is shed with `RESOURCE_EXHAUSTED`, which a client may retry or answer from a staler source;
/// - an identical request (same call, same query) joins a queued execution instead of adding another. Only a
///   queued one: an execution already running read its snapshot before the newcomer arrived, and might miss a
///   write the newcomer has just committed.
public final class QueryGate: Sendable {
    public struct Configuration: Sendable {
        /// Queries running at once.
        public var maxConcurrent: Int
        /// Executions waiting to start; beyond this a call is shed at once.
        public var maxQueue: Int
        /// What the gated work is and what a shed caller can do, for the RESOURCE_EXHAUSTED message.
        public var work: String
        public var advice: String

        public init(
            maxConcurrent: Int = 8, maxQueue: Int = 64, work: String = "live SQL",
            advice: String = "retry later, or accept an older answer (a larger max_staleness_ms, no require_live)"
        ) {
            self.maxConcurrent = max(1, maxConcurrent)
            self.maxQueue = max(0, maxQueue)
            self.work = work
            self.advice = advice
        }
    }

    /// One execution and the callers waiting for its result.
    private final class Flight: Sendable {
        let key: any Hashable & Sendable
        let call: String
        let sequence: Int
        /// Guarded by the gate's lock.
        let state: Mutex<FlightState>

        init(key: any Hashable & Sendable, call: String, sequence: Int, deadline: ContinuousClock.Instant?) {
            self.key = key
            self.call = call
            self.sequence = sequence
            self.state = Mutex(FlightState(queueDeadline: deadline, workDeadline: deadline))
        }
    }

    private struct FlightState {
        /// The query, type-erased; set when the flight is created, run when it starts.
        var work: (@Sendable (ContinuousClock.Instant?) async throws -> any Sendable)?
        var members: [Int: CheckedContinuation<any Sendable, any Error>] = [:]
        /// Orders the queue: the earliest deadline of any member.
        var queueDeadline: ContinuousClock.Instant?
        /// Bounds the SQL: the latest deadline of any member (`nil` when one has none).
        var workDeadline: ContinuousClock.Instant?
        var started = false
        var task: Task<Void, Never>?
    }

    private struct State {
        var running = 0
        var queue: [Flight] = []
        /// Queued flights by key, for joining.
        var queuedByKey: [AnyHashable: Flight] = [:]
        var nextSequence = 0
        var nextMember = 0
        /// Recent duration of live calls, by call name (exponentially weighted).
        var typicalDuration: [String: Duration] = [:]
        var shed = 0
        var shared = 0
    }

    private let configuration: Configuration
    private let state = Mutex(State())

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Calls shed (refused or dropped from the queue) and calls that shared another's execution, since start.
    public var counts: (shed: Int, shared: Int) { state.withLock { ($0.shed, $0.shared) } }

    /// Runs `work` under the gate, or joins an identical queued execution.
    ///
    /// - Parameters:
    ///   - call: the call's name, for messages and duration estimates.
    ///   - key: identifies identical requests (the call and its validated query).
    ///   - deadline: when this caller stops waiting.
    ///   - work: the live query; it receives the deadline its SQL must respect (the latest of its callers').
    /// - Throws: `RESOURCE_EXHAUSTED` when shed, `CancellationError` when the caller is cancelled, or what `work`
    ///   threw.
    public func run<Value: Sendable>(
        call: String, key: some Hashable & Sendable, deadline: ContinuousClock.Instant?,
        _ work: @escaping @Sendable (ContinuousClock.Instant?) async throws -> Value
    ) async throws -> Value {
        let memberID = state.withLock { state -> Int in
            state.nextMember += 1
            return state.nextMember
        }
        let flightBox = Mutex<Flight?>(nil)
        let erased: @Sendable (ContinuousClock.Instant?) async throws -> any Sendable = { try await work($0) }
        let result: any Sendable = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let decision = admit(
                    call: call, key: key, deadline: deadline, memberID: memberID, work: erased,
                    continuation: continuation)
                switch decision {
                case .rejected(let error):
                    continuation.resume(throwing: error)
                case .joined(let flight), .queued(let flight):
                    flightBox.withLock { $0 = flight }
                    armShedTimer(flight: flight, memberID: memberID, deadline: deadline)
                case .start(let flight):
                    flightBox.withLock { $0 = flight }
                    start(flight)
                }
            }
        } onCancel: {
            if let flight = flightBox.withLock({ $0 }) {
                detach(memberID, from: flight, error: CancellationError())
            }
        }
        return result as! Value  // The flight's key includes the call, so every member expects the same type.
    }

    private enum Admission {
        case start(Flight)
        case queued(Flight)
        case joined(Flight)
        case rejected(RPCError)
    }

    private func admit(
        call: String, key: any Hashable & Sendable, deadline: ContinuousClock.Instant?, memberID: Int,
        work: @escaping @Sendable (ContinuousClock.Instant?) async throws -> any Sendable,
        continuation: CheckedContinuation<any Sendable, any Error>
    ) -> Admission {
        state.withLock { state -> Admission in
            if let flight = state.queuedByKey[AnyHashable(key)] {
                flight.state.withLock { flight in
                    flight.members[memberID] = continuation
                    flight.queueDeadline = Self.earlier(flight.queueDeadline, deadline)
                    flight.workDeadline = Self.later(flight.workDeadline, deadline)
                }
                state.shared += 1
                state.queue.sort(by: Self.moreUrgent)
                return .joined(flight)
            }
            state.nextSequence += 1
            let flight = Flight(key: key, call: call, sequence: state.nextSequence, deadline: deadline)
            flight.state.withLock {
                $0.members[memberID] = continuation
                $0.work = work
            }
            if state.running < configuration.maxConcurrent {
                state.running += 1
                flight.state.withLock { $0.started = true }
                return .start(flight)
            }
            guard state.queue.count < configuration.maxQueue else {
                state.shed += 1
                return .rejected(shedError(call, "every slot is busy and the queue is full"))
            }
            if let deadline, let typical = state.typicalDuration[call], ContinuousClock.now + typical > deadline {
                state.shed += 1
                return .rejected(
                    shedError(call, "it would have to wait, and \(call) calls take about \(typical) now"))
            }
            state.queue.append(flight)
            state.queue.sort(by: Self.moreUrgent)
            state.queuedByKey[AnyHashable(key)] = flight
            return .queued(flight)
        }
    }

    private func start(_ flight: Flight) {
        let task = Task {
            let started = ContinuousClock.now
            let (deadline, work) = flight.state.withLock { state in
                defer { state.work = nil }
                return (state.workDeadline, state.work)
            }
            let outcome: Result<any Sendable, any Error>
            do {
                guard let work else { throw CancellationError() }
                outcome = .success(try await work(deadline))
                record(call: flight.call, duration: .now - started)
            } catch {
                outcome = .failure(error)
            }
            let members = flight.state.withLock { state in
                defer { state.members = [:] }
                return state.members
            }
            for continuation in members.values { continuation.resume(with: outcome) }
            finished()
        }
        flight.state.withLock { $0.task = task }
    }

    /// A running execution ended: its slot goes to the most urgent queued flight.
    private func finished() {
        let next = state.withLock { state -> Flight? in
            guard !state.queue.isEmpty else {
                state.running -= 1
                return nil
            }
            let flight = state.queue.removeFirst()
            state.queuedByKey[AnyHashable(flight.key)] = nil
            flight.state.withLock { $0.started = true }
            return flight
        }
        if let next { start(next) }
    }

    /// Removes a caller from its flight; a queued flight left without callers leaves the queue, a running one is
    /// cancelled (its SQL is cancelled on the server).
    private func detach(_ memberID: Int, from flight: Flight, error: any Error) {
        let (continuation, abandonedTask) = state.withLock {
            state -> (CheckedContinuation<any Sendable, any Error>?, Task<Void, Never>?) in
            flight.state.withLock { flightState in
                guard let continuation = flightState.members.removeValue(forKey: memberID) else { return (nil, nil) }
                guard flightState.members.isEmpty else { return (continuation, nil) }
                if flightState.started { return (continuation, flightState.task) }
                flightState.work = nil
                state.queue.removeAll { $0 === flight }
                if state.queuedByKey[AnyHashable(flight.key)] === flight {
                    state.queuedByKey[AnyHashable(flight.key)] = nil
                }
                return (continuation, nil)
            }
        }
        abandonedTask?.cancel()
        continuation?.resume(throwing: error)
    }

    /// Sheds a waiting caller once its deadline can no longer be met even if its flight started at once.
    private func armShedTimer(flight: Flight, memberID: Int, deadline: ContinuousClock.Instant?) {
        guard let deadline else { return }
        let call = flight.call
        Task {
            let typical = state.withLock { $0.typicalDuration[call] } ?? .zero
            try? await Task.sleep(until: deadline - typical, clock: .continuous)
            let stillQueued = flight.state.withLock { !$0.started && $0.members[memberID] != nil }
            guard stillQueued else { return }
            state.withLock { $0.shed += 1 }
            detach(
                memberID, from: flight,
                error: shedError(call, "no slot came free in time for its deadline"))
        }
    }

    private func record(call: String, duration: Duration) {
        state.withLock { state in
            let previous = state.typicalDuration[call] ?? duration
            state.typicalDuration[call] = previous * 0.8 + duration * 0.2
        }
    }

    private func shedError(_ call: String, _ reason: String) -> RPCError {
        RPCError(
            code: .resourceExhausted,
            message: "\(call) needs \(configuration.work) and was shed: \(reason); \(configuration.advice)")
    }

    private static func moreUrgent(_ a: Flight, _ b: Flight) -> Bool {
        let (da, db) = (a.state.withLock { $0.queueDeadline }, b.state.withLock { $0.queueDeadline })
        switch (da, db) {
        case (let x?, let y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.sequence < b.sequence
        }
    }

    private static func earlier(_ a: ContinuousClock.Instant?, _ b: ContinuousClock.Instant?) -> ContinuousClock
        .Instant?
    {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }

    private static func later(_ a: ContinuousClock.Instant?, _ b: ContinuousClock.Instant?) -> ContinuousClock.Instant?
    {
        guard let a, let b else { return nil }
        return max(a, b)
    }
}

extension QueryGate.Configuration {
    /// Heavy cached queries: one fewer at once than there are cores (at least one), so cheap calls always find a
    /// thread; 256 may wait.
    public static var heavyDefault: Self {
        Self(
            maxConcurrent: max(1, System.coreCount - 1), maxQueue: 256, work: "a large in-memory computation",
            advice: "retry later")
    }
}
