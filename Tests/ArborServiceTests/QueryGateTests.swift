import ArborService
import ArborWire
import Synchronization
import Testing

/// The live-SQL gate: bounded concurrency, a deadline-ordered queue, shedding, and sharing of identical requests.
@Suite struct QueryGateTests {
    /// Work that blocks until released, recording the order in which executions started.
    final class Latch: Sendable {
        private let state = Mutex<(started: [String], waiters: [CheckedContinuation<Void, Never>], open: Bool)>(
            ([], [], false))

        var started: [String] { state.withLock { $0.started } }

        func work(_ name: String) async {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    state.started.append(name)
                    if state.open { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }

        func open() {
            let waiters = state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    @Test func runsAtMostTheLimitAndStartsQueuedCallsMostUrgentFirst() async throws {
        let gate = QueryGate(configuration: .init(maxConcurrent: 1, maxQueue: 8))
        let latch = Latch()
        let now = ContinuousClock.now
        async let first: String = gate.run(call: "C", key: "first", deadline: nil) { _ in
            await latch.work("first")
            return "first"
        }
        try await eventually { latch.started == ["first"] }
        // Queued in this order, but the nearer deadline must start first.
        async let late: String = gate.run(call: "C", key: "late", deadline: now + .seconds(60)) { _ in
            await latch.work("late")
            return "late"
        }
        try await Task.sleep(for: .milliseconds(50))
        async let urgent: String = gate.run(call: "C", key: "urgent", deadline: now + .seconds(30)) { _ in
            await latch.work("urgent")
            return "urgent"
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(latch.started == ["first"])
        latch.open()
        let results = try await [first, late, urgent]
        #expect(results == ["first", "late", "urgent"])
        #expect(latch.started == ["first", "urgent", "late"])
    }

    @Test func identicalQueuedRequestsShareOneExecution() async throws {
        let gate = QueryGate(configuration: .init(maxConcurrent: 1, maxQueue: 8))
        let latch = Latch()
        let executions = Shared(0)
        async let blocker: Int = gate.run(call: "C", key: "blocker", deadline: nil) { _ in
            await latch.work("blocker")
            return 0
        }
        try await eventually { latch.started == ["blocker"] }
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try await gate.run(call: "C", key: "same", deadline: nil) { _ in
                        executions.update { $0 += 1 }
                        return 42
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            latch.open()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        _ = try await blocker
        #expect(results == Array(repeating: 42, count: 10))
        let executionCount = executions.value
        #expect(executionCount == 1)
        #expect(gate.counts.shared == 9)
    }

    @Test func aFullQueueShedsAtOnceWithResourceExhausted() async throws {
        let gate = QueryGate(configuration: .init(maxConcurrent: 1, maxQueue: 1))
        let latch = Latch()
        async let running: Int = gate.run(call: "C", key: 1, deadline: nil) { _ in
            await latch.work("running")
            return 1
        }
        try await eventually { latch.started.count == 1 }
        async let queued: Int = gate.run(call: "C", key: 2, deadline: nil) { _ in 2 }
        try await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        await #expect {
            try await gate.run(call: "C", key: 3, deadline: nil) { _ in 3 }
        } throws: { error in
            (error as? RPCError)?.code == .resourceExhausted
                && (error as? RPCError)?.message.contains("queue is full") == true
        }
        #expect(ContinuousClock.now - started < .seconds(1))
        latch.open()
        #expect(try await [running, queued] == [1, 2])
    }

    @Test func aWaitingCallIsShedOnceItsDeadlineCanNoLongerBeMet() async throws {
        let gate = QueryGate(configuration: .init(maxConcurrent: 1, maxQueue: 8))
        let latch = Latch()
        async let running: Int = gate.run(call: "C", key: 1, deadline: nil) { _ in
            await latch.work("running")
            return 1
        }
        try await eventually { latch.started.count == 1 }
        let started = ContinuousClock.now
        await #expect {
            try await gate.run(call: "C", key: 2, deadline: .now + .milliseconds(200)) { _ in 2 }
        } throws: { error in
            (error as? RPCError)?.code == .resourceExhausted
        }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(150) && waited < .seconds(2))
        latch.open()
        #expect(try await running == 1)
        #expect(gate.counts.shed == 1)
    }

    @Test func aCancelledWaiterLeavesTheQueueAndItsWorkNeverRuns() async throws {
        let gate = QueryGate(configuration: .init(maxConcurrent: 1, maxQueue: 8))
        let latch = Latch()
        let ran = Shared(false)
        async let running: Int = gate.run(call: "C", key: 1, deadline: nil) { _ in
            await latch.work("running")
            return 1
        }
        try await eventually { latch.started.count == 1 }
        let waiter = Task {
            try await gate.run(call: "C", key: 2, deadline: nil) { _ in
                ran.update { $0 = true }
                return 2
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        latch.open()
        #expect(try await running == 1)
        // The slot went back and a later call runs.
        #expect(try await gate.run(call: "C", key: 3, deadline: nil) { _ in 3 } == 3)
        let workRan = ran.value
        #expect(!workRan)
    }

    @Test func theSharedExecutionGetsTheLatestDeadlineOfItsCallers() async throws {
        let gate = QueryGate(configuration: .init(maxConcurrent: 1, maxQueue: 8))
        let latch = Latch()
        let seen = Shared<ContinuousClock.Instant??>(nil)
        async let running: Int = gate.run(call: "C", key: 1, deadline: nil) { _ in
            await latch.work("running")
            return 1
        }
        try await eventually { latch.started.count == 1 }
        let near = ContinuousClock.now + .seconds(20)
        let far = near + .seconds(20)
        async let a: Int = gate.run(call: "C", key: "k", deadline: near) { deadline in
            seen.update { $0 = deadline }
            return 7
        }
        try await Task.sleep(for: .milliseconds(30))
        async let b: Int = gate.run(call: "C", key: "k", deadline: far) { _ in 8 }
        try await Task.sleep(for: .milliseconds(30))
        latch.open()
        #expect(try await [running, a, b] == [1, 7, 7])
        #expect(seen.value == .some(far))
    }
}

/// A value tasks share in a test.
private final class Shared<Value: Sendable>: Sendable {
    private let state: Mutex<Value>
    init(_ value: Value) { state = Mutex(value) }
    var value: Value { state.withLock { $0 } }
    func update(_ body: (inout Value) -> Void) { state.withLock { body(&$0) } }
}

/// Polls `condition` until it holds or `timeout` passes.
private func eventually(
    timeout: Duration = .seconds(5), sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        if ContinuousClock.now > deadline {
            Issue.record("condition did not hold within \(timeout)", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
