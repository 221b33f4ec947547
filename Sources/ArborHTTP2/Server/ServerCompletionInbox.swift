import ArborWire
import NIOCore
import Synchronization

/// Where handler tasks leave their results for the connection's event loop.
///
/// Under load many calls finish at once; collecting them here and waking the loop once per batch (rather than
/// one `execute` per call) saves a task hop and a wake-up per call, and lets their responses leave in one write.
final class ServerCompletionInbox: Sendable {
    struct Completion: Sendable {
        var streamID: Int32
        var outcome: Result<[UInt8]?, RPCError>
    }

    private let state = Mutex<(items: [Completion], drainScheduled: Bool)>(([], false))

    /// Adds a completion; returns `true` when the caller must schedule a drain on the event loop.
    func push(_ completion: Completion) -> Bool {
        state.withLock { state in
            state.items.append(completion)
            if state.drainScheduled { return false }
            state.drainScheduled = true
            return true
        }
    }

    /// Takes every completion queued so far; the next push schedules a new drain.
    func takeAll() -> [Completion] {
        state.withLock { state in
            state.drainScheduled = false
            var items: [Completion] = []
            swap(&items, &state.items)
            return items
        }
    }
}
