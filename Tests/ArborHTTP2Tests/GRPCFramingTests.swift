import ArborWire
import Testing

@Suite struct GRPCMessageDeframerTests {
    static let messages: [[UInt8]] = [[], [1], Array(0..<200), [UInt8](repeating: 7, count: 70_000)]

    static var stream: [UInt8] { messages.reduce(into: []) { GRPCMessageFramer.append($1, to: &$0) } }

    @Test func framerWritesFlagAndBigEndianLength() {
        #expect(GRPCMessageFramer.frame([0xAA, 0xBB]) == [0, 0, 0, 0, 2, 0xAA, 0xBB])
        #expect(GRPCMessageFramer.frame([UInt8](repeating: 0, count: 0x010203)).prefix(5) == [0, 0, 1, 2, 3])
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 100, 16_384, 1_000_000])
    func messagesSplitAcrossPiecesOfAnySize(pieceSize: Int) throws {
        var deframer = GRPCMessageDeframer()
        var decoded: [[UInt8]] = []
        let bytes = Self.stream
        var index = 0
        while index < bytes.count {
            let end = min(index + pieceSize, bytes.count)
            decoded += try deframer.consume(bytes[index..<end])
            index = end
        }
        #expect(decoded == Self.messages)
        try deframer.finish()
    }

    @Test func severalMessagesInOnePiece() throws {
        var deframer = GRPCMessageDeframer()
        #expect(try deframer.consume(Self.stream) == Self.messages)
        #expect(!deframer.hasPartialMessage)
    }

    @Test(arguments: [[0, 0, 0] as [UInt8], [0, 0, 0, 0, 3, 1, 2], [0, 0, 0, 0, 1, 9, 0, 0]])
    func endingInsideAMessageIsInternal(bytes: [UInt8]) throws {
        var deframer = GRPCMessageDeframer()
        _ = try deframer.consume(bytes)
        let error = #expect(throws: RPCError.self) { try deframer.finish() }
        #expect(error?.code == .internal)
    }

    @Test func limitIsEnforcedFromThePrefixAlone() throws {
        var deframer = GRPCMessageDeframer(maximumMessageSize: 10)
        #expect(try deframer.consume([0, 0, 0, 0, 10] + [UInt8](repeating: 1, count: 10)).count == 1)
        // Only the prefix arrives: the verdict needs no body.
        let error = #expect(throws: RPCError.self) { try deframer.consume([0, 0, 0, 0, 11]) }
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.contains("10 bytes") == true)
        // A deframer that failed keeps failing.
        #expect(throws: RPCError.self) { try deframer.consume([0, 0, 0, 0, 0]) }
    }

    @Test func defaultLimitIsFourMebibytes() throws {
        var deframer = GRPCMessageDeframer()
        #expect(deframer.maximumMessageSize == 4 * 1024 * 1024)
        #expect(try deframer.consume([0, 0, 0x40, 0, 0]).isEmpty)
        var over = GRPCMessageDeframer()
        #expect(throws: RPCError.self) { try over.consume([0, 0x40, 0, 0, 0]) }
    }

    @Test(arguments: [1, 2, 0x80] as [UInt8])
    func compressedOrUnknownFlagIsInternal(flag: UInt8) {
        var deframer = GRPCMessageDeframer()
        let error = #expect(throws: RPCError.self) { try deframer.consume([flag, 0, 0, 0, 1, 0]) }
        #expect(error?.code == .internal)
    }
}

@Suite struct GRPCTimeoutTests {
    @Test(arguments: [
        ("1H", Duration.seconds(3600)), ("2M", .seconds(120)), ("3S", .seconds(3)), ("250m", .milliseconds(250)),
        ("7u", .microseconds(7)), ("99n", .nanoseconds(99)), ("99999999H", .seconds(99_999_999 * 3600)),
        ("0m", .zero), ("00000001S", .seconds(1)),
    ])
    func parses(header: String, duration: Duration) throws {
        let timeout = try #require(GRPCTimeout(headerValue: header))
        #expect(timeout.duration == duration)
    }

