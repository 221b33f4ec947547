import ArborStore
import Foundation

/// A PostgreSQL cluster of one test's own, for tests that stop and start the server (the shared cluster must keep
/// running for the other suites). Created with `initdb` from `ARBOR_TEST_PG_BIN` in a folder under /tmp; as root,
/// the server binaries run as the `postgres` OS user, which owns the folder.
final class PrivateCluster: @unchecked Sendable {
    // @unchecked Sendable: all stored properties are immutable; the server is controlled by running commands.
    let folder: String
    let port: Int
    private let bin: String
    private var data: String { folder + "/data" }
    private var socketFolder: String { folder + "/sock" }
    private static var isRoot: Bool { getuid() == 0 }

    /// Creates (but does not start) a cluster on a free port.
    init() throws {
        self.bin = try TestEnvironment.require("ARBOR_TEST_PG_BIN")
        var template = Array("/tmp/arbor-restart-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestSetupError("mkdtemp failed") }
        self.folder = String(cString: made)
        self.port = try FreePort.find()
        try FileManager.default.createDirectory(atPath: self.folder + "/sock", withIntermediateDirectories: true)
        chmod(self.folder, 0o755)
        if Self.isRoot { try Self.run("/bin/chown", ["-R", "postgres:postgres", self.folder]) }
        try self.asOwner(
            "initdb", ["-D", self.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"])
    }

    /// Where to reach it.
    var configuration: PostgresConfiguration {
        get throws {
            try PostgresConfiguration(connectionString: "postgresql://postgres@127.0.0.1:\(self.port)/postgres")
        }
    }

    func start() throws {
        try self.asOwner(
            "pg_ctl",
            [
                "-D", self.data, "-l", self.data + "/server.log", "-w", "-t", "60", "-o",
                "-p \(self.port) -k \(self.socketFolder) -c listen_addresses=127.0.0.1 -c fsync=off "
                    + "-c max_connections=30 -c shared_buffers=16MB",
                "start",
            ])
    }

    /// Stops the server, disconnecting every session (`-m fast`).
    func stop() throws {
        try self.asOwner("pg_ctl", ["-D", self.data, "-m", "fast", "-w", "stop"])
    }

    /// Stops the server if it runs and deletes the folder.
    func destroy() {
        if FileManager.default.fileExists(atPath: self.data + "/postmaster.pid") { try? self.stop() }
        try? FileManager.default.removeItem(atPath: self.folder)
    }

    private func asOwner(_ tool: String, _ arguments: [String]) throws {
        let path = self.bin + "/" + tool
        if Self.isRoot {
            try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments)
        } else {
            try Self.run(path, arguments)
        }
    }

    /// Runs a command and waits for it with `waitpid`. Not Foundation's `Process`: its `waitUntilExit` never
    /// returns for `pg_ctl start`, whose server daemon outlives it.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let outputPath = "/tmp/arbor-cluster-\(UUID().uuidString).log"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestSetupError("could not start \(executable): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        guard exited && code == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw TestSetupError("\(executable) \(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
    }
}
