import ArborStore
import Foundation
import Logging
import Testing

/// What `scripts/test` exports; a test that needs it fails loudly when it is missing.
enum TestEnvironment {
    static func require(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestSetupError("\(name) is not set: run the store tests through scripts/test")
        }
        return value
    }

    /// The shared test cluster's superuser URL (database `postgres`).
    static func adminConfiguration() throws -> PostgresConfiguration {
        try PostgresConfiguration(connectionString: try require("ARBOR_TEST_DATABASE_URL"))
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A database of its own for one test, created from the shared cluster and dropped afterwards, so tests can run in
/// parallel.
enum TestDatabase {
    static let logger: Logger = {
        var logger = Logger(label: "arbor.store.tests")
        logger.logLevel = .critical
        return logger
    }()

    /// Creates a fresh database, runs `body` with its configuration, then drops it (also when `body` throws).
    static func with<T>(
        _ label: String = #function, _ body: (PostgresConfiguration) async throws -> T
    ) async throws -> T {
        let admin = try TestEnvironment.adminConfiguration()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let slug = label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(30)
        let name = "arbor_test_\(slug)_\(suffix)"
        // Identifiers cannot be bound; this name is made here from letters, digits and underscores only.
        try await adminExecute(admin, "CREATE DATABASE \(name)")
        do {
            let result = try await body(admin.setting("dbname", to: name))
            try await adminExecute(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            return result
        } catch {
            try? await adminExecute(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
    }

    /// A client on a fresh database, shut down and dropped after `body`.
    static func withClient<T>(
        _ label: String = #function, maxConnections: Int = 4, _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
        try await with(label) { configuration in
            let client = PostgresClient(configuration: configuration, maxConnections: maxConnections, logger: logger)
            do {
                let result = try await body(client)
                await client.shutdown()
                return result
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }

    static func adminExecute(_ admin: PostgresConfiguration, _ sql: String) async throws {
        let client = PostgresClient(configuration: admin, maxConnections: 1, logger: logger)
        do {
            try await client.withConnection { try $0.execute(sql) }
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
