import ArborWire
import Synchronization

/// The messages of a server-streaming response between the event loop (producer) and the iterating task.
///
/// It also carries the client's flow control: while more than ``highWaterMark`` bytes wait unread, the connection
/// stops returning HTTP/2 window to the server, so a slow consumer slows the server instead of growing memory.
/// Once the reader brings the backlog under ``lowWaterMark``, ``next()`` reports it and the window reopens.
final class ClientResponseBuffer: Sendable {
    static let highWaterMark = 1 << 20
    static let lowWaterMark = 256 * 1024

    private struct State {
        var messages: [[UInt8]] = []
        var head = 0
        var bufferedBytes = 0
        var outcome: RPCError?? = nil
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
        var windowHeld = false
    }

    private let state = Mutex(State())

    /// Loop side: queues a message.
    func push(_ message: [UInt8]) {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.messages.append(message)
            state.bufferedBytes += message.count
            return nil
        }
        waiter?.resume(returning: message)
    }

    /// Loop side: whether the backlog is over the high-water mark; if so the window is held until the reader
    /// drains it.
    func holdWindowIfFull() -> Bool {
        state.withLock { state in
            if state.bufferedBytes > Self.highWaterMark { state.windowHeld = true }
            return state.windowHeld
        }
    }

    /// Loop side: the call ended (`nil` for OK). Queued messages are still delivered first.
    func finish(_ error: RPCError?) {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
            guard state.outcome == nil else { return nil }
            state.outcome = .some(error)
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    /// Reader side: the next message, `nil` at the end; `releaseWindow` is called when the reader has drained a
    /// backlog that held the window.
    func next(releaseWindow: () -> Void) async throws -> [UInt8]? {
        enum Step {
            case message([UInt8], release: Bool)
            case end(RPCError?)
            case wait
        }
        let step = state.withLock { state -> Step in
            if state.head < state.messages.count {
                let message = state.messages[state.head]
                state.head += 1
                state.bufferedBytes -= message.count
                if state.head == state.messages.count {
                    state.messages.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                let release = state.windowHeld && state.bufferedBytes <= Self.lowWaterMark
                if release { state.windowHeld = false }
                return .message(message, release: release)
            }
            if let outcome = state.outcome { return .end(outcome) }
            return .wait
        }
        switch step {
        case .message(let message, let release):
            if release { releaseWindow() }
            return message
        case .end(let error):
            if let error { throw error }
            return nil
        case .wait:
            return try await withCheckedThrowingContinuation { continuation in
                let arrivedMeanwhile = state.withLock { state -> Bool in
                    // The producer may have delivered between the check above and now.
                    if state.head < state.messages.count || state.outcome != nil { return true }
                    state.waiter = continuation
                    return false
                }
                if arrivedMeanwhile { continuation.resume(throwing: RetryRead()) }
            }
        }
    }

    /// Thrown internally when a message arrived while a read was about to wait; the reader simply reads again.
    struct RetryRead: Error {}

    /// Reader side: fails a pending read (the reading task was cancelled).
    func cancelWaiter(_ error: RPCError) {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(throwing: error)
    }
}

/// Cancels its call when the last copy of the response sequence (and its iterators) goes away.
final class ClientStreamCallHandle: Sendable {
    let buffer: ClientResponseBuffer
    private let cancelCall: @Sendable () -> Void
    private let releaseWindow: @Sendable () -> Void

    init(
        buffer: ClientResponseBuffer,
        cancelCall: @escaping @Sendable () -> Void,
        releaseWindow: @escaping @Sendable () -> Void
    ) {
        self.buffer = buffer
        self.cancelCall = cancelCall
        self.releaseWindow = releaseWindow
    }

    deinit { cancelCall() }

    func next() async throws(RPCError) -> [UInt8]? {
        while true {
            do {
                return try await withTaskCancellationHandler {
                    try await buffer.next(releaseWindow: releaseWindow)
                } onCancel: {
                    buffer.cancelWaiter(RPCError(code: .cancelled, message: "call cancelled"))
                    cancelCall()
                }
            } catch is ClientResponseBuffer.RetryRead {
                continue
            } catch let error as RPCError {
                throw error
            } catch {
                throw RPCError(code: .unknown, message: "\(error)", cause: error)
            }
        }
    }
}
