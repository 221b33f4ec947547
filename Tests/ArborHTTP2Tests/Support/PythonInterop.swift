import Foundation
import Testing

/// Runs the grpcio scripts in `Interop/` with the test venv's Python (`ARBOR_TEST_PYTHON`).
enum PythonInterop {
    static let interopDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Interop")
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The venv Python; a missing variable fails the test instead of skipping it.
    static func python() throws -> String {
        let value = ProcessInfo.processInfo.environment["ARBOR_TEST_PYTHON"]
        return try #require(value, "ARBOR_TEST_PYTHON is not set: run the tests with scripts/test")
    }

    /// Generates Python stubs for the test service and `schema/health.proto` into a fresh folder.
    static func generateStubs() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arbor-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let result = try run(
            python(),
            [
                "-m", "grpc_tools.protoc", "-I", interopDirectory.path, "-I",
                repositoryRoot.appendingPathComponent("schema").path, "--python_out=\(folder.path)",
                "--grpc_python_out=\(folder.path)", "arbor_test.proto", "health.proto",
            ]
        )
        try #require(result.status == 0, "protoc failed: \(result.error)")
        return folder
    }

    /// Runs `work` on a thread of its own: blocking waits for child processes must not occupy the few threads of
    /// Swift's cooperative pool, which the server's handlers under test need.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// Runs a process to completion on its own thread; returns its exit status and output.
    static func runDetached(_ executable: String, _ arguments: [String]) async throws -> (
        status: Int32, output: String, error: String
    ) {
        try await onThread { try run(executable, arguments) }
    }

    /// Runs a process to completion; returns its exit status and output.
    static func run(_ executable: String, _ arguments: [String]) throws -> (
        status: Int32, output: String, error: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }

    /// A running `interop_server.py`; ``stop()`` closes its standard input, which ends it.
    final class Server: @unchecked Sendable {  // Immutable after init; `stop` only closes a pipe and waits.
        let process: Process
        let port: Int
        private let input: Pipe

        init(stubs: URL) throws {
            process = Process()
            process.executableURL = URL(fileURLWithPath: try python())
            process.arguments = [
                interopDirectory.appendingPathComponent("interop_server.py").path, "--stubs", stubs.path,
            ]
            input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
                process.terminate()
                throw InteropError.serverDidNotStart(text)
            }
            self.port = port
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    enum InteropError: Error {
        case serverDidNotStart(String)
    }
}
