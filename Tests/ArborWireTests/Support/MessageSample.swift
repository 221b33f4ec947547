import ArborWire
import Testing

/// A named message value used by the round-trip, golden-vector and robustness tests.
struct MessageSample: Sendable, CustomTestStringConvertible {
    let name: String
    let message: any ProtoMessage

    init(_ name: String, _ message: any ProtoMessage) {
        self.name = name
        self.message = message
    }

    var testDescription: String { name }
}

/// Every message type of the contract and of health.
let allMessageTypes: [any ProtoMessage.Type] = [
    ArborV2.Freshness.self, ArborV2.ResponseMeta.self, ArborV2.Match.self, ArborV2.EventScope.self,
    ArborV2.NodeIds.self, ArborV2.Column.self, ArborV2.TraversalRequest.self, ArborV2.NodesChunk.self,
    ArborV2.FilteredStatsRequest.self, ArborV2.StatsRow.self, ArborV2.FilteredStatsResponse.self,
    ArborV2.LeaderboardRequest.self, ArborV2.KeyCount.self, ArborV2.LeaderboardRow.self,
    ArborV2.LeaderboardResponse.self,
    ArborV2.CyclesRequest.self, ArborV2.Cycle.self, ArborV2.CyclesResponse.self,
    ArborV2.FindNodesRequest.self, ArborV2.Node.self, ArborV2.FindNodesResponse.self,
    ArborV2.DescribeRequest.self, ArborV2.AttributeInfo.self, ArborV2.MeasureInfo.self, ArborV2.EventSourceInfo.self,
    ArborV2.DescribeResponse.self,
    GRPCHealthV1.HealthCheckRequest.self, GRPCHealthV1.HealthCheckResponse.self,
]

/// Two 16-byte ids that exercise every byte value class (zero, high bit, 0xff).
let sampleID1: [UInt8] = Array(0..<16)
let sampleID2: [UInt8] = [0xff, 0x80, 0x7f, 0x00] + Array(repeating: 0xa5, count: 12)

let sampleMetaV2 = ArborV2.ResponseMeta(source: .live, asOfUnixMs: 1_763_700_000_123, version: UInt64.max, stale: true)

/// Integer ids at the edges of `int64`: negative ones take ten bytes each in a packed field.
let sampleInts: [Int64] = [0, 1, -1, 127, 128, -300, Int64.max, Int64.min, 1 << 40]

/// Attribute maps with keys that are prefixes of each other (`state`, `state_code`), an empty key and value, and
/// keys and values beyond ASCII, so that the order of map entries on the wire is pinned down.
let sampleAttributes: [String: String] = [
    "state": "Uttar Pradesh", "state_code": "UP", "role": "VOLUNTEER", "app_installed": "true", "village": "",
    "": "NULL-named", "ಹಳ್ಳಿ": "ग्राम 🌳", "s": "prefix of both",
]

let sampleMatches: [ArborV2.Match] = [
    .init(name: "role", values: ["VOLUNTEER", "DPOC"]),
    .init(name: "district", values: ["", "ಬೆಂಗಳೂರು"], negate: true),
    .init(),
]

let sampleEvents = ArborV2.EventScope(
    source: "registrations", match: [.init(name: "channel", values: ["app", "ivr"], negate: true)],
    fromDate: "2026-01-01", toDate: "2026-12-31")

let sampleRowV2 = ArborV2.LeaderboardRow(
    rank: 1, id: "00010203-0405-0607-0809-0a0b0c0d0e0f", label: "Ñandú 🌳 अर्बर", attributes: sampleAttributes,
    selfMeasures: [12, -5_000, 0], treeMeasures: [Int64.max, Int64.min, -1], directChildren: 3,
    downlineSize: UInt32.max, downlineMatching: 7,
    breakdown: [.init(key: "", count: 2), .init(key: "LPR", count: 1), .init(key: "VOLUNTEER", count: 150)])

