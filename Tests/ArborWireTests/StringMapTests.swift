import Testing

@testable import ArborWire

/// `map<string, string>` fields: one entry message (key = 1, value = 2) per pair on the wire, a dictionary in Swift.
@Suite struct StringMapTests {
    @Test func writerWritesOneEntryPerPairWithBothFields() {
        var writer = ProtoWriter()
        writer.writeStringMap(["b": "", "a": "x"], field: 3)
        #expect(writer.bytes == hexBytes("1a 06 0a0161 120178  1a 05 0a0162 1200"))
    }

    @Test func anEmptyMapWritesNothing() {
        var writer = ProtoWriter()
        writer.writeStringMap([:], field: 3)
        #expect(writer.bytes.isEmpty)
        #expect(ArborV2.Node(attributes: [:]).serializedBytes().isEmpty)
    }

    @Test func anEntryLongerThan127BytesHasATwoByteLength() throws {
        let value = String(repeating: "v", count: 200)
        var writer = ProtoWriter()
        writer.writeStringMap(["k": value], field: 3)
        // 2 tags + 1-byte key length + key + 2-byte value length + value = 206 = 0xce 0x01.
        #expect(writer.bytes == hexBytes("1a ce01 0a016b 12c801") + Array(value.utf8))
        #expect(try ArborV2.Node(serializedBytes: writer.bytes).attributes == ["k": value])
    }

    /// upb's deterministic order: bytes ascending, but a key after every key it is a proper prefix of.
    @Test func keysAreOrderedAsUpbOrdersThem() {
        let keys = ["", "b", "a", "ab", "a\u{0}", "zz", "é", "\u{ff}", "e\u{301}"]
        let sorted = keys.sorted(by: ProtoWriter.mapKeyPrecedes)
        let expected = ["a\u{0}", "ab", "a", "b", "e\u{301}", "zz", "é", "\u{ff}", ""]
        // Compared as bytes: Swift's == treats "é" and "e\u{301}" as equal.
        #expect(sorted.map { Array($0.utf8) } == expected.map { Array($0.utf8) })
    }

    @Test(arguments: [
        ("a", "b", true), ("b", "a", false), ("ab", "a", true), ("a", "ab", false), ("a", "a", false),
        ("", "", false), ("a", "", true), ("", "a", false), ("zz", "é", true), ("state_code", "state", true),
    ])
    func mapKeyPrecedesIsAStrictOrder(lhs: String, rhs: String, precedes: Bool) {
        #expect(ProtoWriter.mapKeyPrecedes(lhs, rhs) == precedes)
    }

    @Test func equalMapsEncodeIdentically() {
        // Built in different insertion orders, so their hash-table orders may differ.
        var first: [String: String] = [:]
        var second: [String: String] = [:]
        for index in 0..<100 { first["key\(index)"] = "\(index)" }
        for index in (0..<100).reversed() { second["key\(index)"] = "\(index)" }
        #expect(ArborV2.Node(attributes: first).serializedBytes() == ArborV2.Node(attributes: second).serializedBytes())
    }

    @Test(arguments: [
        ("a later entry with the same key wins", "1a 06 0a0161 120131  1a 06 0a0161 120132", ["a": "2"]),
        ("a missing value is empty", "1a 03 0a0161", ["a": ""]),
        ("a missing key is empty", "1a 03 120162", ["": "b"]),
        ("an empty entry is the empty key", "1a 00", ["": ""]),
        ("the value may come first", "1a 06 120131 0a0161", ["a": "1"]),
        ("the last key in an entry wins", "1a 09 0a0161 0a0162 120131", ["b": "1"]),
        ("unknown fields in an entry are skipped", "1a 0b 1801 0a0161 2a0100 120131", ["a": "1"]),
        ("entries between other fields", "0a0178 1a 03 0a0161 1201 79 1a 03 0a0162", ["a": "", "b": ""]),
    ])
    func entriesDecodeAsProtobufRequires(name: String, hex: String, expected: [String: String]) throws {
        #expect(try ArborV2.Node(serializedBytes: hexBytes(hex)).attributes == expected, "\(name)")
    }

    @Test func anEntryCountsTowardTheDepthLimit() throws {
        let bytes = ArborV2.Node(attributes: ["a": "1"]).serializedBytes()
        let error = #expect(throws: WireError.self) {
            try bytes.withUnsafeBytes { buffer in try ArborV2.Node(serializedBuffer: buffer, maxDepth: 0) }
        }
        #expect(error?.code == .depthLimitExceeded)
        #expect(error?.fieldPath == ["Node", "attributes"])
        let decoded = try bytes.withUnsafeBytes { buffer in try ArborV2.Node(serializedBuffer: buffer, maxDepth: 1) }
        #expect(decoded.attributes == ["a": "1"])
    }

    @Test func aBareReaderNamesTheMapFieldFirst() {
        var map: [String: String] = [:]
        let error = #expect(throws: WireError.self) {
            try readSingleField(hexBytes("0a 02 0801")) { reader, tag throws(WireError) in
                try reader.readStringMapEntry(tag, field: "attributes", into: &map)
            }
        }
        #expect(error?.fieldPath == ["attributes", "key"])
    }
}
