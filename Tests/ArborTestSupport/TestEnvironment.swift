import ArborStore
import Foundation

/// What `scripts/test` exports; a test that needs it fails loudly when it is missing.
public enum TestEnvironment {
    public static func require(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestSetupError("\(name) is not set: run the tests through scripts/test")
        }
        return value
    }

    /// The shared test cluster's superuser configuration (database `postgres`).
    public static func adminConfiguration() throws -> PostgresConfiguration {
        try PostgresConfiguration(connectionString: try require("ARBOR_TEST_DATABASE_URL"))
    }
}

/// A test could not be set up (a missing variable, a tool that failed).
public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
