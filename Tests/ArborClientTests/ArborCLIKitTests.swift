import ArborCLIKit
import ArborClient
import Foundation
import Testing

@Suite("arbor CLI pure parts")
struct ArborCLIKitTests {
    static let raj = UserRecord(
        id: UserID(uuidString: "00000000-0000-4000-8000-000000000001")!, name: "Raj Kumar", role: "RM", state: "Bihar",
        district: "Patna", block: "", village: "", active: true, appInstalled: true)
    static let asha1 = UserRecord(
        id: UserID(uuidString: "00000000-0000-4000-8000-000000000003")!, name: "Asha Devi", role: "DPOC",
        state: "Bihar", district: "Gaya", block: "", village: "", active: true, appInstalled: false)
    static let asha2 = UserRecord(
        id: UserID(uuidString: "00000000-0000-4000-8000-000000000002")!, name: "Asha Devi", role: "CPOC",
        state: "Bihar", district: "Patna", block: "", village: "", active: true, appInstalled: true)
    static let ashaLower = UserRecord(
        id: UserID(uuidString: "00000000-0000-4000-8000-000000000009")!, name: "asha devi", role: "LPR",
        state: "", district: "", block: "", village: "", active: false, appInstalled: false)

    @Test("tables align, right-align numbers and drop trailing spaces")
    func table() {
        let table = TextTable(
            columns: [.init("NAME"), .init("N", .right), .init("NOTE")],
            rows: [["Raj", "5", ""], ["Meena Kumari", "120", "x"]])
        #expect(table.render() == ["NAME            N  NOTE", "Raj             5", "Meena Kumari  120  x"])
    }

