import ArborWire
import Foundation
import Testing

/// The golden vectors cover the whole contract: every field of every message of `schema/arbor.proto` and
/// `schema/health.proto` is set to a value other than its default in some sample, every enum value occurs, and every
/// message of the schema has a Swift type with samples; the extra samples of `contractCoverageSamples` pass the
/// same checks as the others (our bytes equal Python's, each side decodes the other's).
@Suite struct GoldenVectorCoverageTests {
    /// What the schema declares, as Python's protobuf reads it.
    struct Schema: Decodable, Sendable {
        let messages: [String: [String]]
        let enums: [String: [String]]
    }

    static let schema: Result<Schema, GoldenError> = Result { () throws(GoldenError) in
        let output = try runProtoGolden(["samples": [Any]()], arguments: ["--describe"])
        do { return try JSONDecoder().decode(Schema.self, from: output) } catch {
            throw GoldenError(description: "proto-golden.py --describe wrote something unreadable: \(error)")
        }
    }

    static let samples = contractSamples + contractCoverageSamples

    static let results: Result<[String: GoldenVectorTests.PythonResult], GoldenError> = Result {
        () throws(GoldenError) in try runPython(samples: samples)
    }

    @Test(arguments: contractCoverageSamples)
    func ourBytesEqualPythonsAndEachSideDecodesTheOther(sample: MessageSample) throws {
        let python = try #require(try Self.results.get()[sample.name], "Python returned no result for \(sample.name)")
        let ours = sample.message.serializedBytes()
        #expect(hexString(ours) == python.pythonHex, "our encoding differs from Python's")
        #expect(python.swiftDecodesEqual, "Python decoded our bytes to: \(python.swiftDecoded)")
        let decoded = try type(of: sample.message).decoded(from: hexBytes(python.pythonHex))
        #expect(sample.message.isEqual(to: decoded), "we decoded Python's bytes to \(decoded)")
    }

    @Test func everyFieldOfEveryMessageIsSetInSomeSample() throws {
        let schema = try Self.schema.get()
        let set = Set(try Self.results.get().values.flatMap(\.fieldsSet))
        let missing = schema.messages.flatMap { message, fields in fields.map { "\(message).\($0)" } }
            .filter { !set.contains($0) }.sorted()
        #expect(missing.isEmpty, "fields no sample sets: \(missing)")
        #expect(schema.messages.keys.contains("arbor.v2.LeaderboardRow"), "the schema was not read")
    }

    @Test func everyEnumValueOccurs() throws {
        let schema = try Self.schema.get()
        let seen = Set(try Self.results.get().values.flatMap(\.enumValues))
        // The zero value is the default: it occurs in every sample that leaves the field unset, never on the wire.
        let missing = schema.enums.flatMap { name, values in values.dropFirst().map { "\(name).\($0)" } }
            .filter { !seen.contains($0) }.sorted()
        #expect(missing.isEmpty, "enum values no sample holds: \(missing)")
        #expect(schema.enums["arbor.v2.Metric"]?.count == 6)
    }

    @Test func everyMessageOfTheSchemaHasASwiftTypeWithPopulatedAndDefaultSamples() throws {
        let schema = try Self.schema.get()
        let swiftTypes = Set(allMessageTypes.map { $0.protoMessageName }.filter { !$0.hasPrefix("arbor.v1.") })
        #expect(swiftTypes == Set(schema.messages.keys))
        let results = try Self.results.get()
        for message in schema.messages.keys.sorted() {
            let samples = Self.samples.filter { type(of: $0.message).protoMessageName == message }
            #expect(
                samples.contains { results[$0.name]?.fieldsSet.isEmpty == true },
                "\(message) has no default sample")
            #expect(
                samples.contains { results[$0.name]?.fieldsSet.isEmpty == false },
                "\(message) has no populated sample")
        }
    }

    @Test func sampleNamesAreUnique() {
        #expect(Set(Self.samples.map(\.name)).count == Self.samples.count)
    }
}
