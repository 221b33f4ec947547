import ArborWire
import Testing

@Suite struct MalformedInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let type: any ProtoMessage.Type
        let bytes: [UInt8]
        let code: WireError.Code
        let message: String

        init(_ name: String, _ type: any ProtoMessage.Type, _ hex: String, _ code: WireError.Code, _ message: String) {
            self.init(name, type, hexBytes(hex), code, message)
        }

        init(_ name: String, _ type: any ProtoMessage.Type, _ bytes: [UInt8], _ code: WireError.Code, _ message: String)
        {
            self.name = name
            self.type = type
            self.bytes = bytes
            self.code = code
            self.message = message
        }

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(
            "truncated varint", ArborV2.TraversalRequest.self, "10 80", .truncated,
            "TraversalRequest.max_depth: varint runs past the end of the buffer"),
        .init(
            "varint with no bytes", ArborV2.TraversalRequest.self, "10", .truncated,
            "TraversalRequest.max_depth: varint runs past the end of the buffer"),
        .init(
            "varint over 10 bytes", ArborV2.TraversalRequest.self, "10 ffffffffffffffffffff 01", .varintTooLong,
            "TraversalRequest.max_depth: varint is longer than 10 bytes"),
        .init(
            "truncated tag", ArborV2.TraversalRequest.self, "80", .truncated,
            "TraversalRequest: varint runs past the end of the buffer"),
        .init(
            "tag over 10 bytes", ArborV2.Freshness.self, "ffffffffffffffffffff01", .varintTooLong,
            "Freshness: varint is longer than 10 bytes"),
        .init(
            "length past the end", ArborV2.TraversalRequest.self, "0a 28 010203", .lengthOutOfBounds,
            "TraversalRequest.root: length 40 runs past the end of the buffer (3 bytes left)"),
        .init(
            "huge length fails before allocating", ArborV2.TraversalRequest.self,
            hexBytes("0a") + varintBytes(UInt64.max), .lengthOutOfBounds,
            "TraversalRequest.root: length 18446744073709551615 runs past the end of the buffer (0 bytes left)"),
        .init(
            "huge string length", ArborV2.FindNodesRequest.self, hexBytes("0a") + varintBytes(1 << 62) + [0x41],
            .lengthOutOfBounds,
            "FindNodesRequest.label_prefix: length 4611686018427387904 runs past the end of the buffer (1 byte left)"),
        .init(
            "huge packed length", ArborV2.NodesChunk.self, hexBytes("12") + varintBytes(1 << 40) + [1, 2],
            .lengthOutOfBounds,
            "NodesChunk.depths: length 1099511627776 runs past the end of the buffer (2 bytes left)"),
        .init(
            "varint field sent length-delimited", ArborV2.TraversalRequest.self, "12 00", .wrongWireType,
            "TraversalRequest.max_depth: wire type 2 (length-delimited) where varint is expected"),
        .init(
            "string field sent as varint", ArborV2.TraversalRequest.self, "08 01", .wrongWireType,
            "TraversalRequest.root: wire type 0 (varint) where length-delimited is expected"),
        .init(
            "message field sent as fixed32", ArborV2.TraversalRequest.self, "1d 00000000", .wrongWireType,
            "TraversalRequest.filter: wire type 5 (fixed32) where length-delimited is expected"),
        .init(
            "string field sent as fixed64", GRPCHealthV1.HealthCheckRequest.self, "09 0000000000000000", .wrongWireType,
            "HealthCheckRequest.service: wire type 1 (fixed64) where length-delimited is expected"),
        .init(
            "enum field sent length-delimited", GRPCHealthV1.HealthCheckResponse.self, "0a 0101", .wrongWireType,
            "HealthCheckResponse.status: wire type 2 (length-delimited) where varint is expected"),
        .init(
            "packed field sent as fixed32", ArborV2.NodesChunk.self, "15 01000000", .wrongWireType,
            "NodesChunk.depths: wire type 5 (fixed32) where varint or length-delimited (packed) is expected"),
        .init(
            "field number 0", ArborV2.TraversalRequest.self, "00 00", .invalidFieldNumber,
            "TraversalRequest: field number 0 is invalid"),
        .init(
            "field number 0 with length-delimited wire type", ArborV2.Cycle.self, "02 00", .invalidFieldNumber,
            "Cycle: field number 0 is invalid"),
        .init(
            "field number above 2^29 - 1", ArborV2.Cycle.self, hexBytes("") + varintBytes(1 << 32) + [0],
            .invalidFieldNumber, "Cycle: tag 4294967296 has a field number above 536870911"),
        .init(
            "start group", ArborV2.TraversalRequest.self, "0b 0c", .unsupportedGroup,
            "TraversalRequest: field 1 uses the deprecated group wire type 3"),
        .init(
            "end group", ArborV2.TraversalRequest.self, "a4 01", .unsupportedGroup,
            "TraversalRequest: field 20 uses the deprecated group wire type 4"),
        .init(
            "wire type 6", ArborV2.Freshness.self, "0e", .invalidWireType,
            "Freshness: field 1 has undefined wire type 6"),
        .init(
            "wire type 7", ArborV2.Freshness.self, "7f", .invalidWireType,
            "Freshness: field 15 has undefined wire type 7"),
        .init(
            "invalid UTF-8", ArborV2.FindNodesRequest.self, "0a 02 c328", .invalidUTF8,
            "FindNodesRequest.label_prefix: invalid UTF-8 in a string"),
        .init(
            "invalid byte after eight ASCII bytes", ArborV2.FindNodesRequest.self, "0a 0a 6161616161616161 ff61",
            .invalidUTF8, "FindNodesRequest.label_prefix: invalid UTF-8 in a string"),
        .init(
            "truncated multi-byte sequence at the end", ArborV2.Node.self, "12 03 6161e2", .invalidUTF8,
            "Node.label: invalid UTF-8 in a string"),
        .init(
            "UTF-16 surrogate in UTF-8", ArborV2.FindNodesRequest.self, "0a 03 eda080", .invalidUTF8,
            "FindNodesRequest.label_prefix: invalid UTF-8 in a string"),
        .init(
            "overlong UTF-8", GRPCHealthV1.HealthCheckRequest.self, "0a 02 c0af", .invalidUTF8,
            "HealthCheckRequest.service: invalid UTF-8 in a string"),
        .init(
            "invalid UTF-8 in a nested repeated string", ArborV2.TraversalRequest.self, "1a 03 12 01 ff",
            .invalidUTF8, "TraversalRequest.filter.values: invalid UTF-8 in a string"),
        .init(
            "nested length past the nested message", ArborV2.TraversalRequest.self, "1a 03 12 05 61 626364",
            .lengthOutOfBounds,
            "TraversalRequest.filter.values: length 5 runs past the end of the buffer (1 byte left)"),
        .init(
            "wrong wire type two levels down", ArborV2.LeaderboardResponse.self, "0a 06 52 04 12 02 0000",
            .wrongWireType,
            "LeaderboardResponse.rows.breakdown.count: wire type 2 (length-delimited) where varint is expected"),
        .init(
            "truncated varint inside a packed field", ArborV2.NodesChunk.self, "12 02 0180", .truncated,
            "NodesChunk.depths: varint runs past the end of the buffer"),
        .init(
            "packed uint32 varint over 10 bytes", ArborV2.NodesChunk.self, "12 0b ffffffffffffffffffff01",
            .varintTooLong, "NodesChunk.depths: varint is longer than 10 bytes"),
        .init(
            "unknown varint field truncated", ArborV2.TraversalRequest.self, "f801 ff", .truncated,
            "TraversalRequest.#31: varint runs past the end of the buffer"),
        .init(
            "unknown fixed64 field truncated", ArborV2.TraversalRequest.self, "79 010203", .truncated,
            "TraversalRequest.#15: 8-byte value runs past the end of the buffer (3 bytes left)"),
        .init(
            "unknown fixed32 field truncated", ArborV2.StatsRow.self, "25 01", .truncated,
            "StatsRow.#4: 4-byte value runs past the end of the buffer (1 byte left)"),
        .init(
            "unknown length-delimited field past the end", ArborV2.StatsRow.self, "2a 05 0102", .lengthOutOfBounds,
            "StatsRow.#5: length 5 runs past the end of the buffer (2 bytes left)"),
        .init(
            "unknown field in a nested message", ArborV2.FindNodesResponse.self, "0a 02 5001 12 03 f801ff",
            .truncated, "FindNodesResponse.meta.#31: varint runs past the end of the buffer"),
        .init(
            "map entry sent as a varint", ArborV2.LeaderboardRow.self, "20 01", .wrongWireType,
            "LeaderboardRow.attributes: wire type 0 (varint) where length-delimited is expected"),
        .init(
            "map key with a wrong wire type", ArborV2.Node.self, "1a 02 0801", .wrongWireType,
            "Node.attributes.key: wire type 0 (varint) where length-delimited is expected"),
        .init(
            "map value with a wrong wire type", ArborV2.Node.self, "1a 08 0a0161 1500000000", .wrongWireType,
            "Node.attributes.value: wire type 5 (fixed32) where length-delimited is expected"),
        .init(
            "map entry past the end", ArborV2.Node.self, "1a 05 0a0161", .lengthOutOfBounds,
            "Node.attributes: length 5 runs past the end of the buffer (3 bytes left)"),
        .init(
            "map key past the end of its entry", ArborV2.Node.self, "1a 03 0a05 61 626364", .lengthOutOfBounds,
            "Node.attributes.key: length 5 runs past the end of the buffer (1 byte left)"),
        .init(
            "map entry with a group", ArborV2.Node.self, "1a 01 0b", .unsupportedGroup,
            "Node.attributes: field 1 uses the deprecated group wire type 3"),
        .init(
            "unknown field in a map entry truncated", ArborV2.Node.self, "1a 02 f801 1200", .truncated,
            "Node.attributes.#31: varint runs past the end of the buffer"),
        .init(
            "invalid UTF-8 in a map value two levels down", ArborV2.FindNodesResponse.self, "0a 05 1a 03 1201ff",
            .invalidUTF8, "FindNodesResponse.nodes.attributes.value: invalid UTF-8 in a string"),
        .init(
            "packed int64 list past the end", ArborV2.StatsRow.self, "12 0a ffffffffffffffffff", .lengthOutOfBounds,
            "StatsRow.values: length 10 runs past the end of the buffer (9 bytes left)"),
        .init(
            "packed int64 list cut inside a value", ArborV2.StatsRow.self, "12 02 01ff 1805", .truncated,
            "StatsRow.values: varint runs past the end of the buffer"),
        .init(
            "packed int64 varint over 10 bytes", ArborV2.FilteredStatsResponse.self, "12 0b ffffffffffffffffffff01",
            .varintTooLong, "FilteredStatsResponse.totals: varint is longer than 10 bytes"),
        .init(
            "packed int64 sent as fixed64", ArborV2.StatsRow.self, "11 0000000000000000", .wrongWireType,
            "StatsRow.values: wire type 1 (fixed64) where varint or length-delimited (packed) is expected"),
        .init(
            "truncated packed int64 list in nested ids", ArborV2.NodesChunk.self, "0a 04 12 02 01 80", .truncated,
            "NodesChunk.ids.ints: varint runs past the end of the buffer"),
    ]

    @Test(arguments: cases)
    func malformedInputThrowsAPreciseError(testCase: Case) {
        let error = #expect(throws: WireError.self) {
            _ = try testCase.type.decoded(from: testCase.bytes)
        }
        #expect(error?.code == testCase.code)
        #expect(error?.message == testCase.message)
        #expect(error?.description == testCase.message)
    }

    @Test(arguments: cases)
    func malformedInputFailsTheSameFromABuffer(testCase: Case) {
        let error = #expect(throws: WireError.self) {
            _ = try testCase.bytes.withUnsafeBytes { buffer throws(WireError) in
                try testCase.type.init(serializedBuffer: buffer)
            }
        }
        #expect(error?.message == testCase.message)
    }

    @Test func errorPathListsTheMessageAndFields() {
        let error = #expect(throws: WireError.self) {
            _ = try ArborV2.TraversalRequest(serializedBytes: hexBytes("1a 03 12 01 ff"))
        }
        #expect(error?.fieldPath == ["TraversalRequest", "filter", "values"])
        #expect(error?.detail == "invalid UTF-8 in a string")
    }

    @Test func everyCodeHasADistinctDescription() {
        let codes: [WireError.Code] = [
            .truncated, .varintTooLong, .lengthOutOfBounds, .invalidFieldNumber, .invalidWireType,
            .unsupportedGroup, .wrongWireType, .invalidUTF8, .depthLimitExceeded,
        ]
        #expect(Set(codes.map(\.description)).count == codes.count)
    }
}
