import ArborModel
import ArborTestSupport
import Foundation
import Testing

@testable import ArborStore

@Suite struct BinaryCopyParserTests {
    /// A binary COPY stream built by hand: header with a 3-byte extension, then `rows`, then the trailer.
    static func stream(_ rows: [[[UInt8]?]], extensionBytes: [UInt8] = [9, 9, 9]) -> [UInt8] {
        var bytes = BinaryCopyParser.signature
        BigEndianBytes.append(UInt32(0), to: &bytes)
        BigEndianBytes.append(Int32(extensionBytes.count), to: &bytes)
        bytes += extensionBytes
        for row in rows {
            BigEndianBytes.append(Int16(row.count), to: &bytes)
            for field in row {
                if let field {
                    BigEndianBytes.append(Int32(field.count), to: &bytes)
                    bytes += field
                } else {
                    BigEndianBytes.append(Int32(-1), to: &bytes)
                }
            }
        }
        BigEndianBytes.append(Int16(-1), to: &bytes)
        return bytes
    }

    static let sampleRows: [[[UInt8]?]] = [
        [[0, 0, 0, 0, 0, 0, 0, 7], Array("hello".utf8), nil],
        [[], nil, Array(repeating: 0xAB, count: 16)],
        [],
        [[0, 0, 0, 0, 0, 0, 1, 0]],
    ]

    static func parse(_ stream: [UInt8], chunkSizes: [Int]) throws -> [[[UInt8]?]] {
        var parser = BinaryCopyParser()
        var rows: [[[UInt8]?]] = []
        var offset = 0
        var sizeIndex = 0
        while offset < stream.count {
            let size = min(chunkSizes[sizeIndex % chunkSizes.count], stream.count - offset)
            sizeIndex += 1
            try stream[offset..<(offset + size)].withUnsafeBytes { chunk in
                try parser.feed(chunk) { row in
                    rows.append((0..<row.count).map { row[$0].bytes.map { Array($0) } })
                }
            }
            offset += size
        }
        try parser.finish()
        #expect(parser.rowCount == rows.count)
        return rows
    }

    @Test func parsesAStreamSplitAtEveryPoint() throws {
        let bytes = Self.stream(Self.sampleRows)
        let whole = try Self.parse(bytes, chunkSizes: [bytes.count])
        #expect(whole.count == Self.sampleRows.count)
        for (got, want) in zip(whole, Self.sampleRows) { #expect(got == want) }
        for split in 1..<bytes.count {
            let rows = try Self.parse(bytes, chunkSizes: [split, bytes.count])
            #expect(rows.count == Self.sampleRows.count, "split at \(split)")
        }
        let byteByByte = try Self.parse(bytes, chunkSizes: [1])
        for (got, want) in zip(byteByByte, Self.sampleRows) { #expect(got == want) }
    }

    static let malformed: [(String, [UInt8])] = {
        let signature = BinaryCopyParser.signature
        var cases: [(String, [UInt8])] = []
        var badSignature = signature
        badSignature[10] = 1
        cases.append(("bad signature", badSignature + [UInt8](repeating: 0, count: 8)))
        cases.append(("OIDs flag", signature + [0, 1, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]))
        cases.append(("negative extension", signature + [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]))
        let header: [UInt8] = signature + [0, 0, 0, 0, 0, 0, 0, 0]
        cases.append(("negative field length", header + [0, 1, 0xFF, 0xFF, 0xFF, 0xFE]))
        cases.append(("negative field count", header + [0xFF, 0xFE]))
        cases.append(("data after trailer", stream([]) + [0]))
        return cases
    }()

    @Test(arguments: malformed)
    func rejectsMalformedStreams(name: String, bytes: [UInt8]) {
        let error = #expect(throws: StoreError.self, "\(name)") {
            _ = try Self.parse(bytes, chunkSizes: [bytes.count])
        }
        #expect(error?.code == .protocolViolation)
    }

    @Test(arguments: [0, 5, 20, 23])
    func rejectsTruncatedStreams(cut: Int) throws {
        let bytes = Array(Self.stream(Self.sampleRows).prefix(cut))
        var parser = BinaryCopyParser()
        try bytes.withUnsafeBytes { try parser.feed($0) { _ in } }
        #expect(throws: StoreError.self) { try parser.finish() }
    }
}

@Suite struct CopyOutTests {
    @Test func streamsManyRowsOfEveryType() async throws {
        try await TestDatabase.withClient { client in
            let count = 200_000
            let (rows, checksum, nulls) = try await client.withReadOnlySnapshot { connection in
                var checksum: Int64 = 0
                var nulls = 0
                var seen = 0
                let rows = try connection.copyOut(
                    """
                    COPY (SELECT i::int8, md5(i::text)::uuid, CASE WHEN i % 7 = 0 THEN NULL ELSE 'n' || i END,
                                 DATE '2024-01-01' + (i % 90), i % 2 = 0, i::int4, i * 0.5::float8
                          FROM generate_series(1, \(count)) i ORDER BY 1) TO STDOUT (FORMAT binary)
                    """
                ) { row in
                    seen += 1
                    let i = try row.decode(Int64.self, at: 0)
                    if i != Int64(seen) { throw StoreError(.decodingFailed, "row \(seen) is \(i)") }
                    _ = try row.decode(UUID.self, at: 1)
                    if let name = try row.decode(String?.self, at: 2) {
                        if name != "n\(i)" { throw StoreError(.decodingFailed, "row \(i): \(name)") }
                    } else {
                        nulls += 1
                    }
                    let day = try row.decode(Day.self, at: 3)
                    let expectedDay = Day(year: 2024, month: 1, day: 1)!.daysSinceEpoch + Int32(i % 90)
                    if day.daysSinceEpoch != expectedDay { throw StoreError(.decodingFailed, "day of \(i)") }
                    if try row.decode(Bool.self, at: 4) != (i % 2 == 0) { throw StoreError(.decodingFailed, "bool") }
                    checksum += Int64(try row.decode(Int32.self, at: 5))
                    if try row.decode(Double.self, at: 6) != Double(i) * 0.5 { throw StoreError(.decodingFailed, "f8") }
                }
                return (rows, checksum, nulls)
            }
            #expect(rows == count)
            #expect(checksum == Int64(count) * Int64(count + 1) / 2)
            #expect(nulls == count / 7)
        }
    }

