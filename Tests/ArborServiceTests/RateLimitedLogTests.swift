import ArborLogging
import Logging
import Synchronization
import Testing

@Suite struct RateLimitedLogTests {
    /// Collects the lines a logger writes.
    final class Lines: Sendable {
        let lines = Mutex<[(message: String, metadata: Logger.Metadata)]>([])

        struct Handler: LogHandler {
            let sink: Lines
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                sink.lines.withLock { $0.append((event.message.description, event.metadata ?? [:])) }
            }
        }
    }

    @Test func oneLinePerKindPerIntervalCarryingTheSuppressedCount() {
        let sink = Lines()
        let logger = Logger(label: "test") { _ in Lines.Handler(sink: sink) }
        let log = RateLimitedLog(interval: .seconds(10))
        let start = ContinuousClock.now
        for second in 0..<25 {
            for _ in 0..<100 {
                log.log(logger, level: .warning, kind: "flood", "flood", now: start + .seconds(second))
            }
        }
        log.log(logger, level: .warning, kind: "other", "other", now: start)
        let lines = sink.lines.withLock { $0 }
        // 2,500 events of one kind over 25 s: lines at 0 s, 10 s and 20 s; another kind is not held back.
        #expect(lines.map(\.message) == ["flood", "flood", "flood", "other"])
        #expect(lines[0].metadata["suppressed"] == nil)
        #expect(lines[1].metadata["suppressed"] == "999")
        #expect(lines[2].metadata["suppressed"] == "999")
        #expect(lines[3].metadata["suppressed"] == nil)
        #expect(lines.allSatisfy { $0.metadata["kind"] != nil })
    }
}
