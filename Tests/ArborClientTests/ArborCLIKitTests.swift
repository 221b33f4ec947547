import ArborCLIKit
import ArborClient
import Foundation
import Testing

@Suite("arbor CLI pure parts")
struct ArborCLIKitTests {
    static let model = ModelDescription(
        idType: .text, timeZone: "UTC", hasLabel: true,
        attributes: [
            .init(name: "role", type: "text", closed: true, distinctValues: 3),
            .init(name: "region", type: "text", closed: false, distinctValues: 2),
        ],
        sources: [
            .init(
                name: "sales", dimensions: ["channel"],
                measures: [.init(name: "count", scale: 0), .init(name: "amount", scale: 2)],
                firstDay: Day(iso: "2026-01-01"), lastDay: Day(iso: "2026-01-31"), events: 20)
        ],
        nodes: 4, edges: 3, cycleGroups: 0)
    static let meta = ResponseMeta(source: .live, asOfUnixMilliseconds: 1000, version: 9, stale: false)

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

    @Test("label messages: the candidates of an ambiguous label, the labels near an unknown one")
    func labelMessages() {
        let nodes = [
            NodeRecord(id: "asha.c", label: "Asha Devi", attributes: ["role": "CPOC", "region": "north"]),
            NodeRecord(id: "asha.d", label: "Asha Devi", attributes: ["role": "DPOC"]),
        ]
        #expect(
            NodeResolver.ambiguityMessage("Asha Devi", what: "the root", nodes: nodes, model: Self.model) == """
                'Asha Devi' (the root) is the label of 2 nodes; give one by id:
                  ID      LABEL      ROLE  REGION
                  asha.c  Asha Devi  CPOC  north
                  asha.d  Asha Devi  DPOC
                """)
        let candidates = ["Raj", "Raj", "Raja", "Rajan", "Rajesh", "Rajiv", "Rajni"].enumerated().map {
            NodeRecord(id: String($0.offset), label: $0.element)
        }
        #expect(
            NodeResolver.notFoundMessage("raj", what: "--within", candidates: candidates)
                == "no node has the id or label 'raj' (--within); labels that start so: 'Raj', 'Raja', 'Rajan', "
                + "'Rajesh', 'Rajiv', …")
        #expect(
            NodeResolver.notFoundMessage("x", what: "the root", candidates: [])
                == "no node has the id or label 'x' (the root)")
        #expect(NodeResolver.bytesAfter("Raj Kumar", "Raj") && !NodeResolver.bytesAfter("RAJ", "Raj"))
        #expect(!NodeResolver.bytesAfter("Raj", "Raj"))
    }

    @Test("names are checked against the model, with the names that exist")
    func vocabulary() throws {
        let vocabulary = ModelVocabulary(model: Self.model)
        let sales = try vocabulary.source(nil)
        #expect(sales.name == "sales")
        try vocabulary.checkGroupBy(["week", "node", "region", "channel"], source: sales)
        try vocabulary.checkMeasures(["amount", "count"], source: sales)
        try vocabulary.checkAttributes(["label", "role"], option: "--attributes", allowLabel: true)
        try vocabulary.checkEventMatches([Match("channel", in: ["app"])], source: sales, option: "--event-where")
        let failures: [(String, () throws(CLIError) -> Void)] = [
            (
                "--source: no event source named 'orders'; use sales",
                { () throws(CLIError) in _ = try vocabulary.source("orders") }
            ),
            (
                "--group-by: no group-by key named 'channels'; use day, week, month, node, role, region, channel",
                { () throws(CLIError) in try vocabulary.checkGroupBy(["channels"], source: sales) }
            ),
            (
                "--measure: no measure of sales named 'total'; use count, amount",
                { () throws(CLIError) in try vocabulary.checkMeasures(["total"], source: sales) }
            ),
            (
                "--attributes: no attribute named 'label'; use role, region",
                { () throws(CLIError) in try vocabulary.checkAttributes(["label"], option: "--attributes") }
            ),
            (
                "--event-where: no dimension of sales named 'role'; use channel",
                { () throws(CLIError) in
                    try vocabulary.checkEventMatches([Match("role", in: ["x"])], source: sales, option: "--event-where")
                }
            ),
        ]
        for (message, check) in failures {
            do throws(CLIError) {
                try check()
                Issue.record("accepted: \(message)")
            } catch {
                #expect(error.message == message && error.exitCode == .invalidOrNotFound)
            }
        }
        var empty = Self.model
        empty.sources = []
        #expect(throws: CLIError.self) { try ModelVocabulary(model: empty).source(nil) }
        #expect(vocabulary.idPhrase == "a text id")
    }

    @Test(
        "metrics",
        arguments: [
            ("tree", LeaderboardQuery.Metric.treeMeasure), ("SELF", .selfMeasure), ("children", .directChildren),
            ("downline", .downlineSize), ("matching", .downlineMatching), ("DOWNLINE_MATCHING", .downlineMatching),
            ("karma", nil), ("", nil),
        ] as [(String, LeaderboardQuery.Metric?)])
    func metrics(text: String, expected: LeaderboardQuery.Metric?) {
        #expect(OptionParsing.metric(text) == expected)
    }

    @Test("name lists")
    func names() throws {
        #expect(try OptionParsing.names(["day,role"], option: "--group-by") == ["day", "role"])
        #expect(try OptionParsing.names(["node, week ", "kind"], option: "--group-by") == ["node", "week", "kind"])
        #expect(throws: CLIError.self) { try OptionParsing.names(["day,day"], option: "--group-by") }
        #expect(throws: CLIError.self) { try OptionParsing.names(["day", "day"], option: "--group-by") }
        #expect(throws: CLIError.self) { try OptionParsing.names(["day,"], option: "--group-by") }
    }

    @Test("matches")
    func matches() throws {
        #expect(
            try OptionParsing.match("role=DPOC,DPR", option: "--where", negate: false)
                == Match("role", in: ["DPOC", "DPR"]))
        #expect(try OptionParsing.match("note=a=b", option: "--where", negate: true) == Match("note", notIn: ["a=b"]))
        #expect(try OptionParsing.match("region=", option: "--where", negate: false) == Match("region", in: [""]))
        #expect(
            try OptionParsing.matches(["a=1"], ["b=2,3"], option: "--where")
                == [Match("a", in: ["1"]), Match("b", notIn: ["2", "3"])])
        #expect(throws: CLIError.self) { try OptionParsing.match("role", option: "--where", negate: false) }
        #expect(throws: CLIError.self) { try OptionParsing.match("=x", option: "--where", negate: false) }
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

    @Test("dates must be real and in order")
    func dates() throws {
        #expect(try OptionParsing.day("2024-02-29", option: "--from").isoString == "2024-02-29")
        #expect(throws: CLIError.self) { try OptionParsing.day("2023-02-29", option: "--from") }
        #expect(throws: CLIError.self) { try OptionParsing.day("2023-2-1", option: "--from") }
        let window = try OptionParsing.window(from: "2026-01-01", to: nil)
        #expect(window.from == Day(iso: "2026-01-01") && window.to == nil)
        #expect(throws: CLIError.self) { try OptionParsing.window(from: "2026-01-02", to: "2026-01-01") }
    }

    static let amount = ModelDescription.Measure(name: "amount", scale: 2)
    static let count = ModelDescription.Measure(name: "count", scale: 0)

    @Test("stats: labels beside node keys, scaled measures as decimals, totals; CSV notes on stderr; JSON raw")
    func statsRendering() throws {
        let answer = Answer(
            value: StatsPage(
                rows: [
                    .init(keys: ["", "raj"], values: [3, 12345], nodes: 1),
                    .init(keys: ["north", "raj"], values: [12, -5], nodes: 1),
                ], totals: [15, 12340], nodesInScope: 4, nextPageToken: "abc"),
            meta: Self.meta)
        let root = NodeRecord(id: "raj", label: "Raj Kumar")
        let table = Renderers.stats(
            answer, root: root, groupBy: ["region", "node"], measures: [Self.count, Self.amount],
            context: RenderContext(
                format: .table, nowUnixMilliseconds: 3500, hasLabel: true, labels: ["raj": "Raj Kumar"]))
        #expect(
            table.stdout == """
                REGION  NODE  LABEL      COUNT  AMOUNT  NODES
                (none)  raj   Raj Kumar      3  123.45      1
                north   raj   Raj Kumar     12   -0.05      1

                total: count 15, amount 123.40; nodes in scope: 4
                more rows follow: add --page-token abc for the next page, or --all for every page
                source: live, as of 2.5 s ago, version 9

                """)
        #expect(table.stderr.isEmpty)
        let csv = Renderers.stats(
            answer, root: root, groupBy: ["region", "node"], measures: [Self.count, Self.amount],
            context: RenderContext(format: .csv, nowUnixMilliseconds: 3500, hasLabel: true))
        #expect(csv.stdout == "region,node,label,count,amount,nodes\n,raj,,3,123.45,1\nnorth,raj,,12,-0.05,1\n")
        #expect(csv.stderr.hasPrefix("# total: count 15, amount 123.40; nodes in scope: 4\n# more rows follow"))
        let json = Renderers.stats(
            answer, root: root, groupBy: ["region", "node"], measures: [Self.count, Self.amount],
            context: RenderContext(format: .json, nowUnixMilliseconds: 3500, hasLabel: false))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect((rows[1]["values"] as? [String: Int])?["amount"] == -5)
        #expect((rows[0]["keys"] as? [String: String]) == ["region": "", "node": "raj"])
        #expect(rows[0]["label"] == nil)  // no labels in this model
        #expect((object["measures"] as? [[String: Any]])?.map { $0["scale"] as? Int } == [0, 2])
        #expect((object["totals"] as? [String: Int]) == ["count": 15, "amount": 12340])
        #expect(object["next_page_token"] as? String == "abc")
    }

    @Test("leaderboard: every measure self and tree, the matching count and the breakdown")
    func leaderboardRendering() {
        let row = Leaderboard.Row(
            rank: 1, id: "raj", label: "Raj Kumar", attributes: ["region": "north"], selfMeasures: [1, 10000],
            treeMeasures: [7, 35784], directChildren: 2, downlineSize: 8, downlineMatching: 5,
            breakdown: [.init(key: "", count: 1), .init(key: "CPOC", count: 2)])
        let query = LeaderboardQuery(downlineFilter: [Match("role", in: ["CPOC"])], breakdownBy: "role")
        let table = Renderers.leaderboard(
            Answer(value: Leaderboard(rows: [row], totalRanked: 11), meta: Self.meta), query: query,
            measures: [Self.count, Self.amount], attributes: ["region"],
            context: RenderContext(format: .table, nowUnixMilliseconds: 1000, hasLabel: true))
        #expect(
            table.stdout.hasPrefix(
                """
                RANK  ID   LABEL      REGION  SELF_COUNT  SELF_AMOUNT  TREE_COUNT  TREE_AMOUNT  CHILDREN  DOWNLINE  MATCHING  BY_ROLE
                   1  raj  Raj Kumar  north            1       100.00           7       357.84         2         8         5  (none)=1 CPOC=2

                ranked: 11 nodes
                """))
    }

    @Test("streamed traversal JSON is one valid document, empty or not", arguments: [0, 1, 3])
    func traversalJSON(count: Int) throws {
        var printer = TraversalPrinter(
            format: .json, direction: "descendants", root: NodeRecord(id: "raj", label: "Raj Kumar"), hasLabel: true,
            includeParents: true, attributes: ["role"])
        let nodes = (0..<count).map {
            TraversedNode(id: "n\($0)", depth: UInt32($0 + 1), parent: "raj", values: ["L\($0)", "R"])
        }
        var text = printer.batch(Array(nodes.prefix(1)))
        text += printer.batch(Array(nodes.dropFirst()))
        let summary = TraversalSummary(total: UInt64(count), meta: Self.meta)
        text += printer.footer(summary, nowUnixMilliseconds: 10).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let listed = try #require(object["nodes"] as? [[String: Any]])
        #expect(listed.count == count)
        if count > 0 {
            #expect(listed[0]["label"] as? String == "L0" && listed[0]["parent"] as? String == "raj")
            #expect((listed[0]["attributes"] as? [String: String]) == ["role": "R"])
        }
        #expect(object["total"] as? Int == count)
        #expect((object["root"] as? [String: String]) == ["id": "raj", "label": "Raj Kumar"])
    }

    @Test("a traversal table takes its widths from the first batch; later rows keep them")
    func traversalTable() {
        var printer = TraversalPrinter(
            format: .table, direction: "ancestors", root: NodeRecord(id: "1", label: ""), hasLabel: true,
            includeParents: false, attributes: ["status"])
        #expect(TraversalPrinter.requestAttributes(["status", "label"], hasLabel: true) == ["label", "status"])
        let first = printer.batch([TraversedNode(id: "12", depth: 1, values: ["Fix login", "open"])])
        #expect(first == "DEPTH  ID  LABEL      STATUS\n    1  12  Fix login  open\n")
        let second = printer.batch([TraversedNode(id: "3", depth: 2, values: ["Build", ""])])
        #expect(second == "    2  3   Build\n")
        let footer = printer.footer(TraversalSummary(total: 5, meta: Self.meta), nowUnixMilliseconds: 1000)
        #expect(footer.stdout == "\nancestors: 2 shown of 5 matching\nsource: live, as of 0.0 s ago, version 9\n")
        var empty = TraversalPrinter(
            format: .csv, direction: "descendants", root: NodeRecord(id: "1", label: ""), hasLabel: false,
            includeParents: true, attributes: [])
        let nothing = empty.footer(TraversalSummary(total: 0, meta: Self.meta), nowUnixMilliseconds: 1000)
        #expect(nothing.stdout == "depth,id,parent\n" && nothing.stderr.hasPrefix("# descendants: 0\n"))
    }

    @Test("describe: the facts, attributes and sources with scaled measures")
    func describeRendering() {
        let output = Renderers.describe(
            Answer(value: Self.model, meta: Self.meta),
            context: RenderContext(format: .table, nowUnixMilliseconds: 1000, hasLabel: true))
        #expect(
            output.stdout == """
                id type: text, time zone: UTC, labels: yes; nodes: 4, edges: 3, cycle groups: 0

                ATTRIBUTE  TYPE  CLOSED  DISTINCT
                role       text  yes            3
                region     text  no             2

                SOURCE  EVENTS  FIRST_DAY   LAST_DAY    DIMENSIONS  MEASURES
                sales       20  2026-01-01  2026-01-31  channel     count, amount (scale 2)

                source: live, as of 0.0 s ago, version 9

                """)
    }
}

@Suite struct GlobalOptionOrderTests {
    @Test(arguments: [
        (["--server", "h:1", "health"], ["health", "--server", "h:1"]),
        (["--live", "--format=json", "stats", "raj"], ["stats", "--live", "--format=json", "raj"]),
        (["health", "--server", "h:1"], ["health", "--server", "h:1"]),
        (["--server"], ["--server"]),
        (["--help"], ["--help"]),
        (["--timeout", "5s"], ["--timeout", "5s"]),
    ])
    func globalOptionsMoveAfterTheSubcommand(arguments: [String], expected: [String]) {
        #expect(GlobalOptionOrder.reordered(arguments) == expected)
    }
}