/// Populated and default values of every arbor.v2 message type: every field set at least once, negative `int64`s
/// in packed fields, unicode, maps with several keys (and one with an empty key and value), unknown enum numbers,
/// empty nested messages and nested lengths that need two and three varint bytes.
let messageSamplesV2: [MessageSample] = [
    .init("v2 Freshness populated", ArborV2.Freshness(maxStalenessMs: 1500, requireLive: true, minVersion: 1 << 40)),
    .init("v2 Freshness extremes", ArborV2.Freshness(maxStalenessMs: UInt32.max, minVersion: UInt64.max)),
    .init("v2 ResponseMeta populated", sampleMetaV2),
    .init("v2 ResponseMeta Int64.min", ArborV2.ResponseMeta(source: .cache, asOfUnixMs: Int64.min, version: 1)),
    .init("v2 ResponseMeta unknown source", ArborV2.ResponseMeta(source: .unrecognized(77))),
    .init("v2 ResponseMeta negative source", ArborV2.ResponseMeta(source: .unrecognized(-5))),
    .init("v2 Match populated", sampleMatches[1]),
    .init("v2 Match empty values kept", ArborV2.Match(name: "village", values: ["", "", "村"])),
    .init("v2 EventScope populated", sampleEvents),
    .init("v2 EventScope empty match", ArborV2.EventScope(match: [.init()], toDate: "2026-02-28")),
    .init("v2 NodeIds uuids", ArborV2.NodeIds(uuids: sampleID1 + sampleID2)),
    .init("v2 NodeIds ints", ArborV2.NodeIds(ints: sampleInts)),
    .init("v2 NodeIds zero ints", ArborV2.NodeIds(ints: [0, 0])),
    .init("v2 NodeIds texts", ArborV2.NodeIds(texts: ["node-1", "", "नोड 🌳", "Ünïcödé"])),
    .init(
        "v2 NodeIds every field", ArborV2.NodeIds(uuids: sampleID2, ints: [-2, 2], texts: ["a", "b"])),
    .init("v2 Column populated", ArborV2.Column(values: ["", "true", "-42", "ಬೆಂಗಳೂರು"])),
    .init(
        "v2 TraversalRequest populated",
        ArborV2.TraversalRequest(
            root: "-9223372036854775808", maxDepth: 3, filter: sampleMatches, includeRoot: true, limit: 1000,
            attributes: ["label", "role", "ಹಳ್ಳಿ"], includeParents: true,
            freshness: .init(maxStalenessMs: 250, minVersion: 42))),
    .init("v2 TraversalRequest empty freshness", ArborV2.TraversalRequest(root: "x", freshness: .init())),
    .init(
        "v2 NodesChunk populated",
        ArborV2.NodesChunk(
            ids: .init(ints: sampleInts), depths: [0, 1, 127, 128, 300, UInt32.max, 2, 2, 9],
            parents: .init(ints: Array(sampleInts.reversed())),
            attributes: [.init(values: Array(repeating: "VOLUNTEER", count: 9)), .init()], total: 9,
            meta: sampleMetaV2)),
    .init("v2 NodesChunk empty nested messages", ArborV2.NodesChunk(ids: .init(), parents: .init(), meta: .init())),
    .init(
        "v2 NodesChunk 3-byte nested length",
        ArborV2.NodesChunk(
            ids: .init(uuids: Array(repeating: 7, count: 16 * 1100)), depths: Array(repeating: 200, count: 1100),
            total: 1100, meta: .init(source: .live))),
    .init(
        "v2 FilteredStatsRequest populated",
        ArborV2.FilteredStatsRequest(
            root: "00010203-0405-0607-0809-0a0b0c0d0e0f", excludeRoot: true, maxDepth: 9, filter: sampleMatches,
            events: sampleEvents, groupBy: ["week", "role", "registration_type"], measures: ["count", "amount"],
            freshness: .init(requireLive: true), limit: 500, pageToken: "opaque/token+=")),
    .init("v2 FilteredStatsRequest empty events", ArborV2.FilteredStatsRequest(root: "7", events: .init())),
    .init(
        "v2 StatsRow populated",
        ArborV2.StatsRow(keys: ["2026-W01", "", "VOLUNTEER"], values: [5, -1, 0, Int64.max, Int64.min], nodes: 17)),
    .init(
        "v2 FilteredStatsResponse populated",
        ArborV2.FilteredStatsResponse(
            rows: [.init(keys: ["a"], values: [5, 500], nodes: 2), .init(), .init(keys: ["", "😀"], values: [-3])],
            totals: [-42, 0, 1 << 40], nodesInScope: 100_000, meta: sampleMetaV2, nextPageToken: "next")),
    .init(
        "v2 LeaderboardRequest populated",
        ArborV2.LeaderboardRequest(
            orderBy: .downlineMatching, measure: "amount", ascending: true, filter: sampleMatches,
            within: "node-7", events: sampleEvents, downlineFilter: [.init(name: "status", values: ["active"])],
            breakdownBy: "role", attributes: ["state", "role"], limit: 1000, offset: 4_000_000_000,
            freshness: .init(maxStalenessMs: 0, minVersion: 7))),
    .init("v2 LeaderboardRequest self", ArborV2.LeaderboardRequest(orderBy: .selfMeasure, measure: "count")),
    .init("v2 LeaderboardRequest unknown metric", ArborV2.LeaderboardRequest(orderBy: .unrecognized(99), limit: 1)),
    .init("v2 LeaderboardRequest negative metric", ArborV2.LeaderboardRequest(orderBy: .unrecognized(-7))),
    .init("v2 KeyCount populated", ArborV2.KeyCount(key: "CPOC", count: 4)),
    .init("v2 KeyCount NULL key", ArborV2.KeyCount(key: "", count: UInt32.max)),
    .init("v2 LeaderboardRow populated", sampleRowV2),
    .init("v2 LeaderboardRow empty key and value", ArborV2.LeaderboardRow(attributes: ["": ""])),
    .init(
        "v2 LeaderboardRow tree only",
        ArborV2.LeaderboardRow(rank: 2, id: "b", treeMeasures: [0], downlineSize: 1, downlineMatching: 1)),
    .init(
        "v2 LeaderboardResponse populated",
        ArborV2.LeaderboardResponse(
            rows: [sampleRowV2, .init(rank: 2, id: "b", label: "B"), .init()], totalRanked: 3,
            meta: .init(source: .cache, asOfUnixMs: -5, version: 6))),
    .init(
        "v2 LeaderboardResponse 2-byte nested length",
        ArborV2.LeaderboardResponse(
            rows: [.init(rank: 1, id: "a", attributes: ["name": String(repeating: "ñ", count: 300)])],
            totalRanked: 1)),
    .init("v2 CyclesRequest populated", ArborV2.CyclesRequest(limit: 10, freshness: .init(maxStalenessMs: 60_000))),
    .init("v2 Cycle populated", ArborV2.Cycle(members: .init(texts: ["a", "b", "c"]))),
    .init("v2 Cycle empty members", ArborV2.Cycle(members: .init())),
    .init(
        "v2 CyclesResponse populated",
        ArborV2.CyclesResponse(
            cycles: [
                .init(members: .init(uuids: sampleID1 + sampleID2)), .init(members: .init(ints: [-1, Int64.min])),
                .init(),
            ],
            total: 3, meta: .init(stale: true))),
    .init(
        "v2 FindNodesRequest populated",
        ArborV2.FindNodesRequest(
            labelPrefix: "Ra", ids: ["1", "-2", ""], filter: sampleMatches, attributes: ["role", "state"], limit: 20,
            freshness: .init(requireLive: true), pageToken: "page-2")),
    .init("v2 FindNodesRequest prefix only", ArborV2.FindNodesRequest(labelPrefix: "ÄÖ\u{301}")),
    .init("v2 Node populated", ArborV2.Node(id: "42", label: "Ramesh Kumar", attributes: sampleAttributes)),
    .init(
        "v2 Node many attributes",
        ArborV2.Node(
            id: "n", attributes: Dictionary(uniqueKeysWithValues: (0..<60).map { ("attr_\($0)", "\($0 * 7919)") }))),
    .init(
        "v2 FindNodesResponse populated",
        ArborV2.FindNodesResponse(
            nodes: [.init(id: "1", label: "A", attributes: ["role": "RM", "state": ""]), .init(id: "2"), .init()],
            meta: .init(source: .live, asOfUnixMs: 1, version: 2), nextPageToken: "t")),
    .init("v2 DescribeRequest populated", ArborV2.DescribeRequest(freshness: .init(requireLive: true))),
    .init("v2 DescribeRequest empty freshness", ArborV2.DescribeRequest(freshness: .init())),
    .init(
        "v2 AttributeInfo populated",
        ArborV2.AttributeInfo(name: "role", type: "text", closed: true, distinctValues: 12)),
    .init("v2 MeasureInfo populated", ArborV2.MeasureInfo(name: "amount", scale: 2)),
    .init(
        "v2 EventSourceInfo populated",
        ArborV2.EventSourceInfo(
            name: "registrations", dimensions: ["registration_type", "channel"],
            measures: [.init(name: "count"), .init(name: "amount", scale: 2)], firstDay: "2024-01-01",
            lastDay: "2026-11-21", events: 20_000_000)),
    .init(
        "v2 DescribeResponse populated",
        ArborV2.DescribeResponse(
            idType: "uuid", timeZone: "Asia/Kolkata", hasLabel: true,
            attributes: [
                .init(name: "role", type: "text", closed: true, distinctValues: 5),
                .init(name: "app_installed", type: "boolean", distinctValues: 2), .init(),
            ],
            sources: [.init(name: "registrations", measures: [.init(name: "count")], events: 1), .init()],
            nodes: 50_000, edges: UInt64(UInt32.max) + 1, cycleGroups: 2, meta: sampleMetaV2)),
]

/// Populated and default values of every message type: the contract's (``messageSamplesV2``) and health's.
let messageSamples: [MessageSample] =
    [
        .init("HealthCheckRequest empty service", GRPCHealthV1.HealthCheckRequest()),
        .init("HealthCheckRequest named", GRPCHealthV1.HealthCheckRequest(service: "arbor.v2.Hierarchy")),
        .init("HealthCheckResponse serving", GRPCHealthV1.HealthCheckResponse(status: .serving)),
        .init("HealthCheckResponse not serving", GRPCHealthV1.HealthCheckResponse(status: .notServing)),
        .init("HealthCheckResponse service unknown", GRPCHealthV1.HealthCheckResponse(status: .serviceUnknown)),
        .init("HealthCheckResponse unknown status", GRPCHealthV1.HealthCheckResponse(status: .unrecognized(9))),
    ]
    + messageSamplesV2
    + allMessageTypes.map { type in MessageSample("\(type.protoMessageName) default", type.init()) }