    @Test(
        "CSV quoting",
        arguments: [
            ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""), ("", ""),
        ])
    func csv(value: String, expected: String) {
        #expect(CSV.field(value) == expected)
    }

    @Test("JSON keeps key order and escapes what it must")
    func json() throws {
        let value = JSONValue.object([
            ("z", .string("quote \" slash \\ tab \t nul \u{0}")),
            ("a", .array([.int(-1), .uint(2), .bool(true), .null])),
            ("o", .object([])), ("rows", .array([.object([("k", .string("ü"))])])),
        ])
        #expect(
            value.compact
                == #"{"z":"quote \" slash \\ tab \t nul \u0000","a":[-1,2,true,null],"o":{},"rows":[{"k":"ü"}]}"#)
        let pretty = value.pretty
        #expect(pretty.hasPrefix("{\n  \"z\": "))
        #expect(pretty.contains("\"a\": [-1, 2, true, null]"))
        #expect(pretty.contains("\"rows\": [\n    {\n      \"k\": \"ü\"\n    }\n  ]"))
        for text in [value.compact, pretty] {
            #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
        }
    }

    @Test(
        "ages",
        arguments: [
            (0, "0.0 s"), (49, "0.0 s"), (1234, "1.2 s"), (59_949, "59.9 s"), (60_000, "1 min 0 s"),
            (3_599_999, "59 min 59 s"), (3_600_000, "1 h 0 min"), (90_061_000, "1 d 1 h"), (-5, "0.0 s"),
        ] as [(Int64, String)])
    func ages(milliseconds: Int64, expected: String) {
        #expect(MetaText.age(milliseconds: milliseconds) == expected)
    }

    @Test("footer and timestamps")
    func footer() {
        let meta = ResponseMeta(source: .cache, asOfUnixMilliseconds: 1_768_000_000_000, version: 12345, stale: false)
        #expect(
            MetaText.footer(meta, nowUnixMilliseconds: 1_768_000_001_200)
                == "source: cache, as of 1.2 s ago, version 12345")
        var stale = meta
        stale.stale = true
        #expect(MetaText.footer(stale, nowUnixMilliseconds: 1_768_000_000_000).contains("STALE"))
        #expect(MetaText.isoTimestamp(unixMilliseconds: 1_768_000_000_123) == "2026-01-09T23:06:40.123Z")
        #expect(MetaText.isoTimestamp(unixMilliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(MetaText.isoTimestamp(unixMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test(
        "exit codes by status",
        arguments: [
            (RPCStatus.invalidArgument, CLIExitCode.invalidOrNotFound), (.notFound, .invalidOrNotFound),
            (.unavailable, .unavailable), (.deadlineExceeded, .deadlineExceeded),
            (.resourceExhausted, .resourceExhausted), (.internal, .failed), (.unimplemented, .failed),
            (.unauthenticated, .failed), (.cancelled, .failed),
        ])
    func exitCodes(status: RPCStatus, expected: CLIExitCode) {
        #expect(CLIExitCode(status: status) == expected)
        #expect(
            CLIError(RPCError(code: status, message: "m"), server: ServerAddress(host: "h", port: 1)).exitCode
                == expected)
    }

    @Test("exit codes are distinct")
    func distinctExitCodes() {
        #expect(Set(CLIExitCode.allCases.map(\.rawValue)).count == CLIExitCode.allCases.count)
    }

    @Test("names resolve exactly first, then ignoring ASCII case")
    func nameResolution() {
        let candidates = [Self.asha2, Self.asha1, Self.ashaLower, Self.raj]
        #expect(NameResolution.resolve("Raj Kumar", among: candidates) == .unique(Self.raj))
        #expect(NameResolution.resolve("RAJ KUMAR", among: candidates) == .unique(Self.raj))
        #expect(NameResolution.resolve("Asha Devi", among: candidates) == .ambiguous([Self.asha2, Self.asha1]))
        #expect(NameResolution.resolve("asha devi", among: candidates) == .unique(Self.ashaLower))
        #expect(
            NameResolution.resolve("ASHA DEVI", among: candidates)
                == .ambiguous([Self.asha2, Self.ashaLower, Self.asha1].sorted { $0.id < $1.id }))
        #expect(NameResolution.resolve("Raj", among: candidates) == .notFound)
        let message = UserResolver.ambiguityMessage(
            name: "Asha Devi", what: "the root", users: [Self.asha2, Self.asha1])
        #expect(
            message == """
                'Asha Devi' (the root) names 2 users; give one by id:
                  ID                                    NAME       ROLE  DISTRICT
                  00000000-0000-4000-8000-000000000002  Asha Devi  CPOC  Patna
                  00000000-0000-4000-8000-000000000003  Asha Devi  DPOC  Gaya
                """)
    }

    @Test("user references")
    func references() {
        #expect(UserReference("00000000-0000-4000-8000-000000000001") == .id(Self.raj.id))
        #expect(UserReference("  Raj Kumar ") == .name("Raj Kumar"))
        #expect(UserReference("00000000-0000-4000-8000-00000000000") == .name("00000000-0000-4000-8000-00000000000"))
        #expect(UserReference("   ") == nil)
    }

    @Test(
        "metrics",
        arguments: [
            ("tree", LeaderboardMetric.treeRegistrations), ("SELF", .selfRegistrations), ("children", .directChildren),
            ("downline", .downlineSize), ("role:DPOC", .downlineRole("DPOC")), ("Role:dpoc", .downlineRole("dpoc")),
            ("role:", nil), ("karma", nil),
        ] as [(String, LeaderboardMetric?)])
    func metrics(text: String, expected: LeaderboardMetric?) {
        #expect(OptionParsing.metric(text) == expected)
    }

    @Test("group-by lists")
    func dimensions() throws {
        #expect(try OptionParsing.dimensions("day,role") == [.day, .role])
        #expect(try OptionParsing.dimensions("USER, type ,channel") == [.user, .registrationType, .channel])
        #expect(throws: CLIError.self) { try OptionParsing.dimensions("day,day") }
        #expect(throws: CLIError.self) { try OptionParsing.dimensions("day,") }
        #expect(throws: CLIError.self) { try OptionParsing.dimensions("weekday") }
    }

    @Test(
        "durations",
        arguments: [
            ("250ms", Duration.milliseconds(250)), ("2s", .seconds(2)), ("1.5s", .milliseconds(1500)),
            ("5m", .seconds(300)), ("1h", .seconds(3600)), ("3", .seconds(3)), ("0s", .zero),
            ("soon", nil), ("-1s", nil), ("", nil), ("1e3s", nil), ("s", nil),
        ] as [(String, Duration?)])
    func durations(text: String, expected: Duration?) {
        #expect(OptionParsing.duration(text) == expected)
    }

    @Test("dates must be real")
    func dates() throws {
        #expect(try OptionParsing.day("2024-02-29", option: "--from").isoString == "2024-02-29")
        #expect(throws: CLIError.self) { try OptionParsing.day("2023-02-29", option: "--from") }
        #expect(throws: CLIError.self) { try OptionParsing.day("2023-2-1", option: "--from") }
    }

    @Test("stats render as a table with names beside user keys, and as CSV with the meta on stderr")
    func statsRendering() {
        let answer = Answer(
            value: FilteredStatsResult(
                rows: [
                    StatsRow(keys: ["", Self.raj.id.uuidString], registrations: 3, registeringUsers: 1),
                    StatsRow(keys: ["Patna", Self.raj.id.uuidString], registrations: 12, registeringUsers: 1),
                ], totalRegistrations: 15, usersInScope: 4),
            meta: ResponseMeta(source: .live, asOfUnixMilliseconds: 1000, version: 9, stale: false))
        let table = Renderers.stats(
            answer, root: Self.raj.id, groupBy: [.district, .user],
            context: RenderContext(format: .table, nowUnixMilliseconds: 3500, users: [Self.raj.id: Self.raj]))
        #expect(
            table.stdout == """
                DISTRICT  USER                                  USER_NAME  REGISTRATIONS  REGISTERING_USERS
                (none)    00000000-0000-4000-8000-000000000001  Raj Kumar              3                  1
                Patna     00000000-0000-4000-8000-000000000001  Raj Kumar             12                  1

                total: 15 registrations, 4 users in scope
                source: live, as of 2.5 s ago, version 9

                """)
        #expect(table.stderr.isEmpty)
        let csv = Renderers.stats(
            answer, root: Self.raj.id, groupBy: [.district, .user],
            context: RenderContext(format: .csv, nowUnixMilliseconds: 3500, users: [:]))
        #expect(csv.stdout.hasPrefix("district,user,user_name,registrations,registering_users\n,00000000-"))
        #expect(
            csv.stderr == "# total: 15 registrations, 4 users in scope\n# source: live, as of 2.5 s ago, version 9\n")
    }

    @Test("streamed descendants JSON is one valid document, empty or not", arguments: [0, 1, 3])
    func descendantsJSON(count: Int) throws {
        let printer = DescendantsPrinter(format: .json)
        let entries = (0..<count).map { DescendantEntry(id: UserID(high: 0, low: UInt64($0)), depth: UInt32($0 + 1)) }
        var text = printer.header(root: Self.raj.id, rootName: "Raj Kumar")
        text += printer.batch(Array(entries.prefix(1)), users: [:], first: true)
        text += printer.batch(Array(entries.dropFirst()), users: [:], first: count <= 1)
        let summary = DescendantsSummary(
            total: UInt64(count), meta: ResponseMeta(source: .cache, asOfUnixMilliseconds: 5, version: 2, stale: false))
        text += printer.footer(summary, printed: count, anyPrinted: count > 0, nowUnixMilliseconds: 10).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((object["entries"] as? [Any])?.count == count)
        #expect(object["total"] as? Int == count)
        #expect((object["meta"] as? [String: Any])?["source"] as? String == "cache")
        #expect((object["root"] as? [String: Any])?["name"] as? String == "Raj Kumar")
    }

    @Test("table descendants keep fixed columns while streaming")
    func descendantsTable() {
        let printer = DescendantsPrinter(format: .table)
        #expect(
            printer.header(root: Self.raj.id, rootName: "")
                == "DEPTH  ID                                    ROLE                NAME\n")
        let line = printer.batch(
            [DescendantEntry(id: Self.raj.id, depth: 12)], users: [Self.raj.id: Self.raj], first: true)
        #expect(line == "   12  00000000-0000-4000-8000-000000000001  RM                  Raj Kumar\n")
    }
}

@Suite struct GlobalOptionOrderTests {
    @Test(arguments: [
        (["--server", "h:1", "health"], ["health", "--server", "h:1"]),
        (["--live", "--format=json", "stats", "Raj"], ["stats", "--live", "--format=json", "Raj"]),
        (["health", "--server", "h:1"], ["health", "--server", "h:1"]),
        (["--server"], ["--server"]),
        (["--help"], ["--help"]),
        (["--timeout", "5s"], ["--timeout", "5s"]),
    ])
    func globalOptionsMoveAfterTheSubcommand(arguments: [String], expected: [String]) {
        #expect(GlobalOptionOrder.reordered(arguments) == expected)
    }
}
