import Testing

@testable import ArborStore

@Suite struct ConnectionPoolStateMachineTests {
    typealias Machine = ConnectionPoolStateMachine<String>
    typealias Waiter = Machine.WaiterID

    let start = ContinuousClock.now
    func at(_ ms: Int) -> ContinuousClock.Instant { self.start + .milliseconds(ms) }
    func waiter(_ n: Int) -> Waiter { Waiter(value: n) }
    let refused = StoreError(.connectionFailed, "refused")

    @Test func opensOnDemandUpToTheLimitThenQueues() {
        var machine = Machine(maxConnections: 2)
        #expect(machine.leaseRequested(waiter(1), now: at(0)).open == 1)
        #expect(machine.leaseRequested(waiter(2), now: at(0)).open == 1)
        let third = machine.leaseRequested(waiter(3), now: at(0))
        #expect(third.open == 0 && third.leases.isEmpty && third.failures.isEmpty)
        #expect(machine.connectionCount == 2 && machine.waiterCount == 3)

        let first = machine.connectionOpened("a", now: at(1))
        #expect(first.leases.map(\.waiter) == [waiter(1)])
        let second = machine.connectionOpened("b", now: at(1))
        #expect(second.leases.map(\.waiter) == [waiter(2)])
        // A returned connection goes to the oldest waiter.
        let back = machine.connectionReleased("a", reusable: true, now: at(2))
        #expect(back.leases.count == 1 && back.leases[0].waiter == waiter(3) && back.leases[0].connection == "a")
        #expect(machine.leasedCount == 2 && machine.waiterCount == 0)
    }

    @Test func reusesIdleConnectionsLastInFirstOut() {
        var machine = Machine(maxConnections: 3)
        for n in 1...2 { _ = machine.leaseRequested(waiter(n), now: at(0)) }
        _ = machine.connectionOpened("a", now: at(0))
        _ = machine.connectionOpened("b", now: at(0))
        _ = machine.connectionReleased("a", reusable: true, now: at(1))
        _ = machine.connectionReleased("b", reusable: true, now: at(1))
        let next = machine.leaseRequested(waiter(3), now: at(2))
        #expect(next.open == 0 && next.leases.map(\.connection) == ["b"])
    }

    @Test func aBrokenConnectionIsClosedWithTheIdleOnesAndReplaced() {
        var machine = Machine(maxConnections: 2)
        _ = machine.leaseRequested(waiter(1), now: at(0))
        _ = machine.leaseRequested(waiter(2), now: at(0))
        _ = machine.connectionOpened("a", now: at(0))
        _ = machine.connectionOpened("b", now: at(0))
        _ = machine.connectionReleased("a", reusable: true, now: at(1))
        _ = machine.leaseRequested(waiter(3), now: at(1))  // gets "a"
        _ = machine.connectionReleased("a", reusable: true, now: at(1))
        _ = machine.leaseRequested(waiter(4), now: at(2))  // gets "a" again; "b" still lent
        let waiting = machine.leaseRequested(waiter(5), now: at(2))
        #expect(waiting.open == 0)
        let broken = machine.connectionReleased("b", reusable: false, now: at(3))
        #expect(broken.close == ["b"])
        #expect(broken.open == 1, "the waiter needs a fresh connection")
        #expect(machine.connectionCount == 2)
        _ = machine.connectionReleased("a", reusable: true, now: at(4))  // goes to waiter 5
        #expect(machine.waiterCount == 0)
        _ = machine.connectionOpened("c", now: at(5))
        #expect(machine.idleCount == 1)
        // Now a broken return also closes the idle ones.
        let again = machine.connectionReleased("a", reusable: false, now: at(6))
        #expect(Set(again.close) == ["a", "c"])
        #expect(machine.connectionCount == 0)
    }

