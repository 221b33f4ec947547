import ArborWire
import FuzzSupport

@main
enum ProtoFuzzTarget {
    static func main() { runLibFuzzer(fuzzProto) }
}

/// Every message of the contracts (`schema/arbor.proto`, `schema/health.proto`); each input is
/// decoded as each.
let contractMessages: [any ProtoMessage.Type] = [
    ArborV2.AttributeInfo.self,
    ArborV2.Column.self,
    ArborV2.Cycle.self,
    ArborV2.CyclesRequest.self,
    ArborV2.CyclesResponse.self,
    ArborV2.DescribeRequest.self,
    ArborV2.DescribeResponse.self,
    ArborV2.EventScope.self,
    ArborV2.EventSourceInfo.self,
    ArborV2.FilteredStatsRequest.self,
    ArborV2.FilteredStatsResponse.self,
    ArborV2.FindNodesRequest.self,
    ArborV2.FindNodesResponse.self,
    ArborV2.Freshness.self,
    ArborV2.KeyCount.self,
    ArborV2.LeaderboardRequest.self,
    ArborV2.LeaderboardResponse.self,
    ArborV2.LeaderboardRow.self,
    ArborV2.Match.self,
    ArborV2.MeasureInfo.self,
    ArborV2.Node.self,
    ArborV2.NodeIds.self,
    ArborV2.NodesChunk.self,
    ArborV2.ResponseMeta.self,
    ArborV2.StatsRow.self,
    ArborV2.TraversalRequest.self,
    GRPCHealthV1.HealthCheckRequest.self,
    GRPCHealthV1.HealthCheckResponse.self,
]

/// Decodes the input as every message of the contract. A decode error is an answer; a message that decodes must
/// survive encode → decode unchanged, and its encoding must be stable (the same bytes after a second round).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProto(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // Decoded in place from libFuzzer's buffer, which is exactly `size` bytes: AddressSanitizer sees any read past it.
    let input = UnsafeRawBufferPointer(start: data, count: size)
    for type in contractMessages {
        checkRoundTrip(type, input)
    }
    return 0
}

private func checkRoundTrip<Message: ProtoMessage>(_ type: Message.Type, _ input: UnsafeRawBufferPointer) {
    let decoded: Message
    do {
        decoded = try Message(serializedBuffer: input)
    } catch {
        // The error goes back to the caller as it is: it must say where, starting from the message decoded.
        fuzzRequire(
            error.fieldPath.first.map { isShortName($0, of: Message.protoMessageName) } == true
                && !error.detail.isEmpty,
            "\(Message.protoMessageName): a decode error does not start at the message: \(error.fieldPath) \(error)"
        )
        return
    }
    let name = Message.protoMessageName
    let encoded = decoded.serializedBytes()
    let redecoded: Message
    do {
        redecoded = try Message(serializedBytes: encoded)
    } catch {
        fuzzFailure("\(name): its own encoding \(hex(encoded)) does not decode: \(error) (input \(hex(input)))")
    }
    fuzzRequire(
        redecoded == decoded,
        "\(name): decode(encode(m)) != m: \(decoded) became \(redecoded) (input \(hex(input)))"
    )
    let reencoded = redecoded.serializedBytes()
    fuzzRequire(
        reencoded == encoded,
        "\(name): the encoding is not stable: \(hex(encoded)) then \(hex(reencoded)) (input \(hex(input)))"
    )
    var appended: [UInt8] = [0xA5]
    decoded.serialize(appendingTo: &appended)
    fuzzRequire(
        appended.count == encoded.count + 1 && appended.first == 0xA5 && appended.dropFirst().elementsEqual(encoded),
        "\(name): serialize(appendingTo:) differs from serializedBytes() (input \(hex(input)))"
    )
}

/// Whether `name` is the last component of `fullName` (`Cycle` of `arbor.v2.Cycle`), without allocating: this runs
/// for every input that does not decode.
private func isShortName(_ name: String, of fullName: String) -> Bool {
    fullName.hasSuffix(name) && fullName.utf8.dropLast(name.utf8.count).last == UInt8(ascii: ".")
}

private func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { byte in
        let digits = String(byte, radix: 16)
        return byte < 0x10 ? "0" + digits : digits
    }.joined()
}
