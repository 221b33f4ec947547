/// Cuts the input into the reads the server receives, so that handler results and timers can come between frames.
///
/// The first read is the first 24 bytes (the client preface, when the input starts with one). After it, each
/// HTTP/2 frame is a read of its own, as long as its 9-byte header says; a frame whose reserved bit is set (the
/// top bit of the stream id, which a receiver must ignore) joins the read before it instead. Whatever follows the
/// last whole frame is the last read.
func clientReads(count: Int, byte: (Int) -> UInt8) -> [Range<Int>] {
    let prefaceLength = 24
    let frameHeaderLength = 9
    var reads = [0..<min(prefaceLength, count)]
    var offset = reads[0].upperBound
    while offset < count {
        guard count - offset >= frameHeaderLength else {
            reads.append(offset..<count)
            break
        }
        let payloadLength = Int(byte(offset)) << 16 | Int(byte(offset + 1)) << 8 | Int(byte(offset + 2))
        let end = min(offset + frameHeaderLength + payloadLength, count)
        if byte(offset + 5) & 0x80 != 0 {
            reads[reads.count - 1] = reads[reads.count - 1].lowerBound..<end
        } else {
            reads.append(offset..<end)
        }
        offset = end
    }
    return reads
}
