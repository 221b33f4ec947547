import ArborStore
import Foundation
import Logging

/// A database of its own for one test, created on the shared cluster and dropped afterwards, so tests run in
/// parallel without seeing each other's rows.
public enum TestDatabase {
    public static let logger: Logger = {
        var logger = Logger(label: "arbor.tests")
        logger.logLevel = .critical
        return logger
    }()

    /// Creates a fresh database, runs `body` with its configuration, then drops it (also when `body` throws).
    public static func with<T>(
        _ label: String = #function, _ body: (PostgresConfiguration) async throws -> T
    ) async throws -> T {
        let admin = try TestEnvironment.adminConfiguration()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let slug = label.lowercased().filter { ($0.isLetter && $0.isASCII) || $0.isNumber }.prefix(30)
        let name = "arbor_test_\(slug)_\(suffix)"
        // Identifiers cannot be bound; this name is made here from ASCII letters, digits and underscores only.
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

    /// A client on a fresh database, shut down (and the database dropped) after `body`.
    public static func withClient<T>(
        _ label: String = #function, maxConnections: Int = 4, _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
        try await with(label) { configuration in
            try await withClient(on: configuration, maxConnections: maxConnections, body)
        }
    }

    /// A client on an existing database, shut down after `body`.
    public static func withClient<T>(
        on configuration: PostgresConfiguration, maxConnections: Int = 4, _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
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
