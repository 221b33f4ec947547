/// One HTTP/2 header field as Arbor passes it between the session and the gRPC layers.
struct HTTP2Header: Hashable, Sendable {
    var name: String
    var value: String

    init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
