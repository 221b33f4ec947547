import ArborClient
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One `arbor-server` for the whole test process, on its own database loaded with `Fixtures/dataset.sql`.
///
/// Started on first use; stopped (SIGTERM) and its database dropped when the test process exits.
final class FixtureServer: Sendable {
    let environment: TestEnvironment
    let address: ServerAddress
    let databaseName: String

    private init(environment: TestEnvironment, address: ServerAddress, databaseName: String) {
        self.environment = environment
        self.address = address
        self.databaseName = databaseName
    }

    static let shared = Task<FixtureServer, any Error> { try await start() }

    static func get() async throws -> FixtureServer { try await shared.value }

    static var fixtureFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func start() async throws -> FixtureServer {
        let environment = try TestEnvironment.load()
        let databaseName = "arbor_cli_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let psql = environment.postgresBin + "/psql"
        let created = try await ProcessRunner.run(
            psql, [environment.databaseURL, "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE \(databaseName)"])
        guard created.status == 0 else { throw TestSetupError("CREATE DATABASE failed: \(created.stderr)") }
        cleanup.withLock { $0.database = (psql, environment.databaseURL, databaseName) }
        let url = environment.databaseURL(named: databaseName)

        let migrated = try await ProcessRunner.run(
            environment.binary("arbor-server"), ["migrate", "--database-url", url, "--time-zone", "UTC"])
        guard migrated.status == 0 else {
            throw TestSetupError("arbor-server migrate failed (\(migrated.status)): \(migrated.stderr)")
        }
        let dataset = fixtureFolder.appendingPathComponent("Fixtures/dataset.sql").path
        let loaded = try await ProcessRunner.run(psql, [url, "-v", "ON_ERROR_STOP=1", "-q", "-f", dataset])
        guard loaded.status == 0 else { throw TestSetupError("loading dataset.sql failed: \(loaded.stderr)") }

        let address = try await launch(
            environment.binary("arbor-server"), ["serve", "--database-url", url, "--listen", "127.0.0.1:0"])
        let server = FixtureServer(environment: environment, address: address, databaseName: databaseName)
        try await server.waitUntilServing()
        return server
    }

    /// Starts the server and reads its `arbor-server listening on HOST:PORT` line.
    private static func launch(_ executable: String, _ arguments: [String]) async throws -> ServerAddress {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        // The server's log goes to a file, named in any setup failure, rather than into the test output.
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("arbor-cli-server-\(getpid()).log")
        FileManager.default.createFile(atPath: logPath.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: logPath)
        cleanup.withLock { $0.logPath = logPath.path }
        try process.run()
        cleanup.withLock { $0.serverPID = process.processIdentifier }
        registerExitHandler()
        let reader = output.fileHandleForReading
        let line: String? = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var buffer = Data()
                let deadline = Date().addingTimeInterval(60)
                while Date() < deadline {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                    if let newline = buffer.firstIndex(of: 0x0A) {
                        continuation.resume(returning: String(decoding: buffer[..<newline], as: UTF8.self))
                        // Keep draining so the server never blocks on a full pipe.
                        while !reader.availableData.isEmpty {}
                        return
                    }
                }
                continuation.resume(returning: nil)
            }
        }
        let prefix = "arbor-server listening on "
        guard let line, line.hasPrefix(prefix),
            let address = ServerAddress(parsing: String(line.dropFirst(prefix.count)))
        else {
            let log = (try? String(contentsOf: logPath, encoding: .utf8)) ?? ""
            throw TestSetupError(
                "arbor-server did not say where it listens (first line: \(line ?? "none")); its log:\n\(log.suffix(2000))"
            )
        }
        return address
    }

    private func waitUntilServing() async throws {
        let client = ArborClient(server: address, configuration: .init(connections: 1, defaultTimeout: .seconds(2)))
        defer { Task { await client.close() } }
        let deadline = ContinuousClock.now + .seconds(60)
        var last = "no answer"
        while ContinuousClock.now < deadline {
            do {
                if try await client.health() == .serving { return }
                last = "NOT_SERVING"
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("arbor-server at \(address) did not become SERVING within 60 s (\(last))")
    }

    // The test process has no suite-level teardown: stop the server and drop its database at exit.
    private struct Cleanup {
        var serverPID: Int32?
        var logPath: String?
        var database: (psql: String, url: String, name: String)?
        var registered = false
    }

    private static let cleanup = Mutex(Cleanup())

    private static func registerExitHandler() {
        let first = cleanup.withLock { state -> Bool in
            defer { state.registered = true }
            return !state.registered
        }
        guard first else { return }
        atexit {
            let state = FixtureServer.cleanup.withLock { $0 }
            if let pid = state.serverPID {
                kill(pid, SIGTERM)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
            if let logPath = state.logPath { unlink(logPath) }
            if let database = state.database {
                let drop = Process()
                drop.executableURL = URL(fileURLWithPath: database.psql)
                drop.arguments = [database.url, "-qc", "DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)"]
                try? drop.run()
                drop.waitUntilExit()
            }
        }
    }
}
