internal import CNghttp2

/// A header block laid out once as nghttp2 name/value pairs, for the blocks every call sends (`:status 200`,
/// `grpc-status 0`): submitting it builds nothing per call (nghttp2 copies the pairs when they are submitted).
///
/// `@unchecked Sendable`: the memory is written only in `init` and freed in `deinit`; in between it is only read.
final class HTTP2HeaderBlock: @unchecked Sendable {
    let nameValues: UnsafeMutablePointer<nghttp2_nv>
    let count: Int
    private let storage: UnsafeMutableBufferPointer<UInt8>

    init(_ headers: [HTTP2Header]) {
        let total = headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        storage = .allocate(capacity: max(total, 1))
        nameValues = .allocate(capacity: max(headers.count, 1))
        count = headers.count
        var offset = 0
        for (index, header) in headers.enumerated() {
            let name = storage.baseAddress! + offset
            offset = storage[offset...].initialize(from: header.name.utf8).index
            let value = storage.baseAddress! + offset
            offset = storage[offset...].initialize(from: header.value.utf8).index
            (nameValues + index).initialize(
                to: nghttp2_nv(
                    name: name,
                    value: value,
                    namelen: header.name.utf8.count,
                    valuelen: header.value.utf8.count,
                    flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)
                )
            )
        }
    }

    deinit {
        nameValues.deinitialize(count: count)
        nameValues.deallocate()
        storage.deallocate()
    }

    /// `:status 200` and `content-type: application/grpc`: the headers of every gRPC response with a body.
    static let grpcResponseHeaders = HTTP2HeaderBlock([
        HTTP2Header(":status", "200"), HTTP2Header("content-type", "application/grpc"),
    ])

    /// `grpc-status: 0`: the trailers of every successful call.
    static let okTrailers = HTTP2HeaderBlock([HTTP2Header("grpc-status", "0")])
}
