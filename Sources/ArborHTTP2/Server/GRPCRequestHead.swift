import ArborWire

/// A request's header block as it is decoded, collected under a size cap, then validated as a gRPC request.
///
/// Pure state: the connection handler feeds it the fields nghttp2 decodes and acts on ``validate()``'s verdict.
struct GRPCRequestHead {
    /// What a request that fails validation gets.
    enum Rejection: Error, Equatable {
        /// A plain HTTP response with this status and no body (405, 415).
        case httpStatus(Int)
        /// A gRPC Trailers-Only response.
        case status(RPCStatus, String)
    }

    /// A request that passed validation.
    struct Validated: Equatable {
        var path: String
        var timeout: GRPCTimeout?
        var metadata: [(name: String, value: String)]

        static func == (lhs: Validated, rhs: Validated) -> Bool {
            lhs.path == rhs.path && lhs.timeout == rhs.timeout && lhs.metadata.elementsEqual(rhs.metadata, by: ==)
        }
    }

    let maximumHeaderListSize: Int
    /// Bytes counted so far: name + value + 32 per field, as SETTINGS_MAX_HEADER_LIST_SIZE defines them.
    private(set) var headerListSize = 0
    private(set) var isOverLimit = false
    private var method: String?
    private var path: String?
    private var contentType: String?
    private var te: String?
    private var timeout: String?
    private var encoding: String?
    private var metadata: [(name: String, value: String)] = []

    init(maximumHeaderListSize: Int) {
        self.maximumHeaderListSize = maximumHeaderListSize
    }

    /// Adds one decoded field. Once the block is over its cap, fields are counted but no longer stored.
    mutating func add(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        headerListSize += name.count + value.count + 32
        if headerListSize > maximumHeaderListSize {
            isOverLimit = true
            metadata = []
            return
        }
        // Names are short enough to be stored inline (no allocation); values are decoded only when kept.
        let nameString = String(decoding: name, as: UTF8.self)
        switch nameString {
        case ":scheme", ":authority": return
        case "content-type" where Self.grpcContentTypes.contains(where: { $0.elementsEqual(value) }):
            contentType = "application/grpc"
            return
        default: add(name: nameString, value: String(decoding: value, as: UTF8.self))
        }
    }

    private static let grpcContentTypes = [Array("application/grpc".utf8), Array("application/grpc+proto".utf8)]

    mutating func add(name: String, value: String) {
        switch name {
        case ":method": method = value
        case ":path": path = value
        case ":scheme", ":authority": break
        case "content-type": contentType = value
        case "te": te = value
        case "grpc-timeout": timeout = value
        case "grpc-encoding": encoding = value
        default: metadata.append((name, value))
        }
    }

    /// The verdict, in the order the gRPC specification implies: size, method, content type, then gRPC fields.
    func validate() -> Result<Validated, Rejection> {
        if isOverLimit {
            return .failure(
                .status(
                    .resourceExhausted,
                    "request header block exceeds the limit of \(maximumHeaderListSize) bytes"
                )
            )
        }
        guard method == "POST" else { return .failure(.httpStatus(405)) }
        guard let contentType, Self.isGRPCContentType(contentType) else { return .failure(.httpStatus(415)) }
        guard te == "trailers" else {
            return .failure(.status(.internal, "missing 'te: trailers' header"))
        }
        if let encoding, encoding != "identity" {
            return .failure(.status(.unimplemented, "grpc-encoding '\(encoding)' is not supported"))
        }
        var parsedTimeout: GRPCTimeout?
        if let timeout {
            guard let value = GRPCTimeout(headerValue: timeout) else {
                return .failure(.status(.internal, "malformed grpc-timeout '\(timeout)'"))
            }
            parsedTimeout = value
        }
        guard let path, path.hasPrefix("/") else { return .failure(.status(.unimplemented, "missing :path")) }
        return .success(Validated(path: path, timeout: parsedTimeout, metadata: metadata))
    }

    /// `application/grpc` and `application/grpc+proto`, optionally with parameters.
    static func isGRPCContentType(_ value: String) -> Bool {
        if value == "application/grpc" || value == "application/grpc+proto" { return true }
        let mediaType = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces() } ?? ""
        return mediaType == "application/grpc" || mediaType == "application/grpc+proto"
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " { result.removeFirst() }
        while result.last == " " { result.removeLast() }
        return result
    }
}
