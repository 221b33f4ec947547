import Foundation
import Testing

/// The Python package's pytest suite (`clients/python/tests`) against the fixture servers.
@Suite("Python client end to end")
struct PythonClientTests {
    @Test("pytest: every method of arbor_client against running servers")
    func pytest() async throws {
        let team = try await FixtureServer.get(.team)
        let tasks = try await FixtureServer.get(.tasks)
        let accounts = try await FixtureServer.get(.accounts)
        let environment = team.environment
        let package = environment.repository + "/clients/python"
        let result = try await ProcessRunner.run(
            environment.python, ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
            environment: [
                "ARBOR_TEST_TEAM_SERVER": team.address.description,
                "ARBOR_TEST_TASKS_SERVER": tasks.address.description,
                "ARBOR_TEST_ACCOUNTS_SERVER": accounts.address.description,
                "PYTHONPATH": package,
            ],
            currentDirectory: package)
        #expect(result.status == 0, "pytest failed:\n\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains(" passed"))
        #expect(!result.stdout.contains("skipped"))
    }
}
