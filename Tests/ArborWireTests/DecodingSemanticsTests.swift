import ArborWire
import Testing

@Suite struct DecodingSemanticsTests {
    static let meta = ArborV2.ResponseMeta(source: .live, asOfUnixMs: 9, version: 10, stale: true)

    @Test(arguments: [
        ("varint", "c8 3e 96 01"),  // field 1001
        ("10-byte varint", "f8 01 ffffffffffffffffff01"),
        ("fixed64", "f9 01 0102030405060708"),
        ("fixed32", "fd 01 01020304"),
        ("length-delimited", "fa 01 03 616263"),
        ("empty length-delimited", "fa 01 00"),
        ("length-delimited holding a message", "fa 01 04 0a 02 0801"),
        ("length-delimited holding garbage", "fa 01 03 ff0000"),
        ("highest field number", "f8 ff ff ff 0f 01"),
    ])
    func unknownFieldsAreSkipped(kind: String, unknownHex: String) throws {
        let known = ArborV2.CyclesResponse(
            cycles: [.init(members: .init(ints: [1, 2]))], total: 4, meta: Self.meta)
        let unknown = hexBytes(unknownHex)
        let encoded = known.serializedBytes()
        // Unknown fields before, between and after the known ones, and inside a nested message.
        let metaField = ArborV2.CyclesResponse(meta: Self.meta).serializedBytes()
        let nestedWithUnknown =
            [0x1a, UInt8(Self.meta.serializedBytes().count + unknown.count)]
            + unknown + Self.meta.serializedBytes()
        let cycles = ArborV2.CyclesResponse(cycles: known.cycles).serializedBytes()
        let total = ArborV2.CyclesResponse(total: 4).serializedBytes()
        #expect(encoded == cycles + total + metaField)
        let mixed = unknown + cycles + unknown + total + nestedWithUnknown + unknown
        #expect(try ArborV2.CyclesResponse(serializedBytes: mixed) == known)
    }

    @Test func packedAndUnpackedRepeatedScalarsBothDecode() throws {
        let packed = hexBytes("12 04 01 ac02 05")
        let unpacked = hexBytes("10 01 10 ac02 10 05")
        let mixed = hexBytes("12 03 01 ac02 10 05")
        let expected: [UInt32] = [1, 300, 5]
        #expect(try ArborV2.NodesChunk(serializedBytes: packed).depths == expected)
        #expect(try ArborV2.NodesChunk(serializedBytes: unpacked).depths == expected)
        #expect(try ArborV2.NodesChunk(serializedBytes: mixed).depths == expected)
        // Several packed runs concatenate; an empty run adds nothing.
        let runs = hexBytes("12 01 01 12 00 12 03 ac02 05")
        #expect(try ArborV2.NodesChunk(serializedBytes: runs).depths == expected)
        #expect(ArborV2.NodesChunk(depths: expected).serializedBytes() == packed)
    }

    @Test func packedAndUnpackedRepeatedSignedIntegersBothDecode() throws {
        let expected: [Int64] = [1, 9, -1]
        let packed = hexBytes("12 0c 01 09 ffffffffffffffffff01")
        let unpacked = hexBytes("10 01 10 09 10 ffffffffffffffffff01")
        #expect(try ArborV2.NodeIds(serializedBytes: packed).ints == expected)
        #expect(try ArborV2.NodeIds(serializedBytes: unpacked).ints == expected)
        #expect(ArborV2.NodeIds(ints: expected).serializedBytes() == packed)
    }

    @Test func fieldOrderDoesNotMatter() throws {
        let request = ArborV2.LeaderboardRequest(
            orderBy: .directChildren, measure: "amount", ascending: true,
            filter: [.init(name: "role", values: ["A"]), .init(name: "state", values: ["B"], negate: true)],
            within: "42", events: .init(source: "sales", fromDate: "2026-01-01", toDate: "2026-01-02"),
            downlineFilter: [.init(name: "role", values: ["C"])], breakdownBy: "role", attributes: ["x", "y"],
            limit: 5, offset: 6, freshness: .init(minVersion: 3))
        let fields = try splitFields(request.serializedBytes())
        #expect(fields.count == 14)
        var generator = SplitMix64(seed: 7)
        for _ in 0..<50 {
            var shuffled = fields
            shuffled.shuffle(using: &generator)
            // Repeated fields keep their relative order, so only reorder across field numbers.
            let reordered = stableGroupOrder(shuffled, original: fields)
            let decoded = try ArborV2.LeaderboardRequest(serializedBytes: Array(reordered.joined()))
            #expect(decoded == request)
        }
        let reversed = stableGroupOrder(fields.reversed(), original: fields)
        #expect(try ArborV2.LeaderboardRequest(serializedBytes: Array(reversed.joined())) == request)
    }

