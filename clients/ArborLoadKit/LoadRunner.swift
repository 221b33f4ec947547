import ArborClient
import Synchronization

/// Runs a workload against a server: an optional warm-up, then one measured phase, with a progress line a second.
public struct LoadRunner: Sendable {
    public let client: ArborClient
    public let factory: RequestFactory
    public let configuration: LoadConfiguration

    public init(client: ArborClient, factory: RequestFactory, configuration: LoadConfiguration) {
        self.client = client
        self.factory = factory
        self.configuration = configuration
    }

    /// Warm-up (unmeasured) and the measured phase; `requireLive` sends every request with `require_live`.
    ///
    /// No request starts after the phase's duration; calls still running then finish (or hit their deadline), so a
    /// phase lasts at most duration + timeout.
    public func run(requireLive: Bool, progress: @escaping @Sendable (String) -> Void) async -> LoadReport {
        let freshness = Freshness(maxStaleness: configuration.maxStaleness, requireLive: requireLive)
        if configuration.warmup > .zero {
            progress("warming up for \(configuration.warmup)…")
            _ = await phase(duration: configuration.warmup, maxRequests: Int.max, freshness: freshness, progress: nil)
        }
        let (recorder, elapsed, unsent) = await phase(
            duration: configuration.duration, maxRequests: configuration.maxRequests, freshness: freshness,
            progress: progress)
        return LoadReport(
            mode: configuration.modeName, connections: configuration.connections,
            concurrency: configuration.concurrency, targetRate: configuration.rate, requireLive: requireLive,
            mix: configuration.mix.description, elapsedSeconds: elapsed, unsent: unsent, byCall: recorder.byCall)
    }

    private func phase(
        duration: Duration, maxRequests: Int, freshness: Freshness, progress: (@Sendable (String) -> Void)?
    ) async -> (LoadRecorder, Double, Int) {
        let recorder = LoadRecorder()
        var unsent = 0
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + duration
        let reporter = progress.map { progress in
            Task {
                var last = 0
                var second = 0
                while !Task.isCancelled {
                    try? await Task.sleep(until: start + .seconds(second + 1), clock: clock)
                    if Task.isCancelled { break }
                    second += 1
                    let (completed, failed) = recorder.counts
                    progress(
                        "[\(second)s] \(completed) done, \(completed - last)/s, \(failed) errors, p99 "
                            + String(format: "%.2f", recorder.p99) + " ms")
                    last = completed
                }
            }
        }
        switch configuration.mode {
        case .closedLoop(let concurrency):
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var generator = SplitMix64(seed: configuration.seed &+ UInt64(worker) &* 0x9E37_79B9)
                        while clock.now < end, recorder.reserve(limit: maxRequests) {
                            let call = factory.make(configuration.mix.pick(using: &generator), using: &generator)
                            let sent = clock.now
                            let outcome = await execute(call, freshness: freshness)
                            recorder.record(
                                call.kind, microseconds: Self.microseconds(clock.now - sent), outcome: outcome)
                        }
                    }
                }
            }
        case .openLoop(let rate, let maxInFlight):
            let schedule = OpenLoopSchedule(rate: rate)
            unsent = await withTaskGroup(of: Void.self) { group -> Int in
                var generator = SplitMix64(seed: configuration.seed)
                var inFlight = 0
                var index = 0
                var unsent = 0
                while index < maxRequests {
                    let intended = start + .nanoseconds(schedule.offsetNanoseconds(ofRequest: index))
                    guard intended < end else { break }
                    index += 1
                    try? await Task.sleep(until: intended, clock: clock)
                    while inFlight >= maxInFlight, clock.now < end {
                        await group.next()
                        inFlight -= 1
                    }
                    guard clock.now < end else {
                        // Due but never sent: every slot stayed busy until the end. Reported, not hidden.
                        unsent += 1
                        continue
                    }
                    let call = factory.make(configuration.mix.pick(using: &generator), using: &generator)
                    inFlight += 1
                    group.addTask {
                        let outcome = await execute(call, freshness: freshness)
                        // From the intended send time: a stalled server is charged for the queue behind the stall.
                        recorder.record(
                            call.kind, microseconds: Self.microseconds(clock.now - intended), outcome: outcome)
                    }
                }
                await group.waitForAll()
                return unsent
            }
        }
        let elapsed = clock.now - start
        reporter?.cancel()
        return (recorder, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, unsent)
    }

    static func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000_000)
    }

    /// Reads a traversal stream to its end; its meta is on the last chunk.
    static func drain(_ stream: TraversalStream) async throws(RPCError) -> ResponseMeta {
        var batches = stream.batches.makeAsyncIterator()
        var summary: TraversalSummary?
        while let batch = try await batches.next() { summary = batch.summary ?? summary }
        // The contract puts meta on the last chunk; a stream without it is a broken answer.
        guard let summary else { throw ResponseDecoding.malformed("the stream ended without meta") }
        return summary.meta
    }

    /// Runs one call to completion (a traversal stream is read to its end).
    func execute(_ call: PlannedCall, freshness: Freshness) async -> CallOutcome {
        let timeout = configuration.timeout
        do throws(RPCError) {
            let meta: ResponseMeta
            switch call {
            case .describe:
                meta = try await client.describe(freshness: freshness, timeout: timeout).meta
            case .descendants(let query):
                meta = try await Self.drain(try await client.descendants(query, freshness: freshness, timeout: timeout))
            case .ancestors(let query):
                meta = try await Self.drain(try await client.ancestors(query, freshness: freshness, timeout: timeout))
            case .stats(let query):
                meta = try await client.filteredStats(query, freshness: freshness, timeout: timeout).meta
            case .leaderboard(let query):
                meta = try await client.leaderboard(query, freshness: freshness, timeout: timeout).meta
            case .find(let search):
                meta = try await client.findNodes(search, freshness: freshness, timeout: timeout).meta
            case .cycles(let limit):
                meta = try await client.cycles(limit: limit, freshness: freshness, timeout: timeout).meta
            }
            return .answered(source: meta.source.description, stale: meta.stale)
        } catch {
            return .failed(status: error.code.name)
        }
    }
}
