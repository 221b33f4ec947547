import ArborClient
import Foundation
import Synchronization
import Testing

@Suite("ArborClient pure parts")
struct ArborClientUnitTests {
    @Test(
        "server addresses",
        arguments: [
            ("127.0.0.1:50051", ServerAddress(host: "127.0.0.1", port: 50051)),
            ("localhost:1", ServerAddress(host: "localhost", port: 1)),
            ("[::1]:8080", ServerAddress(host: "::1", port: 8080)),
            ("127.0.0.1", nil), ("127.0.0.1:", nil), (":50051", nil), ("host:0", nil), ("host:65536", nil),
            ("host:-1", nil), ("::1:80", nil), ("host:12a", nil), ("ho st:80", nil),
        ] as [(String, ServerAddress?)])
    func serverAddress(text: String, expected: ServerAddress?) {
        #expect(ServerAddress(parsing: text) == expected)
        if let expected { #expect(ServerAddress(parsing: expected.description) == expected) }
    }

    @Test(
        "freshness on the wire",
        arguments: [
            (Freshness(), nil),
            (Freshness(maxStaleness: .seconds(2)), ArborV2.Freshness(maxStalenessMs: 2000)),
            (Freshness(maxStaleness: .microseconds(1500)), ArborV2.Freshness(maxStalenessMs: 2)),
            (Freshness(maxStaleness: .zero), ArborV2.Freshness(maxStalenessMs: 1)),
            (Freshness(maxStaleness: .seconds(10_000_000)), ArborV2.Freshness(maxStalenessMs: UInt32.max)),
            (Freshness.live, ArborV2.Freshness(requireLive: true)),
            (Freshness(minVersion: 42), ArborV2.Freshness(minVersion: 42)),
        ] as [(Freshness, ArborV2.Freshness?)])
    func freshness(freshness: Freshness, expected: ArborV2.Freshness?) {
        #expect(freshness.message?.serializedBytes() == expected?.serializedBytes())
    }

    @Test("friendly queries become the contract's requests")
    func requests() {
        let traversal = TraversalQuery(
            root: "42", maxDepth: 2, filter: [Match("role", in: ["DPOC", "DPR"])], includeRoot: true, limit: 9,
            attributes: ["label", "role"], includeParents: true
        ).message(freshness: .live)
        #expect(traversal.root == "42" && traversal.maxDepth == 2 && traversal.includeRoot && traversal.limit == 9)
        #expect(traversal.filter == [ArborV2.Match(name: "role", values: ["DPOC", "DPR"])])
        #expect(traversal.attributes == ["label", "role"] && traversal.includeParents)
        #expect(traversal.freshness?.requireLive == true)

        let stats = StatsQuery(
            root: "raj", excludeRoot: true, maxDepth: 3, filter: [Match("status", notIn: ["inactive"])],
            events: EventScope(
                source: "sales", match: [Match("channel", in: ["app"])], from: Day(iso: "2026-01-01"),
                to: Day(iso: "2026-01-31")),
            groupBy: ["day", "role"], measures: ["count", "amount"], pageSize: 100
        ).message(pageToken: "t1")
        #expect(stats.root == "raj" && stats.excludeRoot && stats.maxDepth == 3)
        #expect(stats.filter == [ArborV2.Match(name: "status", values: ["inactive"], negate: true)])
        #expect(
            stats.events
                == ArborV2.EventScope(
                    source: "sales", match: [ArborV2.Match(name: "channel", values: ["app"])], fromDate: "2026-01-01",
                    toDate: "2026-01-31"))
        #expect(stats.groupBy == ["day", "role"] && stats.measures == ["count", "amount"])
        #expect(stats.limit == 100 && stats.pageToken == "t1" && stats.freshness == nil)
        #expect(StatsQuery(root: "r").message().events == nil)
        #expect(StatsQuery(root: "r").measureNames == ["count"])
        #expect(
            StatsQuery(root: "r", events: EventScope(to: Day(iso: "2026-02-01"))).message().events?.toDate
                == "2026-02-01")

