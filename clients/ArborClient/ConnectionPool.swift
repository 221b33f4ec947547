import ArborHTTP2
import Synchronization

/// A fixed number of HTTP/2 connections to one server, handed out round-robin. Each connection carries many
/// concurrent calls (one HTTP/2 stream each), so a handful of connections spreads load across server event loops.
///
/// Connections open lazily, on first use of their slot. A slot whose connection failed (UNAVAILABLE) is emptied
/// and reconnects on its next use, so a restarted server is picked up without restarting the client.
final class ConnectionPool: Sendable {
    private enum Slot {
        case empty
        case connecting(Task<GRPCClientConnection, any Error>, generation: UInt64)
        case ready(GRPCClientConnection, generation: UInt64)
    }

    private struct State {
        var slots: [Slot]
        var next = 0
        var generation: UInt64 = 0
        var closed = false
    }

    /// A connection on loan, with what is needed to report it broken.
    struct Lease: Sendable {
        let connection: GRPCClientConnection
        let slot: Int
        let generation: UInt64
    }

    let address: ServerAddress
    private let configuration: GRPCClientConnection.Configuration
    private let state: Mutex<State>

    init(address: ServerAddress, size: Int, configuration: GRPCClientConnection.Configuration) {
        precondition(size >= 1, "a pool needs at least one connection")
        self.address = address
        self.configuration = configuration
        self.state = Mutex(State(slots: Array(repeating: .empty, count: size)))
    }

    /// The next connection in round-robin order, connecting its slot first when it is empty.
    func lease() async throws(RPCError) -> Lease {
        enum Step {
            case use(Lease)
            case wait(Task<GRPCClientConnection, any Error>, slot: Int, generation: UInt64)
        }
        let address = address
        let configuration = configuration
        let step: Step = try state.withLock { state throws(RPCError) in
            guard !state.closed else { throw RPCError(code: .unavailable, message: "the client is closed") }
            let slot = state.next % state.slots.count
            state.next = (state.next + 1) % state.slots.count
            switch state.slots[slot] {
            case .ready(let connection, let generation):
                return .use(Lease(connection: connection, slot: slot, generation: generation))
            case .connecting(let task, let generation):
                return .wait(task, slot: slot, generation: generation)
            case .empty:
                state.generation += 1
                let task = Task<GRPCClientConnection, any Error> {
                    try await GRPCClientConnection.connect(
                        host: address.host, port: address.port, configuration: configuration)
                }
                state.slots[slot] = .connecting(task, generation: state.generation)
                return .wait(task, slot: slot, generation: state.generation)
            }
        }
        switch step {
        case .use(let lease):
            return lease
        case .wait(let task, let slot, let generation):
            do {
                let connection = try await task.value
                let closeNow = state.withLock { state -> Bool in
                    if state.closed { return true }
                    if case .connecting(_, generation) = state.slots[slot] {
                        state.slots[slot] = .ready(connection, generation: generation)
                    }
                    return false
                }
                if closeNow {
                    await connection.close()
                    throw RPCError(code: .unavailable, message: "the client is closed")
                }
                return Lease(connection: connection, slot: slot, generation: generation)
            } catch {
                state.withLock { state in
                    if case .connecting(_, generation) = state.slots[slot] { state.slots[slot] = .empty }
                }
                if let error = error as? RPCError { throw error }
                throw RPCError(code: .unavailable, message: "could not connect to \(address): \(error)", cause: error)
            }
        }
    }

    /// Reports that a call on `lease` failed in a way that may mean the connection is gone; its slot reconnects on
    /// next use. Calls still running on the old connection finish or fail on their own.
    func report(_ error: RPCError, on lease: Lease) {
        guard error.code == .unavailable else { return }
        let dropped = state.withLock { state -> GRPCClientConnection? in
            guard case .ready(let connection, lease.generation) = state.slots[lease.slot] else { return nil }
            state.slots[lease.slot] = .empty
            return connection
        }
        if let dropped { Task { await dropped.close() } }
    }

    /// Closes every connection; later leases fail with UNAVAILABLE.
    func close() async {
        let slots = state.withLock { state -> [Slot] in
            state.closed = true
            defer { state.slots = Array(repeating: .empty, count: state.slots.count) }
            return state.slots
        }
        for slot in slots {
            switch slot {
            case .ready(let connection, _): await connection.close()
            case .connecting(let task, _): if let connection = try? await task.value { await connection.close() }
            case .empty: break
            }
        }
    }
}
