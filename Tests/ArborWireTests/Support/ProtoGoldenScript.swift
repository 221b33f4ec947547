import Foundation

struct GoldenError: Error, CustomStringConvertible {
    let description: String
}

/// Runs scripts/proto-golden.py with $ARBOR_TEST_PYTHON (which compiles the schema with grpc_tools.protoc) on a JSON
/// `request` and returns what it wrote.
func runProtoGolden(_ request: [String: Any], arguments: [String] = []) throws(GoldenError) -> Data {
    guard let python = ProcessInfo.processInfo.environment["ARBOR_TEST_PYTHON"], !python.isEmpty else {
        throw GoldenError(
            description: """
                ARBOR_TEST_PYTHON is not set: run the tests with scripts/test, or run scripts/setup and set \
                ARBOR_TEST_PYTHON=$PWD/.build-py/venv/bin/python
                """)
    }
    var request = request
    request["schema_dir"] = repositoryRoot.appendingPathComponent("schema").path
    do {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arbor-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Files rather than pipes, so neither side can block on a full pipe.
        let input = folder.appendingPathComponent("request.json")
        let output = folder.appendingPathComponent("results.json")
        let errors = folder.appendingPathComponent("stderr.txt")
        try JSONSerialization.data(withJSONObject: request).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [repositoryRoot.appendingPathComponent("scripts/proto-golden.py").path] + arguments
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw GoldenError(description: "proto-golden.py exited with \(process.terminationStatus): \(stderr)")
        }
        return try Data(contentsOf: output)
    } catch let error as GoldenError {
        throw error
    } catch {
        throw GoldenError(description: "running \(python) failed: \(error)")
    }
}

private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
