import NIOCore

/// The one loop that moves frames from an nghttp2 session to a channel, shared by the server and client handlers.
///
/// It writes while the channel is writable, in rounds of at most `chunkLimit` bytes, then flushes. NIO reports the
/// socket writable again from *inside* `flush()`; a handler that answers that event by pumping would re-enter this
/// loop. The re-entry is recorded instead and the running loop goes round again: dropping it stalled every answer
/// larger than the socket buffer until the peer happened to send another frame.
///
/// A class, not a struct: the re-entrant call comes through the handler while this loop runs, and a struct stored in
/// the handler would be accessed twice at once.
final class HTTP2OutputPump {
    enum Outcome {
        /// Everything nghttp2 had ready went out, or the channel stopped taking bytes (writability will call again).
        case flushed
        /// The loop was already running; it will go round again.
        case deferred
        /// nghttp2 could not produce output: the connection is beyond repair.
        case failed(HTTP2SessionError)
    }

    private let chunkLimit: Int
    private(set) var isRunning = false
    private var requested = false

    init(chunkLimit: Int = 256 * 1024) {
        self.chunkLimit = chunkLimit
    }

    func pump(_ session: HTTP2Session, to context: ChannelHandlerContext) -> Outcome {
        if isRunning {
            requested = true
            return .deferred
        }
        isRunning = true
        defer { isRunning = false }
        repeat {
            requested = false
            while context.channel.isWritable {
                var buffer = context.channel.allocator.buffer(capacity: 0)
                let produced: Int
                do {
                    produced = try session.send(limit: chunkLimit) { buffer.writeBytes($0) }
                } catch {
                    context.flush()
                    return .failed(error)
                }
                if buffer.readableBytes > 0 { context.write(NIOAny(buffer), promise: nil) }
                if produced < chunkLimit { break }
            }
            context.flush()
        } while requested && context.channel.isWritable
        return .flushed
    }
}
