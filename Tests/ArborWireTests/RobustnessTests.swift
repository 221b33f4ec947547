import ArborWire
import Testing

/// Random and mutated input must either decode or throw a ``WireError``, never crash, and whatever decodes must
/// re-encode to something that decodes to the same value. Seeded, so every run checks the same inputs.
@Suite struct RobustnessTests {
    /// Bytes that are likely to form tags, lengths and varint continuations, so random input reaches deep paths.
    static let interestingBytes: [UInt8] = [
        0x00, 0x01, 0x02, 0x05, 0x08, 0x0a, 0x10, 0x12, 0x1a, 0x22, 0x7f, 0x80, 0xff,
    ]

    @Test(arguments: messageSamples.filter { !$0.message.serializedBytes().isEmpty })
    func mutationsOfAValidEncodingDecodeOrThrow(sample: MessageSample) throws {
        let type = type(of: sample.message)
        let original = sample.message.serializedBytes()
        var generator = SplitMix64(seed: UInt64(truncatingIfNeeded: original.count) &* 31 &+ 17)
        var decodedCount = 0
        for round in 0..<300 {
            let mutated = mutate(original, using: &generator)
            if try check(type, mutated, label: "\(sample.name) round \(round)") { decodedCount += 1 }
        }
        // Most single mutations of a valid encoding still parse; if none did, the mutations are not exercising
        // the decoder past its first check.
        #expect(decodedCount > 0)
    }

    @Test(arguments: allMessageTypes.map { MessageSample($0.protoMessageName, $0.init()) })
    func randomBytesDecodeOrThrow(sample: MessageSample) throws {
        let type = type(of: sample.message)
        var generator = SplitMix64(seed: UInt64(type.protoMessageName.utf8.count) &* 7919)
        for round in 0..<500 {
            let length = Int.random(in: 0..<48, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator)
                    ? Self.interestingBytes.randomElement(using: &generator)!
                    : UInt8.random(in: 0...255, using: &generator)
            }
            _ = try check(type, bytes, label: "random round \(round)")
        }
    }

    /// Decodes `bytes`; on success checks that the value survives a re-encode. Returns whether it decoded.
    private func check(_ type: any ProtoMessage.Type, _ bytes: [UInt8], label: String) throws -> Bool {
        do {
            let decoded = try type.decoded(from: bytes)
            let again = try type.decoded(from: decoded.serializedBytes())
            #expect(decoded.isEqual(to: again), "\(label): re-encoding changed the value")
            return true
        } catch {
            let shortName = String(type.protoMessageName.split(separator: ".").last!)
            #expect(error.fieldPath.first == shortName, "\(label): \(error)")
            #expect(!error.detail.isEmpty)
            return false
        }
    }

    private func mutate(_ bytes: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var result = bytes
        let index = Int.random(in: 0..<result.count, using: &generator)
        switch Int.random(in: 0..<6, using: &generator) {
        case 0:
            result[index] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
        case 1:
            result[index] = Self.interestingBytes.randomElement(using: &generator)!
        case 2:
            result.removeSubrange(index...)
        case 3:
            let count = Int.random(in: 1...4, using: &generator)
            result.insert(contentsOf: (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: index)
        case 4:
            let end = Int.random(in: index...result.count, using: &generator)
            result.removeSubrange(index..<end)
        default:
            let end = Int.random(in: index...result.count, using: &generator)
            result.insert(contentsOf: result[index..<end], at: end)
        }
        return result
    }
}