    @Test(arguments: ["", "S", "1", "1s", "1h", "123456789S", "-1S", "1.5S", " 1S", "1 S", "１S"])
    func rejectsMalformed(header: String) {
        #expect(GRPCTimeout(headerValue: header) == nil)
    }

    @Test(arguments: [
        (Duration.milliseconds(250), "250000u"), (.milliseconds(25), "25000000n"), (.seconds(1), "1000000u"),
        (.seconds(30), "30000000u"),
        (.seconds(100), "100000m"), (.seconds(100_000), "100000S"), (.seconds(1_000_000_000), "16666667M"),
        (.nanoseconds(1), "1n"), (.zero, "0n"), (.seconds(-5), "0n"),
    ])
    func encodesInTheFinestUnitThatFits(duration: Duration, header: String) {
        let timeout = GRPCTimeout(duration)
        #expect(timeout.headerValue == header)
        #expect(timeout.headerValue.utf8.count <= 9)
        #expect(timeout.duration >= duration)
    }

    @Test func encodingNeverShortensTheTimeout() {
        for nanoseconds: Int64 in [1, 999, 1_000_001, 123_456_789_123, 99_999_999_999_999] {
            let duration = Duration.nanoseconds(nanoseconds)
            let timeout = GRPCTimeout(duration)
            #expect(timeout.duration >= duration, "\(duration) → \(timeout)")
            #expect(GRPCTimeout(headerValue: timeout.headerValue)?.duration == timeout.duration)
        }
    }
}

@Suite struct GRPCMessageEncodingTests {
    @Test(arguments: [
        ("plain text", "plain text"), ("100%", "100%25"), ("ü", "%C3%BC"), ("a\nb", "a%0Ab"),
        ("✓ ok", "%E2%9C%93 ok"), ("~}", "~}"), ("\u{7F}", "%7F"),
    ])
    func encodesPerTheSpecification(message: String, encoded: String) {
        #expect(GRPCMessageEncoding.encode(message) == encoded)
        #expect(GRPCMessageEncoding.decode(encoded) == message)
    }

    @Test(arguments: [("%", "%"), ("%4", "%4"), ("%zz", "%zz"), ("50%!", "50%!"), ("%c3%bc", "ü"), ("%FF", "\u{FFFD}")])
    func decodingIsLenient(value: String, decoded: String) {
        #expect(GRPCMessageEncoding.decode(value) == decoded)
    }

    @Test func roundTripsEveryScalarRange() {
        let message = "ASCII ~ Ünïcødé 日本語 🌳 %% \t\r\n"
        let encoded = GRPCMessageEncoding.encode(message)
        #expect(encoded.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E })
        #expect(GRPCMessageEncoding.decode(encoded) == message)
    }
}

@Suite struct RPCStatusTests {
    @Test func namesEveryCode() {
        let names = (0...16).map { RPCStatus(rawValue: $0).name }
        #expect(
            names == [
                "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
                "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
                "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
            ]
        )
        #expect(RPCStatus(rawValue: 42).name == "CODE_42")
        #expect(RPCStatus.deadlineExceeded.rawValue == 4)
    }

    @Test(arguments: [("0", 0), ("13", 13), ("16", 16), ("99", 99)])
    func parsesHeader(value: String, code: Int) {
        #expect(RPCStatus(headerValue: value)?.rawValue == code)
    }

    @Test(arguments: ["", "-1", "1a", " 1", "1234567890"])
    func rejectsMalformedHeader(value: String) {
        #expect(RPCStatus(headerValue: value) == nil)
    }

    @Test func errorDescriptionNamesCodeMessageAndCause() {
        struct Underlying: Error {}
        let error = RPCError(code: .notFound, message: "no user", cause: Underlying())
        #expect(error.description.hasPrefix("NOT_FOUND: no user (cause: "))
    }
}
