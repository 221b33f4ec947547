import ArborService
import Testing

@Suite struct BurstMemoryPolicyTests {
    typealias Reading = BurstMemoryPolicy.Reading

    private func check(_ decision: Bool, _ expected: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(decision == expected, sourceLocation: sourceLocation)
    }

    @Test func trimsOnceTheServerIsQuietAfterABurstAndNotTooOften() {
        var policy = BurstMemoryPolicy()
        let start = ContinuousClock.now
        func reading(_ calls: Int, defences: Int = 0, running: Int = 0, queued: Int = 0) -> Reading {
            Reading(completedCalls: calls, defences: defences, runningCalls: running, queuedResponseBytes: queued)
        }
        check(policy.shouldTrim(reading(0), now: start), false)
        // Ordinary traffic is no burst.
        check(policy.shouldTrim(reading(100), now: start + .seconds(2)), false)
        // A burst still in progress: wait until it is quiet.
        check(policy.shouldTrim(reading(10_000, running: 500), now: start + .seconds(4)), false)
        check(policy.shouldTrim(reading(10_000, queued: 50 << 20), now: start + .seconds(6)), false)
        check(policy.shouldTrim(reading(10_000), now: start + .seconds(8)), true)
        // A defence acting is a burst too, but not twice within the interval.
        check(policy.shouldTrim(reading(10_001, defences: 1), now: start + .seconds(12)), false)
        check(policy.shouldTrim(reading(10_001, defences: 1), now: start + .seconds(19)), true)
        check(policy.shouldTrim(reading(10_002, defences: 1), now: start + .seconds(40)), false)
    }
}