        let board = LeaderboardQuery(
            metric: .downlineMatching, measure: "amount", ascending: true, within: "7",
            downlineFilter: [Match("role", in: ["DPOC"])], breakdownBy: "role", attributes: ["region"], limit: 7,
            offset: 3
        ).message()
        #expect(board.orderBy == .downlineMatching && board.measure == "amount" && board.ascending)
        #expect(board.within == "7" && board.limit == 7 && board.offset == 3 && board.breakdownBy == "role")
        #expect(board.downlineFilter.map(\.name) == ["role"] && board.attributes == ["region"])
        #expect(board.filter.isEmpty && board.freshness == nil && board.events == nil)
        let plain = LeaderboardQuery().message()
        #expect(plain.orderBy == .treeMeasure && plain.within.isEmpty && plain.measure.isEmpty)

        let search = NodeSearch(labelPrefix: "Raj", ids: ["a", "b"], attributes: ["role"], pageSize: 5)
            .message(pageToken: "p")
        #expect(search.labelPrefix == "Raj" && search.ids == ["a", "b"] && search.attributes == ["role"])
        #expect(search.limit == 5 && search.pageToken == "p")
        #expect(NodeSearch(labelPrefix: "x").message().ids.isEmpty)
    }

    @Test(
        "metrics",
        arguments: [
            (LeaderboardQuery.Metric.selfMeasure, ArborV2.Metric.selfMeasure), (.treeMeasure, .treeMeasure),
            (.directChildren, .directChildren), (.downlineSize, .downlineSize), (.downlineMatching, .downlineMatching),
        ])
    func metrics(metric: LeaderboardQuery.Metric, expected: ArborV2.Metric) {
        #expect(metric.message == expected)
    }

    static let uuidBytes: [UInt8] = [
        0x8C, 0x1E, 0x4F, 0x7A, 0x0B, 0x2D, 0x4E, 0x5F, 0x9A, 0x6B, 0x7C, 0x8D, 0x9E, 0x0F, 0x1A, 0x2B,
    ]

    @Test("NodeIds of every id type read as canonical text; malformed ones are INTERNAL")
    func nodeIDs() throws {
        #expect(
            try ResponseDecoding.ids(
                ArborV2.NodeIds(uuids: Self.uuidBytes + Array(repeating: 0, count: 16)), field: "f")
                == ["8c1e4f7a-0b2d-4e5f-9a6b-7c8d9e0f1a2b", "00000000-0000-0000-0000-000000000000"])
        #expect(
            try ResponseDecoding.ids(ArborV2.NodeIds(ints: [-5, 0, .max]), field: "f") == [
                "-5", "0", "9223372036854775807",
            ])
        #expect(try ResponseDecoding.ids(ArborV2.NodeIds(texts: ["a", ""]), field: "f") == ["a", ""])
        #expect(try ResponseDecoding.ids(ArborV2.NodeIds(), field: "f").isEmpty)
        #expect(try ResponseDecoding.ids(nil, field: "f").isEmpty)
        for bad in [ArborV2.NodeIds(uuids: Array(Self.uuidBytes.prefix(15))), ArborV2.NodeIds(ints: [1], texts: ["1"])]
        {
            do throws(RPCError) {
                _ = try ResponseDecoding.ids(bad, field: "f")
                Issue.record("\(bad) decoded")
            } catch {
                #expect(error.code == .internal)
            }
        }
    }

    @Test(
        "canonical id text",
        arguments: [
            ("8c1e4f7a-0b2d-4e5f-9a6b-7c8d9e0f1a2b", true, false),
            ("8C1E4F7A-0B2D-4E5F-9A6B-7C8D9E0F1A2B", true, false),
            ("8c1e4f7a0b2d4e5f9a6b7c8d9e0f1a2b", false, false), ("8c1e4f7a-0b2d-4e5f-9a6b-7c8d9e0f1a2g", false, false),
            ("0", false, true), ("-12", false, true), ("012", false, false), ("+1", false, false), ("-0", false, false),
            ("9223372036854775808", false, false), ("", false, false),
        ])
    func canonicalIDs(text: String, isUUID: Bool, isInteger: Bool) {
        #expect(NodeIDText.isUUID(text) == isUUID)
        #expect(NodeIDText.isCanonicalInteger(text) == isInteger)
        #expect(ModelDescription.IDType.text.accepts(text) == !text.isEmpty)
    }

    @Test("traversal chunks decode to aligned nodes; misaligned ones are INTERNAL")
    func traversalBatch() throws {
        let chunk = ArborV2.NodesChunk(
            ids: ArborV2.NodeIds(ints: [2, 10]), depths: [1, 2], parents: ArborV2.NodeIds(ints: [1, 2]),
            attributes: [ArborV2.Column(values: ["Design", "Loop"]), ArborV2.Column(values: ["done", ""])],
            total: 10, meta: ArborV2.ResponseMeta(source: .cache, version: 7))
        let batch = try TraversalBatch(chunk, attributes: 2, includeParents: true)
        #expect(
            batch.nodes == [
                TraversedNode(id: "2", depth: 1, parent: "1", values: ["Design", "done"]),
                TraversedNode(id: "10", depth: 2, parent: "2", values: ["Loop", ""]),
            ])
        #expect(
            batch.summary
                == TraversalSummary(
                    total: 10, meta: ResponseMeta(source: .cache, asOfUnixMilliseconds: 0, version: 7, stale: false)))
        let plain = try TraversalBatch(
            ArborV2.NodesChunk(ids: ArborV2.NodeIds(texts: ["a"]), depths: [3]), attributes: 0, includeParents: false)
        #expect(plain.nodes == [TraversedNode(id: "a", depth: 3)] && plain.summary == nil)
        #expect(try TraversalBatch(ArborV2.NodesChunk(total: 0), attributes: 2, includeParents: true).nodes.isEmpty)

        let bad: [(ArborV2.NodesChunk, Int, Bool)] = [
            (ArborV2.NodesChunk(ids: ArborV2.NodeIds(ints: [1, 2]), depths: [1]), 0, false),
            (ArborV2.NodesChunk(ids: ArborV2.NodeIds(ints: [1]), depths: [1]), 0, true),
            (ArborV2.NodesChunk(ids: ArborV2.NodeIds(ints: [1]), depths: [1]), 1, false),
            (
                ArborV2.NodesChunk(
                    ids: ArborV2.NodeIds(ints: [1]), depths: [1], attributes: [ArborV2.Column(values: ["a", "b"])]),
                1, false
            ),
        ]
        for (chunk, attributes, parents) in bad {
            do throws(RPCError) {
                _ = try TraversalBatch(chunk, attributes: attributes, includeParents: parents)
                Issue.record("\(chunk) decoded")
            } catch {
                #expect(error.code == .internal)
            }
        }
    }

    @Test("Describe reads into the model description")
    func modelDescription() {
        let response = ArborV2.DescribeResponse(
            idType: "uuid", timeZone: "UTC", hasLabel: false,
            attributes: [ArborV2.AttributeInfo(name: "role", type: "text", closed: true, distinctValues: 3)],
            sources: [
                ArborV2.EventSourceInfo(
                    name: "orders", dimensions: ["channel"],
                    measures: [ArborV2.MeasureInfo(name: "count"), ArborV2.MeasureInfo(name: "amount", scale: 2)],
                    firstDay: "2026-01-01", lastDay: "2026-01-31", events: 12),
                ArborV2.EventSourceInfo(name: "empty", measures: [ArborV2.MeasureInfo(name: "count")]),
            ], nodes: 5, edges: 4, cycleGroups: 0)
        let model = ModelDescription(response)
        #expect(model.idType == .uuid && !model.hasLabel && model.attributes.first?.closed == true)
        #expect(model.source(named: nil)?.name == "orders" && model.source(named: "empty")?.events == 0)
        #expect(model.source(named: "empty")?.firstDay == nil && model.source(named: "nope") == nil)
        #expect(model.source(named: "orders")?.measure(named: "amount")?.scale == 2)
        #expect(model.source(named: "orders")?.lastDay == Day(iso: "2026-01-31"))
        #expect(ModelDescription.IDType(name: "decimal") == .other("decimal"))
    }

    @Test(
        "scaled measures as exact decimals",
        arguments: [
            (12345, 2, "123.45"), (-5, 2, "-0.05"), (5, 0, "5"), (0, 3, "0.000"), (100, 2, "1.00"), (-100, 1, "-10.0"),
            (Int64.min, 2, "-92233720368547758.08"), (Int64.max, 18, "9.223372036854775807"),
        ] as [(Int64, UInt32, String)])
    func scaledDecimals(value: Int64, scale: UInt32, expected: String) {
        #expect(ScaledDecimal.text(value, scale: scale) == expected)
    }

    @Test("pages are fetched with the previous page's token until there is none; allPages merges them")
    func pageSequence() async throws {
        let asked = Mutex<[String]>([])
        let pages = PageSequence<NodePage> { token throws(RPCError) in
            asked.withLock { $0.append(token) }
            let next: String? = ["": "b", "b": "c", "c": nil][token] ?? nil
            return Answer(
                value: NodePage(nodes: [NodeRecord(id: token.isEmpty ? "a" : token, label: "")], nextPageToken: next),
                meta: ResponseMeta(
                    source: .cache, asOfUnixMilliseconds: 0, version: UInt64(asked.withLock(\.count)), stale: false))
        }
        let all = try await pages.allPages()
        #expect(all.value.nodes.map(\.id) == ["a", "b", "c"] && all.value.nextPageToken == nil)
        #expect(all.meta.version == 3)
        #expect(asked.withLock { $0 } == ["", "b", "c"])

        let stuck = PageSequence<NodePage>(startingAt: "x") { token throws(RPCError) in
            Answer(value: NodePage(nodes: [], nextPageToken: token), meta: ResponseMeta(nil))
        }
        do throws(RPCError) {
            _ = try await stuck.allPages()
            Issue.record("a repeated token paged on")
        } catch {
            #expect(error.code == .internal)
        }
    }

    @Test("response meta reads every source and never reports a negative age")
    func responseMeta() {
        #expect(ResponseMeta(ArborV2.ResponseMeta(source: .live)).source == .live)
        #expect(ResponseMeta(ArborV2.ResponseMeta(source: .unrecognized(9))).source == .unrecognized(9))
        #expect(ResponseMeta(nil).source == .unspecified)
        let meta = ResponseMeta(source: .cache, asOfUnixMilliseconds: 1000, version: 1, stale: true)
        #expect(meta.ageMilliseconds(nowUnixMilliseconds: 1500) == 500)
        #expect(meta.ageMilliseconds(nowUnixMilliseconds: 500) == 0)
    }

    @Test("a client whose server is down fails with UNAVAILABLE, and a closed client refuses calls")
    func unavailable() async throws {
        // Port 1 on loopback: nothing listens there in a test environment.
        let client = ArborClient(
            server: ServerAddress(host: "127.0.0.1", port: 1), configuration: .init(connectTimeout: .seconds(2)))
        do {
            _ = try await client.health()
            Issue.record("health succeeded against a closed port")
        } catch {
            #expect(error.code == .unavailable)
        }
        await client.close()
        do {
            _ = try await client.describe()
            Issue.record("a closed client made a call")
        } catch {
            #expect(error.code == .unavailable && error.message.contains("closed"))
        }
    }
}
