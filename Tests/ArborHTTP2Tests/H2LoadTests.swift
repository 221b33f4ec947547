import ArborHTTP2
import ArborWire
import Foundation
import Testing

/// nghttp2's load generator against Health/Check: every request must succeed with grpc-status 0.
@Suite struct H2LoadTests {
    static let h2load = "/usr/bin/h2load"

    @Test func hundredThousandHealthChecksAllSucceed() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.h2load), "h2load missing: run scripts/setup")
        let body = FileManager.default.temporaryDirectory.appendingPathComponent("arbor-h2load-\(UUID().uuidString)")
        try Data(GRPCMessageFramer.frame(GRPCHealthV1.HealthCheckRequest().serializedBytes())).write(to: body)
        defer { try? FileManager.default.removeItem(at: body) }

        try await withTestServer { server in
            let url = "http://\(server.address.host):\(server.address.port)\(HealthService.checkPath)"
            let arguments = [
                "-n", "100000", "-c", "10", "-m", "50", "-d", body.path,
                "-H", "content-type: application/grpc", "-H", "te: trailers", url,
            ]
            let result = try await PythonInterop.runDetached(Self.h2load, arguments)
            try #require(result.status == 0, "h2load failed: \(result.error)\n\(result.output)")
            let summary = try #require(
                result.output.split(separator: "\n").first { $0.hasPrefix("requests:") },
                "no summary in h2load output: \(result.output)"
            )
            #expect(
                summary
                    == "requests: 100000 total, 100000 started, 100000 done, 100000 succeeded, 0 failed, 0 errored, 0 timeout"
            )
            let statuses = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("status codes:") })
            #expect(statuses == "status codes: 100000 2xx, 0 3xx, 0 4xx, 0 5xx")
            // h2load sees only HTTP statuses; the server counts the gRPC statuses it sent.
            #expect(server.server.completedCalls == [.ok: 100_000])
        }
    }
}
