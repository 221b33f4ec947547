import Testing

@testable import ArborModel

@Suite struct UserIDTests {
    @Test func textAndBytesRoundTrip() throws {
        let text = "00112233-4455-6677-8899-aabbccddeeff"
        let id = try #require(UserID(uuidString: text.uppercased()))
        #expect(id.uuidString == text)
        #expect(
            id.bytes == [
                0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
            ])
        #expect(UserID(bytes: id.bytes) == id)
    }

    @Test(arguments: [
        "", "00112233445566778899aabbccddeeff", "00112233-4455-6677-8899-aabbccddeefg",
        "00112233-4455-6677-8899_aabbccddeeff", "00112233-4455-6677-8899-aabbccddeeff0",
    ])
    func rejectsMalformedText(text: String) {
        #expect(UserID(uuidString: text) == nil)
    }

    @Test func rejectsWrongByteCounts() {
        #expect(UserID(bytes: [UInt8](repeating: 1, count: 15)) == nil)
        #expect(UserID(bytes: [UInt8](repeating: 1, count: 17)) == nil)
    }

    @Test func ordersAsUnsignedBytes() {
        var generator = SystemRandomNumberGenerator()
        let ids = (0..<500).map { _ in UserID(high: generator.next(), low: generator.next() & 0xFF) }
        let byBytes = ids.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        #expect(ids.sorted() == byBytes)
    }
}
