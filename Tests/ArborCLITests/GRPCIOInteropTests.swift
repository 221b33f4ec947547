import Foundation
import Testing

/// grpcio with raw stubs generated from `schema/*.proto` (`GRPCIO/`) against real servers on the three fixtures:
/// every call of `arbor.v2.Hierarchy` and the health check, answered from the snapshot and from live SQL, checked
/// against answers computed from each fixture's tables; bad requests with their statuses and messages, a deadline
/// that cancels live SQL, and a stream cancelled mid-way.
@Suite("grpcio interop for every v2 call")
struct GRPCIOInteropTests {
    @Test("pytest GRPCIO: raw grpcio stubs against running servers")
    func pytest() async throws {
        var variables: [String: String] = [:]
        var environment: TestEnvironment?
        for fixture in Fixture.allCases {
            let server = try await FixtureServer.get(fixture)
            let name = fixture.rawValue.uppercased()
            variables["ARBOR_TEST_\(name)_SERVER"] = server.address.description
            variables["ARBOR_TEST_\(name)_DATABASE_URL"] = server.databaseURL
            environment = server.environment
        }
        let suite = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("GRPCIO").path
        let result = try await ProcessRunner.run(
            try #require(environment).python, ["-m", "pytest", "-q", "-p", "no:cacheprovider", "."],
            environment: variables, currentDirectory: suite)
        #expect(result.status == 0, "pytest failed:\n\(result.stdout.suffix(20_000))\n\(result.stderr)")
        #expect(result.stdout.contains(" passed"))
        #expect(!result.stdout.contains("skipped"))
    }
}
