import ArborWire
import NIOCore

/// A handler task's way back to its stream: every call hops to the connection's event loop.
struct ServerStreamSink: Sendable {
    let eventLoop: any EventLoop
    let connection: NIOLoopBound<GRPCServerConnectionHandler>
    let streamID: Int32
    let inbox: ServerCompletionInbox

    /// Queues one message and waits until the stream is below its high-water mark.
    func send(_ message: [UInt8]) async throws(RPCError) {
        let framed = GRPCMessageFramer.frame(message)
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                eventLoop.execute {
                    connection.value.enqueue(framed, streamID: streamID, continuation: continuation)
                }
            }
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(code: .cancelled, message: "stream closed", cause: error)
        }
    }

    /// Ends the call: with `.success(message)` a unary response (or `nil` after a stream), else an error status.
    func complete(_ outcome: Result<[UInt8]?, RPCError>) {
        if inbox.push(ServerCompletionInbox.Completion(streamID: streamID, outcome: outcome)) {
            let connection = connection
            eventLoop.execute { connection.value.drainCompletions() }
        }
    }
}
