/// The life of one server connection, as pure state: open → draining (GOAWAY sent, streams finishing) → closing.
/// The handler feeds it events and carries out what it decides; the per-call states live in
/// ``ServerCallStateMachine``.
struct ServerConnectionStateMachine {
    enum State: Equatable {
        /// Accepted; the socket is not active yet.
        case idle
        /// Serving streams.
        case open
        /// A GOAWAY went out: no new streams, the open ones finish.
        case draining
        /// The socket is being closed; nothing more is read or written.
        case closing
    }

    /// What to do about a request to close.
    enum CloseDecision: Equatable {
        /// Write what is queued, then close the socket.
        case closeNow
        /// Output is being produced right now (this runs inside nghttp2 or the flush loop): close once it is done.
        case afterOutput
        /// Already closing.
        case none
    }

    private(set) var state: State = .idle
    private var closeAfterOutput = false

    /// The socket became active. Returns `true` the first time (arm timers, send the preface).
    mutating func activate() -> Bool {
        guard state == .idle else { return false }
        state = .open
        return true
    }

    /// A graceful shutdown or a defence starts draining. Returns `false` when already draining or closing.
    mutating func beginDraining() -> Bool {
        guard state == .open || state == .idle else { return false }
        state = .draining
        return true
    }

    var isDraining: Bool { state == .draining }
    var isClosing: Bool { state == .closing }

    /// The connection should close; `outputRunning` when the call comes from inside the output loop.
    mutating func requestClose(outputRunning: Bool) -> CloseDecision {
        guard state != .closing else { return .none }
        if outputRunning {
            closeAfterOutput = true
            return .afterOutput
        }
        state = .closing
        return .closeNow
    }

    /// A close is owed once the current output is written (requested from inside nghttp2 callbacks).
    mutating func closeOnceOutputIsWritten() {
        if state != .closing { closeAfterOutput = true }
    }

    /// The output loop finished a round: whether a deferred close must happen now.
    var owesClose: Bool { closeAfterOutput && state != .closing }
}
