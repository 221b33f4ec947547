import Testing

@testable import ArborWire

@Suite struct VarintTests {
    /// (value, its varint encoding in hex), from the protobuf encoding guide and the 64-bit edges.
    static let cases: [(UInt64, String)] = [
        (0, "00"), (1, "01"), (127, "7f"), (128, "8001"), (150, "9601"), (300, "ac02"), (16_383, "ff7f"),
        (16_384, "808001"), (2_097_151, "ffff7f"), (2_097_152, "80808001"), (UInt64(UInt32.max), "ffffffff0f"),
        (1 << 35, "8080808080 01"), (UInt64(Int64.max), "ffffffffffffffff7f"),
        (UInt64(bitPattern: Int64.min), "80808080808080808001"), (UInt64.max, "ffffffffffffffffff01"),
    ]

    @Test(arguments: cases)
    func writerEncodesVarints(value: UInt64, hex: String) {
        var writer = ProtoWriter()
        writer.writeVarint(value)
        #expect(writer.bytes == hexBytes(hex))
        #expect(ProtoWriter.varintSize(value) == hexBytes(hex).count)
    }

    @Test(arguments: cases)
    func readerDecodesVarints(value: UInt64, hex: String) throws {
        let decoded = try readSingleField(hexBytes("08") + hexBytes(hex)) { reader, tag throws(WireError) in
            try reader.readUInt64(tag, field: "value")
        }
        #expect(decoded == value)
    }

    @Test(arguments: [
        ("8100", UInt64(1)),  // Non-minimal encodings are valid protobuf.
        ("80808000", 0),
        ("ffffffffffffffffff7f", UInt64.max),  // Bits past 64 in the tenth byte are dropped, as upb does.
    ])
    func readerAcceptsNonMinimalVarints(hex: String, value: UInt64) throws {
        let decoded = try readSingleField(hexBytes("08") + hexBytes(hex)) { reader, tag throws(WireError) in
            try reader.readUInt64(tag, field: "value")
        }
        #expect(decoded == value)
    }

    @Test(arguments: [
        (Int64(-1), "ffffffffffffffffff01"), (Int64.min, "80808080808080808001"), (-2, "feffffffffffffffff01"),
        (1, "01"), (Int64.max, "ffffffffffffffff7f"),
    ])
    func int64RoundTripsAsTwosComplement(value: Int64, hex: String) throws {
        var writer = ProtoWriter()
        writer.writeInt64(value, field: 1)
        #expect(writer.bytes == hexBytes("08" + hex))
        let decoded = try readSingleField(writer.bytes) { reader, tag throws(WireError) in
            try reader.readInt64(tag, field: "value")
        }
        #expect(decoded == value)
    }

    @Test(arguments: [
        (Int32(-1), "ffffffffffffffffff01"), (Int32.min, "80808080f8ffffffff01"), (Int32.max, "ffffffff07"),
        (-300, "d4fdffffffffffffff01"),
    ])
    func negativeInt32IsSignExtendedToTenBytes(value: Int32, hex: String) throws {
        var writer = ProtoWriter()
        writer.writeInt32(value, field: 1)
        #expect(writer.bytes == hexBytes("08" + hex))
        let decoded = try readSingleField(writer.bytes) { reader, tag throws(WireError) in
            try reader.readInt32(tag, field: "value")
        }
        #expect(decoded == value)
    }

    @Test func int32AcceptsTheFiveByteFormOfANegativeNumber() throws {
        // Some encoders write int32 -1 as 32 bits; protobuf keeps the low 32 bits.
        let decoded = try readSingleField(hexBytes("08 ffffffff0f")) { reader, tag throws(WireError) in
            try reader.readInt32(tag, field: "value")
        }
        #expect(decoded == -1)
    }

    @Test func uint32KeepsTheLow32BitsOfAWiderVarint() throws {
        let decoded = try readSingleField(hexBytes("08") + varintBytes(1 << 32 | 7)) { reader, tag throws(WireError) in
            try reader.readUInt32(tag, field: "value")
        }
        #expect(decoded == 7)
    }

    @Test(arguments: [("00", false), ("01", true), ("02", true), ("ffffffffffffffffff01", true)])
    func boolIsAnyNonZeroVarint(hex: String, value: Bool) throws {
        let decoded = try readSingleField(hexBytes("08" + hex)) { reader, tag throws(WireError) in
            try reader.readBool(tag, field: "value")
        }
        #expect(decoded == value)
    }
}

/// Reads one field with a bare reader (no enclosing message type), checking that it is the only one.
func readSingleField<T>(
    _ bytes: [UInt8], _ read: (inout ProtoReader, FieldTag) throws(WireError) -> T
) throws(WireError) -> T {
    let result: Result<T, WireError> = bytes.withUnsafeBytes { buffer in
        var reader = ProtoReader(buffer)
        do throws(WireError) {
            guard let tag = try reader.nextTag() else { preconditionFailure("no field in \(bytes)") }
            let value = try read(&reader, tag)
            precondition(reader.isAtEnd, "bytes left after the field")
            return .success(value)
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}
