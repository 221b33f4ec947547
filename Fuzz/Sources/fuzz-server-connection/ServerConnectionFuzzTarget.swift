@_spi(Fuzzing) import ArborHTTP2
import FuzzSupport
import NIOCore
import NIOEmbedded

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@main
enum ServerConnectionFuzzTarget {
    static func main() { runLibFuzzer(fuzzServerConnection) }
}

/// Limits small enough for short inputs to reach them: header list, message size, stream window, high-water mark.
let fuzzConfiguration = GRPCServerConfiguration(
    maxConcurrentStreams: 16,
    maxReceiveMessageSize: 256,
    maxHeaderListSize: 1024,
    idleTimeout: .seconds(1),
    streamHighWaterMark: 64,
    initialStreamWindowSize: 4096,
    connectionWindowSize: 65_535
)

/// With ARBOR_FUZZ_VERBOSE set, each input prints what the server did with it (for checking seeds by hand).
let verbose = getenv("ARBOR_FUZZ_VERBOSE") != nil

/// Feeds the input to one server connection as a client's bytes (see ``clientReads(count:byte:)``), letting the
/// handler tasks and due timers run after each read, then lets time pass and closes the connection.
///
/// Anything that traps is a finding, and so is response accounting that does not return to zero once the
/// connection has closed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServerConnection(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    InlineTasks.installed
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let reads = clientReads(count: input.count) { input[$0] }
    runConnection(reads.map { UnsafeRawBufferPointer(rebasing: input[$0]) })
    return 0
}

private func runConnection(_ reads: [UnsafeRawBufferPointer]) {
    let channel = EmbeddedChannel()
    let loop = channel.embeddedEventLoop
    let connection = FuzzedServerConnection(configuration: fuzzConfiguration, router: FuzzRouter.router)
    do {
        try channel.pipeline.syncOperations.addHandler(connection.handler)
    } catch {
        fuzzFailure("could not add the connection handler: \(error)")
    }
    var output = 0
    // Runs due loop tasks and handler tasks until neither has anything left; the server's output is dropped.
    func settle() {
        repeat {
            loop.run()
            while let buffer = try? channel.readOutbound(as: ByteBuffer.self) {
                output += buffer.readableBytes
            }
        } while InlineTasks.runPending()
    }

    channel.connect(to: try! SocketAddress(ipAddress: "127.0.0.1", port: 40_000), promise: nil)
    settle()
    for read in reads {
        guard channel.isActive else { break }
        _ = try? channel.writeInbound(channel.allocator.buffer(bytes: read))
        settle()
        loop.advanceTime(by: .milliseconds(20))
        settle()
    }
    // The client goes quiet: deadlines and the idle timeout fire. Then it goes away, and timers still armed run.
    loop.advanceTime(by: .seconds(2))
    settle()
    channel.close(promise: nil)
    settle()
    loop.advanceTime(by: .hours(1))
    settle()
    _ = try? channel.finish(acceptAlreadyClosed: true)
    settle()

    if verbose {
        let calls = connection.completedCalls.sorted { $0.key.rawValue < $1.key.rawValue }.map {
            "\($0.key) \($0.value)"
        }
        print("server-connection: \(reads.count) reads, \(output) bytes out, calls ended: \(calls)")
    }
    fuzzRequire(
        connection.queuedResponseBytes == 0,
        "\(connection.queuedResponseBytes) response bytes still counted as queued after the connection closed"
    )
}
