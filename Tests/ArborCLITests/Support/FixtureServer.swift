import ArborClient
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fixture model: its tables (`Fixtures/<name>/schema.sql`) and its model file (`Fixtures/<name>/arbor.yaml`).
enum Fixture: String, CaseIterable, Sendable {
    /// Text ids (handles), labels with a duplicate, many-to-many edges with a cycle, a closed attribute, sales with a
    /// scaled amount in the Asia/Kolkata day, and visits by date.
    case team
    /// Integer ids, a parent column, a duplicate label and a label that reads like an id, each task one event.
    case tasks
    /// UUID ids, many-to-many links with a shared descendant, a self-edge and two loops, an enum attribute, orders
    /// summed at scale 1 in the America/New_York day across daylight saving time, the accounts' own openings as a
    /// second source, and 20,000 generated accounts under one root (streams of many chunks).
    case accounts
}

/// One `arbor-server` per fixture for the whole test process, on its own database with the fixture's tables,
/// installed with `arbor-server migrate --model` and served with `serve --model`.
///
/// Started on first use; stopped (SIGTERM) and its database dropped when the test process exits.
final class FixtureServer: Sendable {
    let environment: TestEnvironment
    let fixture: Fixture
    let address: ServerAddress
    let databaseName: String

    private init(environment: TestEnvironment, fixture: Fixture, address: ServerAddress, databaseName: String) {
        self.environment = environment
        self.fixture = fixture
        self.address = address
        self.databaseName = databaseName
    }

    static let team = Task<FixtureServer, any Error> { try await start(.team) }
    static let tasks = Task<FixtureServer, any Error> { try await start(.tasks) }
    static let accounts = Task<FixtureServer, any Error> { try await start(.accounts) }

    static func get(_ fixture: Fixture) async throws -> FixtureServer {
        switch fixture {
        case .team: try await team.value
        case .tasks: try await tasks.value
        case .accounts: try await accounts.value
        }
    }

    static var fixtureFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
    }

    /// The URL of the fixture's database.
    var databaseURL: String { environment.databaseURL(named: databaseName) }

    /// The fixture's model file.
    var modelPath: String { Self.fixtureFolder.appendingPathComponent("\(fixture.rawValue)/arbor.yaml").path }

    private static func start(_ fixture: Fixture) async throws -> FixtureServer {
        let environment = try TestEnvironment.load()
        let databaseName = "arbor_cli_\(fixture.rawValue)_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let psql = environment.postgresBin + "/psql"
        let created = try await ProcessRunner.run(
            psql, [environment.databaseURL, "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE \(databaseName)"])
        guard created.status == 0 else { throw TestSetupError("CREATE DATABASE failed: \(created.stderr)") }
        cleanup.withLock { $0.databases.append((psql, environment.databaseURL, databaseName)) }
        registerExitHandler()
        let url = environment.databaseURL(named: databaseName)

        let folder = fixtureFolder.appendingPathComponent(fixture.rawValue)
        let schema = folder.appendingPathComponent("schema.sql").path
        let loaded = try await ProcessRunner.run(psql, [url, "-v", "ON_ERROR_STOP=1", "-q", "-f", schema])
        guard loaded.status == 0 else { throw TestSetupError("loading \(schema) failed: \(loaded.stderr)") }
        let model = folder.appendingPathComponent("arbor.yaml").path
        let migrated = try await ProcessRunner.run(
            environment.binary("arbor-server"), ["migrate", "--model", model, "--database-url", url])
        guard migrated.status == 0 else {
            throw TestSetupError("arbor-server migrate --model failed (\(migrated.status)): \(migrated.stderr)")
        }

        let address = try await launch(
            environment.binary("arbor-server"),
            ["serve", "--model", model, "--database-url", url, "--listen", "127.0.0.1:0"], fixture: fixture)
        let server = FixtureServer(
            environment: environment, fixture: fixture, address: address, databaseName: databaseName)
        try await server.waitUntilServing()
        return server
    }

    /// Starts the server and reads its `arbor-server listening on HOST:PORT` line.
    private static func launch(
        _ executable: String, _ arguments: [String], fixture: Fixture
    ) async throws -> ServerAddress {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        // The server's log goes to a file, named in any setup failure, rather than into the test output.
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "arbor-cli-\(fixture.rawValue)-server-\(getpid()).log")
        FileManager.default.createFile(atPath: logPath.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: logPath)
        cleanup.withLock { $0.logPaths.append(logPath.path) }
        try process.run()
        cleanup.withLock { $0.serverPIDs.append(process.processIdentifier) }
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
        var serverPIDs: [Int32] = []
        var logPaths: [String] = []
        var databases: [(psql: String, url: String, name: String)] = []
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
            for pid in state.serverPIDs { kill(pid, SIGTERM) }
            for pid in state.serverPIDs {
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
            for logPath in state.logPaths { unlink(logPath) }
            for database in state.databases {
                let drop = Process()
                drop.executableURL = URL(fileURLWithPath: database.psql)
                drop.arguments = [database.url, "-qc", "DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)"]
                try? drop.run()
                drop.waitUntilExit()
            }
        }
    }
}