    @Test func failedOpensFailWaitersFastAndBackOffExponentially() {
        var machine = Machine(maxConnections: 4)
        _ = machine.leaseRequested(waiter(1), now: at(0))
        _ = machine.leaseRequested(waiter(2), now: at(0))
        #expect(machine.openingCount == 2)
        let firstFailure = machine.connectionOpenFailed(refused, now: at(10))
        // One open is still in flight and may serve one waiter; the other fails now.
        #expect(firstFailure.failures.map(\.waiter) == [waiter(2)])
        #expect(firstFailure.failures.first?.error.code == .connectionFailed)
        let second = machine.connectionOpenFailed(refused, now: at(10))
        #expect(second.failures.map(\.waiter) == [waiter(1)])
        #expect(machine.isFailing)

        // Within the backoff, callers fail at once without a connection attempt.
        let during = machine.leaseRequested(waiter(3), now: at(50))
        #expect(during.open == 0 && during.failures.map(\.waiter) == [waiter(3)])

        // After the backoff (200 ms after the second failure), one probe; concurrent callers fail fast.
        let probe = machine.leaseRequested(waiter(4), now: at(211))
        #expect(probe.open == 1 && probe.failures.isEmpty)
        let other = machine.leaseRequested(waiter(5), now: at(212))
        #expect(other.open == 0 && other.failures.map(\.waiter) == [waiter(5)])
        let third = machine.connectionOpenFailed(refused, now: at(220))
        #expect(third.failures.map(\.waiter) == [waiter(4)])
        #expect(machine.leaseRequested(waiter(6), now: at(600)).failures.count == 1, "backoff is now 400 ms")
        let recovered = machine.leaseRequested(waiter(7), now: at(621))
        #expect(recovered.open == 1)
        let opened = machine.connectionOpened("a", now: at(630))
        #expect(opened.leases.map(\.waiter) == [waiter(7)])
        #expect(!machine.isFailing)
        // Healthy again: callers open connections normally.
        #expect(machine.leaseRequested(waiter(8), now: at(631)).open == 1)
    }

    @Test(arguments: [(1, 100), (2, 200), (3, 400), (5, 1600), (6, 3000), (40, 3000)])
    func backoffDoublesUpToItsCap(failures: Int, milliseconds: Int) {
        #expect(Machine.Backoff().delay(afterFailures: failures) == .milliseconds(milliseconds))
    }

    @Test func waitersThatGiveUpLeaveTheQueue() {
        var machine = Machine(maxConnections: 1)
        _ = machine.leaseRequested(waiter(1), now: at(0))
        _ = machine.leaseRequested(waiter(2), now: at(0))
        let gaveUp = machine.waiterFailed(waiter(2), error: StoreError(.cancelled, "cancelled"))
        #expect(gaveUp.failures.map(\.waiter) == [waiter(2)])
        #expect(machine.waiterFailed(waiter(2), error: StoreError(.cancelled, "again")).failures.isEmpty)
        let opened = machine.connectionOpened("a", now: at(1))
        #expect(opened.leases.map(\.waiter) == [waiter(1)])
        // Giving up after being served changes nothing: the connection comes back through release.
        #expect(machine.waiterFailed(waiter(1), error: StoreError(.cancelled, "late")).failures.isEmpty)
        #expect(machine.leasedCount == 1)
    }

    @Test func shutdownFailsWaitersAndClosesEverything() {
        var machine = Machine(maxConnections: 1)
        _ = machine.leaseRequested(waiter(1), now: at(0))
        _ = machine.connectionOpened("a", now: at(0))
        _ = machine.leaseRequested(waiter(2), now: at(0))
        let shutdown = machine.shutdown()
        #expect(shutdown.failures.map(\.waiter) == [waiter(2)])
        #expect(shutdown.failures.first?.error.code == .shutDown)
        #expect(machine.connectionReleased("a", reusable: true, now: at(1)).close == ["a"])
        #expect(machine.leaseRequested(waiter(3), now: at(2)).failures.first?.error.code == .shutDown)
    }
}
