import Testing

@testable import ArborWire

@Suite struct FixedWidthTests {
    @Test(arguments: [(UInt32(1), "0d 01000000"), (0xdead_beef, "0d efbeadde"), (UInt32.max, "0d ffffffff")])
    func fixed32IsFourLittleEndianBytes(value: UInt32, hex: String) throws {
        var writer = ProtoWriter()
        writer.writeFixed32(value, field: 1)
        #expect(writer.bytes == hexBytes(hex))
        let decoded = try readSingleField(writer.bytes) { reader, tag throws(WireError) in
            try reader.readFixed32(tag, field: "value")
        }
        #expect(decoded == value)
    }

    @Test(arguments: [
        (UInt64(1), "09 0100000000000000"), (0x0102_0304_0506_0708, "09 0807060504030201"),
        (UInt64.max, "09 ffffffffffffffff"),
    ])
    func fixed64IsEightLittleEndianBytes(value: UInt64, hex: String) throws {
        var writer = ProtoWriter()
        writer.writeFixed64(value, field: 1)
        #expect(writer.bytes == hexBytes(hex))
        let decoded = try readSingleField(writer.bytes) { reader, tag throws(WireError) in
            try reader.readFixed64(tag, field: "value")
        }
        #expect(decoded == value)
    }

    @Test func zeroFixedValuesAreLeftOut() {
        var writer = ProtoWriter()
        writer.writeFixed32(0, field: 1)
        writer.writeFixed64(0, field: 2)
        #expect(writer.bytes.isEmpty)
    }

    @Test func unalignedFixedValuesAreRead() throws {
        // A leading varint field puts the fixed64 value at an odd offset.
        let bytes = hexBytes("0801 11 0807060504030201")
        let value: UInt64 = try bytes.withUnsafeBytes { buffer in
            var reader = ProtoReader(buffer)
            let first = try #require(try reader.nextTag())
            _ = try reader.readUInt64(first, field: "first")
            let second = try #require(try reader.nextTag())
            return try reader.readFixed64(second, field: "second")
        }
        #expect(value == 0x0102_0304_0506_0708)
    }
}
