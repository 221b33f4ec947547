/// Decides when to hand freed heap back to the system after a burst of calls.
///
/// A burst (an attack, a spike of large answers) leaves the heaps large with free pages that glibc keeps resident;
/// before, they were returned only at the next full load, up to ten minutes later. Trimming costs a few
/// milliseconds, so it happens only after real activity, once the server is quiet again, and not too often.
/// Pure: the caller passes its readings and the clock.
public struct BurstMemoryPolicy: Sendable {
    /// What the server looks like at one reading.
    public struct Reading: Sendable {
        /// Calls completed since start.
        public var completedCalls: Int
        /// Times a defence acted since start.
        public var defences: Int
        /// Calls running now.
        public var runningCalls: Int
        /// Response bytes queued now.
        public var queuedResponseBytes: Int

        public init(completedCalls: Int, defences: Int, runningCalls: Int, queuedResponseBytes: Int) {
            self.completedCalls = completedCalls
            self.defences = defences
            self.runningCalls = runningCalls
            self.queuedResponseBytes = queuedResponseBytes
        }
    }

    /// Calls since the last trim that make a burst.
    public var burstCalls = 5_000
    /// Running calls at or below which the server counts as quiet.
    public var quietCalls = 8
    /// Queued response bytes at or below which the server counts as quiet.
    public var quietQueuedBytes = 1 << 20
    /// The least time between two trims.
    public var minimumInterval: Duration = .seconds(10)

    private var baseline: Reading?
    private var lastTrim: ContinuousClock.Instant?

    public init() {}

    /// Whether to trim now; when it says yes, the reading becomes the new baseline.
    public mutating func shouldTrim(_ reading: Reading, now: ContinuousClock.Instant) -> Bool {
        guard let baseline else {
            self.baseline = reading
            return false
        }
        if let lastTrim, lastTrim.duration(to: now) < minimumInterval { return false }
        let burst =
            reading.completedCalls - baseline.completedCalls >= burstCalls || reading.defences > baseline.defences
        let quiet = reading.runningCalls <= quietCalls && reading.queuedResponseBytes <= quietQueuedBytes
        guard burst, quiet else { return false }
        self.baseline = reading
        lastTrim = now
        return true
    }
}
