import ArborWire
import FuzzSupport

@main
enum DeframerFuzzTarget {
    static func main() { runLibFuzzer(fuzzDeframer) }
}

/// The size limits the input chooses from: the edges (0, 1), sizes near a prefix, and the server's default.
let messageSizeLimits = [0, 1, 5, 64, 1000, 65_535, 1 << 20, GRPCMessageDeframer.defaultMaximumMessageSize]

/// Feeds a stream of length-prefixed messages to ``GRPCMessageDeframer`` in pieces and checks what comes out
/// against ``ReferenceDeframing``, which reads the whole stream at once.
///
/// Input: byte 0 picks the size limit (its low 3 bits) and how the stream is cut (its high 5 bits, see
/// ``chunkRanges(count:mode:seed:)``), byte 1 seeds the cuts, and the rest is the stream.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeframer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard input.count >= 2 else { return 0 }
    let limit = messageSizeLimits[Int(input[0] & 7)]
    let stream = UnsafeRawBufferPointer(rebasing: input[2...])
    let chunks = chunkRanges(count: stream.count, mode: input[0] >> 3, seed: input[1])
    checkDeframing(stream, limit: limit, chunks: chunks, seed: input[1])
    return 0
}

private func checkDeframing(_ stream: UnsafeRawBufferPointer, limit: Int, chunks: [Range<Int>], seed: UInt8) {
    let expected = ReferenceDeframing(stream, maximumMessageSize: limit)
    var deframer = GRPCMessageDeframer(maximumMessageSize: limit)
    var received: [[UInt8]] = []
    var failure: (error: RPCError, chunk: Range<Int>)?
    var random = SplitMix64(seed: UInt64(seed))
    for chunk in chunks {
        let bytes = UnsafeRawBufferPointer(rebasing: stream[chunk])
        do {
            // Both entry points: the in-place one the server uses and the copying one for any collection.
            let messages: [[UInt8]]
            if random.next() & 1 == 0 {
                messages = try deframer.consume(bytes)
            } else {
                messages = try deframer.consume(Array(bytes)[...])
            }
            fuzzRequire(failure == nil, "consume succeeded after it had failed with \(failure!.error)")
            received += messages
        } catch {
            if let failure {
                fuzzRequire(
                    error.code == failure.error.code && error.message == failure.error.message,
                    "after failing with \(failure.error), consume failed with \(error)"
                )
            } else {
                failure = (error, chunk)
            }
        }
    }

    for message in received {
        fuzzRequire(message.count <= limit, "a \(message.count)-byte message passed the \(limit)-byte limit")
    }
    // Every byte either belongs to a delivered message (5-byte prefix + body) or is still inside a partial one.
    let delivered = received.reduce(0) { $0 + GRPCMessageFramer.prefixLength + $1.count }
    fuzzRequire(delivered <= stream.count, "\(delivered) bytes delivered from a \(stream.count)-byte stream")

    if let failure {
        let (error, chunk) = failure
        guard let expectedFailure = expected.failure else {
            fuzzFailure("the deframer failed with \(error) where the whole stream reads cleanly")
        }
        let (code, end) = expectedFailure
        fuzzRequire(error.code == code, "failed with \(error), expected \(code)")
        fuzzRequire(!error.message.isEmpty, "failed with \(error.code) and no message")
        // The error is thrown by the piece that completes the bad prefix; messages it completed before are dropped.
        fuzzRequire(
            chunk.lowerBound < end && end <= chunk.upperBound,
            "failed in bytes \(chunk), but the bad prefix ends at \(end)"
        )
        let before = expected.messages.filter { $0.upperBound <= chunk.lowerBound }
        checkSame(received, before, in: stream)
        do {
            try deframer.finish()
            fuzzFailure("finish succeeded after the deframer failed with \(error)")
        } catch {
            fuzzRequire(error.code == code, "finish failed with \(error), expected \(code)")
        }
        return
    }

    fuzzRequire(expected.failure == nil, "the deframer accepted a stream that fails at \(expected.failure!)")
    checkSame(received, expected.messages, in: stream)
    fuzzRequire(
        deframer.hasPartialMessage == expected.endsInsideMessage,
        "hasPartialMessage is \(deframer.hasPartialMessage) after \(stream.count) bytes"
    )
    let consumed = expected.messages.last?.upperBound ?? 0
    fuzzRequire(delivered == consumed, "\(delivered) bytes delivered, the messages take \(consumed)")
    do {
        try deframer.finish()
        fuzzRequire(!expected.endsInsideMessage, "finish succeeded inside a message")
        fuzzRequire(delivered == stream.count, "finish succeeded with \(stream.count - delivered) bytes undelivered")
    } catch {
        fuzzRequire(expected.endsInsideMessage, "finish failed on a message boundary: \(error)")
        fuzzRequire(error.code == .internal, "a truncated message is \(error), expected INTERNAL")
    }
}

/// Requires the deframer's messages to be the bodies at `ranges` of the stream, in order.
private func checkSame(_ received: [[UInt8]], _ ranges: [Range<Int>], in stream: UnsafeRawBufferPointer) {
    fuzzRequire(received.count == ranges.count, "\(received.count) messages, expected \(ranges.count)")
    for (message, range) in zip(received, ranges) {
        let body = stream[(range.lowerBound + GRPCMessageFramer.prefixLength)..<range.upperBound]
        fuzzRequire(message.elementsEqual(body), "a message's bytes differ from the stream's at \(range)")
    }
}
