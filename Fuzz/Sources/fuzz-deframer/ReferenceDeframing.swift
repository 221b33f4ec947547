import ArborWire

/// The gRPC length-prefixed messages of a whole stream, read in one pass, as the specification describes them:
/// what ``GRPCMessageDeframer`` must deliver however the stream is cut.
struct ReferenceDeframing {
    /// Each message's bytes in the stream, prefix included.
    var messages: [Range<Int>] = []
    /// The status of the first bad prefix and the offset just past it, or `nil` when every prefix is acceptable.
    var failure: (code: RPCStatus, end: Int)?
    /// Whether the stream stops inside a prefix or a body (without a failure first).
    var endsInsideMessage = false

    init(_ stream: UnsafeRawBufferPointer, maximumMessageSize: Int) {
        let prefixLength = GRPCMessageFramer.prefixLength
        var offset = 0
        while offset < stream.count {
            guard stream.count - offset >= prefixLength else {
                endsInsideMessage = true
                return
            }
            let flag = stream[offset]
            let length = (1...4).reduce(0) { $0 << 8 | Int(stream[offset + $1]) }
            let bodyStart = offset + prefixLength
            // The flag is checked first: Arbor negotiates no compression, so any set flag is INTERNAL.
            if flag != 0 {
                failure = (.internal, bodyStart)
                return
            }
            if length > maximumMessageSize {
                failure = (.resourceExhausted, bodyStart)
                return
            }
            guard stream.count - bodyStart >= length else {
                endsInsideMessage = true
                return
            }
            messages.append(offset..<(bodyStart + length))
            offset = bodyStart + length
        }
    }
}