    @Test func lastValueWinsForASingularScalar() throws {
        // limit = 5, then root, then limit = 7, then root again; include_root true, then false.
        let bytes = hexBytes("28 05 0a 01 61 28 07 0a 02 6263 20 01 20 00")
        let decoded = try ArborV2.TraversalRequest(serializedBytes: bytes)
        #expect(decoded.limit == 7)
        #expect(decoded.root == "bc")
        #expect(decoded.includeRoot == false)
    }

    @Test func lastValueWinsForABoolAndAnEnum() throws {
        #expect(try ArborV2.Freshness(serializedBytes: hexBytes("10 01 10 00")).requireLive == false)
        #expect(try ArborV2.ResponseMeta(serializedBytes: hexBytes("08 01 08 02")).source == .live)
        #expect(try GRPCHealthV1.HealthCheckResponse(serializedBytes: hexBytes("08 01 08 02")).status == .notServing)
    }

    @Test func aSingularMessageOccurringTwiceIsMerged() throws {
        // events { source: "a", match: [m1] } then limit = 9, then events { match: [m2], from_date }
        let first = ArborV2.EventScope(source: "a", match: [.init(name: "c", values: ["x"])]).serializedBytes()
        let second = ArborV2.EventScope(match: [.init(name: "d", values: ["y"])], fromDate: "2026-01-01")
            .serializedBytes()
        let bytes = [0x2a, UInt8(first.count)] + first + hexBytes("48 09") + [0x2a, UInt8(second.count)] + second
        let decoded = try ArborV2.FilteredStatsRequest(serializedBytes: bytes)
        #expect(
            decoded.events
                == ArborV2.EventScope(
                    source: "a", match: [.init(name: "c", values: ["x"]), .init(name: "d", values: ["y"])],
                    fromDate: "2026-01-01"))
        #expect(decoded.limit == 9)
    }

    @Test func repeatedMessagesAppendEveryOccurrence() throws {
        let rows = [ArborV2.StatsRow(keys: ["a"]), ArborV2.StatsRow(), ArborV2.StatsRow(nodes: 3)]
        let bytes = ArborV2.FilteredStatsResponse(rows: rows).serializedBytes()
        #expect(bytes == hexBytes("0a 03 0a0161 0a 00 0a 02 1803"))
        #expect(try ArborV2.FilteredStatsResponse(serializedBytes: bytes).rows == rows)
    }

    @Test func emptyStringsInARepeatedFieldAreKept() throws {
        let match = ArborV2.Match(values: ["", "A", ""])
        #expect(match.serializedBytes() == hexBytes("1200 120141 1200"))
        #expect(try ArborV2.Match(serializedBytes: match.serializedBytes()) == match)
    }

    @Test func fieldsAreWrittenInFieldNumberOrder() throws {
        let bytes = ArborV2.LeaderboardRow(
            rank: 1, id: "9", label: "n", attributes: ["role": "r"], selfMeasures: [2], treeMeasures: [3],
            directChildren: 4, downlineSize: 5, downlineMatching: 6, breakdown: [.init(key: "x", count: 1)]
        ).serializedBytes()
        let numbers = try splitFields(bytes).map { Int($0[0] >> 3) }
        #expect(numbers == Array(1...10))
    }
}

/// Splits an encoding into its top-level fields (tag and value bytes each), independently of the reader.
func splitFields(_ bytes: [UInt8]) throws -> [[UInt8]] {
    var fields: [[UInt8]] = []
    var index = 0
    func varint() -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = bytes[index]
            value |= UInt64(byte & 0x7f) << shift
            shift += 7
            index += 1
            if byte & 0x80 == 0 { return value }
        }
    }
    while index < bytes.count {
        let start = index
        let key = varint()
        switch key & 7 {
        case 0: _ = varint()
        case 1: index += 8
        case 2: index += Int(varint())
        case 5: index += 4
        default: throw SplitError.unexpectedWireType(key & 7)
        }
        fields.append(Array(bytes[start..<index]))
    }
    return fields
}

enum SplitError: Error { case unexpectedWireType(UInt64) }

/// `fields` in their new order, except that fields with the same number keep their original relative order.
private func stableGroupOrder(_ fields: some Sequence<[UInt8]>, original: [[UInt8]]) -> [[UInt8]] {
    let numberOrder = fields.map { $0[0] }
    var queues: [UInt8: [[UInt8]]] = [:]
    for field in original { queues[field[0], default: []].append(field) }
    return numberOrder.map { queues[$0]!.removeFirst() }
}
