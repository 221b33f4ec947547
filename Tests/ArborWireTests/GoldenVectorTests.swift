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
        /// Every field, at any depth, that Python found set to a value other than its default (`arbor.v2.Match.name`).
        let fieldsSet: [String]
        /// Every named enum value such a field holds (`arbor.v2.Metric.TREE`).
        let enumValues: [String]

        enum CodingKeys: String, CodingKey {
            case name
            case pythonHex = "python_hex"
            case swiftDecodesEqual = "swift_decodes_equal"
            case swiftDecoded = "swift_decoded"
            case fieldsSet = "fields_set"
            case enumValues = "enum_values"
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

/// Runs scripts/proto-golden.py for `samples`: Python's bytes for each and whether it decodes ours.
func runPython(samples: [MessageSample]) throws(GoldenError) -> [String: GoldenVectorTests.PythonResult] {
    let request: [String: Any] = [
        "samples": samples.map { sample in
            [
                "name": sample.name, "type": type(of: sample.message).protoMessageName,
                "json": protoJSON(sample.message), "swift_hex": hexString(sample.message.serializedBytes()),
            ] as [String: Any]
        }
    ]
    let output = try runProtoGolden(request)
    do {
        let results = try JSONDecoder().decode([GoldenVectorTests.PythonResult].self, from: output)
        return Dictionary(results.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    } catch {
        throw GoldenError(description: "proto-golden.py wrote something unreadable: \(error)")
    }
}

/// The samples of the contract `schema/arbor.proto` defines (`arbor.v2`) and of health.
let contractSamples = messageSamples
