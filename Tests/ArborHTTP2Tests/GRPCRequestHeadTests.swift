import ArborWire
import Testing

@testable import ArborHTTP2

@Suite struct GRPCRequestHeadTests {
    static let valid: [(String, String)] = [
        (":method", "POST"), (":scheme", "http"), (":path", "/pkg.Service/Method"), (":authority", "x"),
        ("content-type", "application/grpc"), ("te", "trailers"),
    ]

    static func head(_ fields: [(String, String)], cap: Int = 8192) -> GRPCRequestHead {
        var head = GRPCRequestHead(maximumHeaderListSize: cap)
        for (name, value) in fields {
            Array(name.utf8).withUnsafeBufferPointer { name in
                Array(value.utf8).withUnsafeBufferPointer { value in head.add(name: name, value: value) }
            }
        }
        return head
    }

    static func replacing(_ name: String, with value: String?) -> [(String, String)] {
        var fields = valid.filter { $0.0 != name }
        if let value { fields.append((name, value)) }
        return fields
    }

    @Test func acceptsAValidRequestAndKeepsCustomMetadata() throws {
        let result = Self.head(Self.valid + [("grpc-timeout", "5S"), ("authorization", "Bearer t")]).validate()
        let request = try result.get()
        #expect(request.path == "/pkg.Service/Method")
        #expect(request.timeout?.duration == .seconds(5))
        #expect(request.metadata.map { [$0.name, $0.value] } == [["authorization", "Bearer t"]])
    }

    @Test(arguments: [
        (":method", "GET" as String?, GRPCRequestHead.Rejection.httpStatus(405)),
        (":method", nil, .httpStatus(405)),
        ("content-type", "text/plain", .httpStatus(415)),
        ("content-type", "application/grpc-web", .httpStatus(415)),
        ("content-type", nil, .httpStatus(415)),
        ("te", nil, .status(.internal, "missing 'te: trailers' header")),
        ("te", "gzip", .status(.internal, "missing 'te: trailers' header")),
    ])
    func rejects(name: String, value: String?, rejection: GRPCRequestHead.Rejection) {
        #expect(Self.head(Self.replacing(name, with: value)).validate() == .failure(rejection))
    }

    @Test(arguments: ["application/grpc", "application/grpc+proto", "application/grpc; charset=utf-8"])
    func acceptsGRPCContentTypes(value: String) {
        #expect((try? Self.head(Self.replacing("content-type", with: value)).validate().get()) != nil)
    }

    @Test func headerBlockCapCountsNameValueAndOverhead() {
        // Each field costs name + value + 32; the valid set costs 210 bytes.
        let base = Self.valid.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 32 }
        let padding = ("x-pad", String(repeating: "p", count: 100))
        let exact = base + 5 + 100 + 32
        #expect((try? Self.head(Self.valid + [padding], cap: exact).validate().get()) != nil)
        let over = Self.head(Self.valid + [padding], cap: exact - 1)
        #expect(over.isOverLimit)
        guard case .failure(.status(.resourceExhausted, _)) = over.validate() else {
            Issue.record("expected RESOURCE_EXHAUSTED")
            return
        }
    }

    @Test func malformedTimeoutIsInternal() {
        guard case .failure(.status(.internal, _)) = Self.head(Self.valid + [("grpc-timeout", "soon")]).validate()
        else {
            Issue.record("expected INTERNAL")
            return
        }
    }
}