    @Test func uuidsMatchTheirTextForm() async throws {
        try await TestDatabase.withClient { client in
            let pairs = try await client.withConnection { connection in
                var pairs: [(UUID, String)] = []
                try connection.copyOut(
                    "COPY (SELECT u, u::text FROM (SELECT gen_random_uuid() u FROM generate_series(1, 50)) s) "
                        + "TO STDOUT (FORMAT binary)"
                ) { row in pairs.append((try row.decode(UUID.self, at: 0), try row.decode(String.self, at: 1))) }
                return pairs.map { ($0.0.uuidString.lowercased(), $0.1) }
            }
            #expect(pairs.count == 50)
            for (binary, text) in pairs { #expect(binary == text) }
        }
    }

    @Test func aThrowingRowClosureStopsTheCopyAndLeavesTheConnectionUsable() async throws {
        try await TestDatabase.withClient(maxConnections: 1) { client in
            let error = await #expect(throws: StoreError.self) {
                try await client.withConnection { connection in
                    try connection.copyOut("COPY (SELECT generate_series(1, 5000000)) TO STDOUT (FORMAT binary)") {
                        row in
                        if try row.decode(Int64.self, at: 0) == 10 { throw StoreError(.notFound, "stop here") }
                    }
                }
            }
            #expect(error?.code == .notFound)
            let one = try await client.withConnection { try $0.query("SELECT 1").first!.decode(Int.self, at: 0) }
            #expect(one == 1)
        }
    }

    @Test func copyOutRejectsOtherStatementsAndQueryRejectsCopy() async throws {
        try await TestDatabase.withClient(maxConnections: 1) { client in
            let notCopy = await #expect(throws: StoreError.self) {
                try await client.withConnection { try $0.copyOut("SELECT 1") { _ in } }
            }
            #expect(notCopy?.code == .invalidArgument)
            let copyInQuery = await #expect(throws: StoreError.self) {
                try await client.withConnection { try $0.query("COPY (SELECT 1) TO STDOUT") }
            }
            #expect(copyInQuery?.code == .invalidArgument)
            let one = try await client.withConnection { try $0.query("SELECT 1").first!.decode(Int.self, at: 0) }
            #expect(one == 1)
        }
    }
}
