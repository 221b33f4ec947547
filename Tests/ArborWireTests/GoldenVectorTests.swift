import ArborWire
import Foundation
import Testing

/// Differential test against the reference protobuf implementation: for every sample, our encoding must equal the
/// bytes Python `protobuf` produces for the same message (built from its proto3 JSON form), Python must decode our
/// bytes to that message, and we must decode Python's bytes back to the sample.
@Suite struct GoldenVectorTests {
    struct PythonResult: Decodable, Sendable {
        let name: String
        let pythonHex: String
        let swiftDecodesEqual: Bool
        let swiftDecoded: String

        enum CodingKeys: String, CodingKey {
            case name
            case pythonHex = "python_hex"
            case swiftDecodesEqual = "swift_decodes_equal"
            case swiftDecoded = "swift_decoded"
        }
    }

    /// One run of scripts/proto-golden.py for all samples, shared by the parameterised tests.
    static let pythonResults: Result<[String: PythonResult], GoldenError> = Result { () throws(GoldenError) in
        try runPython(samples: contractSamples)
    }

    @Test(arguments: contractSamples)
    func ourBytesEqualPythonsAndEachSideDecodesTheOther(sample: MessageSample) throws {
        let results = try Self.pythonResults.get()
        let python = try #require(results[sample.name], "Python returned no result for \(sample.name)")
        let ours = sample.message.serializedBytes()
        #expect(hexString(ours) == python.pythonHex, "our encoding differs from Python's")
        #expect(python.swiftDecodesEqual, "Python decoded our bytes to: \(python.swiftDecoded)")
        let decoded = try type(of: sample.message).decoded(from: hexBytes(python.pythonHex))
        #expect(sample.message.isEqual(to: decoded), "we decoded Python's bytes to \(decoded)")
    }

    @Test func everySampleGotAResult() throws {
        let results = try Self.pythonResults.get()
        #expect(results.count == contractSamples.count)
        #expect(Set(contractSamples.map(\.name)).count == contractSamples.count, "sample names must be unique")
    }
}

struct GoldenError: Error, CustomStringConvertible {
    let description: String
}

/// Runs scripts/proto-golden.py with $ARBOR_TEST_PYTHON, which compiles the schema with grpc_tools.protoc.
private func runPython(samples: [MessageSample]) throws(GoldenError) -> [String: GoldenVectorTests.PythonResult] {
    guard let python = ProcessInfo.processInfo.environment["ARBOR_TEST_PYTHON"], !python.isEmpty else {
        throw GoldenError(
            description: """
                ARBOR_TEST_PYTHON is not set: run the tests with scripts/test, or run scripts/setup and set \
                ARBOR_TEST_PYTHON=$PWD/.build-py/venv/bin/python
                """)
    }
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let request: [String: Any] = [
        "schema_dir": repo.appendingPathComponent("schema").path,
        "samples": samples.map { sample in
            [
                "name": sample.name, "type": type(of: sample.message).protoMessageName,
                "json": protoJSON(sample.message), "swift_hex": hexString(sample.message.serializedBytes()),
            ] as [String: Any]
        },
    ]
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
        process.arguments = [repo.appendingPathComponent("scripts/proto-golden.py").path]
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw GoldenError(description: "proto-golden.py exited with \(process.terminationStatus): \(stderr)")
        }
        let results = try JSONDecoder().decode([GoldenVectorTests.PythonResult].self, from: Data(contentsOf: output))
        return Dictionary(results.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    } catch let error as GoldenError {
        throw error
    } catch {
        throw GoldenError(description: "running \(python) failed: \(error)")
    }
}

/// The samples of the contract `schema/arbor.proto` defines (`arbor.v2`) and of health.
let contractSamples = messageSamples
