public import Logging
import Synchronization

/// Logs repeated events of one kind at most once per interval, with how many were suppressed in between.
///
/// Floods and outages produce an event per frame, connection or call; a line for each would bury everything
/// else in the log (thousands of lines a minute) and cost more than the event. Shared by every connection.
public final class RateLimitedLog: Sendable {
    private struct Slot {
        var lastLogged: ContinuousClock.Instant
        var suppressed: Int
    }

    private let interval: Duration
    private let slots = Mutex<[String: Slot]>([:])

    /// - Parameter interval: the least time between two lines of the same kind.
    public init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    /// Logs `message` for `kind` unless a line of that kind went out less than an interval ago; a line that goes
    /// out carries `suppressed` (events since the last line) when there were any.
    public func log(
        _ logger: Logger, level: Logger.Level, kind: String, _ message: @autoclosure () -> Logger.Message,
        metadata: @autoclosure () -> Logger.Metadata = [:], now: ContinuousClock.Instant = .now
    ) {
        let suppressed: Int? = slots.withLock { slots in
            if var slot = slots[kind], slot.lastLogged.duration(to: now) < interval {
                slot.suppressed += 1
                slots[kind] = slot
                return nil
            }
            let suppressed = slots[kind]?.suppressed ?? 0
            slots[kind] = Slot(lastLogged: now, suppressed: 0)
            return suppressed
        }
        guard let suppressed else { return }
        var metadata = metadata()
        metadata["kind"] = "\(kind)"
        if suppressed > 0 { metadata["suppressed"] = "\(suppressed)" }
        logger.log(level: level, message(), metadata: metadata)
    }
}
