import ArborWire
import Synchronization

/// Starts handler tasks for one connection, off its event loop.
///
/// The event loop only queues calls here; one dispatcher task per batch creates the per-call tasks. Under load
/// that moves task creation (and its allocations and thread wake-ups) off the loop, which is what bounds
/// throughput. Each call keeps its own task, so a reset or an expired deadline cancels exactly that call.
final class ServerCallDispatcher: Sendable {
    struct PendingCall: Sendable {
        var method: RPCRouter.Method
        var message: [UInt8]
        var context: RPCContext
        var sink: ServerStreamSink
        var cancellation: ServerCallCancellation
        /// Where the handler runs; `nil` for the global executor.
        var executor: (any TaskExecutor)?
    }

    private let state = Mutex<(pending: [PendingCall], dispatcherRunning: Bool)>(([], false))
    private let counters: GRPCServerCounters

    /// - Parameter counters: where each finished call gives back the server-wide slot it claimed.
    init(counters: GRPCServerCounters) {
        self.counters = counters
    }

    /// Queues a call; it starts soon on Swift's global executor.
    func start(_ call: PendingCall) {
        let needsDispatcher = state.withLock { state -> Bool in
            state.pending.append(call)
            if state.dispatcherRunning { return false }
            state.dispatcherRunning = true
            return true
        }
        guard needsDispatcher else { return }
        Task { self.dispatch() }
    }

    private func dispatch() {
        while true {
            let batch = state.withLock { state -> [PendingCall] in
                if state.pending.isEmpty {
                    state.dispatcherRunning = false
                    return []
                }
                var batch: [PendingCall] = []
                swap(&batch, &state.pending)
                return batch
            }
            if batch.isEmpty { return }
            for call in batch {
                call.cancellation.attach(
                    Task(executorPreference: call.executor) { [counters] in await Self.run(call, counters: counters) })
            }
        }
    }

    private static func run(_ call: PendingCall, counters: GRPCServerCounters) async {
        let outcome: Result<[UInt8]?, RPCError>
        do {
            switch call.method {
            case .unary(let handler):
                outcome = .success(try await handler(call.message, call.context))
            case .serverStreaming(let handler):
                try await handler(call.message, call.context, call.sink)
                outcome = .success(nil)
            case .inline(let handler):
                // Answered on the event loop before dispatch; kept total for the switch.
                outcome = .success(try handler(call.message, call.context))
            }
        } catch {
            outcome = .failure(RPCError.mapping(handlerError: error, context: call.context))
        }
        // Completion first: once the count reaches zero, no handler will touch an event loop again, which is
        // what shutdown waits for before it stops the loops.
        call.sink.complete(outcome)
        counters.releaseCall()
    }
}

/// Cancels a call's task, whether or not the dispatcher has created it yet.
final class ServerCallCancellation: Sendable {
    private enum State {
        case waiting
        case running(Task<Void, Never>)
        case cancelled
    }

    private let state = Mutex<State>(.waiting)

    func attach(_ task: Task<Void, Never>) {
        let cancelNow = state.withLock { state -> Bool in
            if case .cancelled = state { return true }
            state = .running(task)
            return false
        }
        if cancelNow { task.cancel() }
    }

    func cancel() {
        let task = state.withLock { state -> Task<Void, Never>? in
            defer { state = .cancelled }
            if case .running(let task) = state { return task }
            return nil
        }
        task?.cancel()
    }
}
