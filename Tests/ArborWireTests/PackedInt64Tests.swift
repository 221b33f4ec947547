import Testing

@testable import ArborWire

/// `repeated int64` fields: written packed, read packed or not; negative values are ten-byte varints.
@Suite struct PackedInt64Tests {
    @Test func writerPacksValues() {
        var writer = ProtoWriter()
        writer.writePackedInt64([-1, 0, 300, Int64.min, Int64.max], field: 2)
        let payload = "ffffffffffffffffff01 00 ac02 80808080808080808001 ffffffffffffffff7f"
        #expect(writer.bytes == hexBytes("12 20") + hexBytes(payload))
    }

    @Test func anEmptyListWritesNothing() {
        var writer = ProtoWriter()
        writer.writePackedInt64([], field: 2)
        #expect(writer.bytes.isEmpty)
    }

    @Test func zerosAreWrittenInAList() {
        var writer = ProtoWriter()
        writer.writePackedInt64([0, 0], field: 2)
        #expect(writer.bytes == hexBytes("12 02 00 00"))
    }

    @Test(arguments: [
        ("packed", "12 0d ffffffffffffffffff01 ac02 05"),
        ("unpacked", "10 ffffffffffffffffff01 10 ac02 10 05"),
        ("mixed", "12 0c ffffffffffffffffff01 ac02 10 05"),
        ("several packed runs and an empty one", "12 0a ffffffffffffffffff01 12 00 12 03 ac02 05"),
    ])
    func packedAndUnpackedBothDecode(kind: String, hex: String) throws {
        #expect(try ArborV2.StatsRow(serializedBytes: hexBytes(hex)).values == [-1, 300, 5], "\(kind)")
    }

    @Test func readerAppendsAcrossOccurrences() throws {
        var values: [Int64] = [7]
        try readSingleField(hexBytes("12 02 01 02")) { reader, tag throws(WireError) in
            try reader.readRepeatedInt64(tag, field: "values", into: &values)
        }
        #expect(values == [7, 1, 2])
    }

    @Test func theFiveByteFormOfANegativeInt32IsNotNegativeAsInt64() throws {
        // 0xffffffff as a varint is 4294967295 for int64; only int32 truncates it to -1.
        #expect(try ArborV2.StatsRow(serializedBytes: hexBytes("12 05 ffffffff0f")).values == [4_294_967_295])
    }
}
