import ArborWire

/// Samples beyond `messageSamplesV2` so that, together, the samples of the contract hold every field of every
/// `arbor.v2` message at a value other than its default and every value of every enum (GoldenVectorCoverageTests
/// checks this against the schema as Python's protobuf reads it): each `Metric`, each `NodeIds` variant in every
/// message that carries ids, empty strings kept in repeated fields and map values, and every unsigned field at its
/// maximum.
let contractCoverageSamples: [MessageSample] = [
    .init("v2 LeaderboardRequest TREE", ArborV2.LeaderboardRequest(orderBy: .treeMeasure, measure: "amount")),
    .init("v2 LeaderboardRequest DIRECT_CHILDREN", ArborV2.LeaderboardRequest(orderBy: .directChildren, limit: 1)),
    .init(
        "v2 LeaderboardRequest DOWNLINE_SIZE",
        ArborV2.LeaderboardRequest(orderBy: .downlineSize, ascending: true, offset: UInt32.max)),
    .init("v2 LeaderboardRequest UNSPECIFIED with fields", ArborV2.LeaderboardRequest(orderBy: .unspecified, limit: 7)),
    .init(
        "v2 ResponseMeta SOURCE_UNSPECIFIED with fields",
        ArborV2.ResponseMeta(source: .unspecified, asOfUnixMs: -1, version: 1)),
    .init("v2 ResponseMeta CACHE", ArborV2.ResponseMeta(source: .cache, asOfUnixMs: Int64.max)),
    .init(
        "v2 NodesChunk uuid ids",
        ArborV2.NodesChunk(
            ids: .init(uuids: sampleID2 + sampleID1 + sampleID2), depths: [0, 1, 1],
            parents: .init(uuids: sampleID2 + sampleID2 + sampleID2),
            attributes: [.init(values: ["Acme", "", "Ünïcödé"]), .init(values: ["", "", ""])], total: UInt64.max,
            meta: .init(source: .cache, asOfUnixMs: 1, version: 2))),
    .init(
        "v2 NodesChunk text ids",
        ArborV2.NodesChunk(
            ids: .init(texts: ["raj", "asha.c", "नोड"]), depths: [1, 2, 3],
            parents: .init(texts: ["root", "raj", "asha.c"]), attributes: [.init(values: ["a", "b", "c"])], total: 3,
            meta: sampleMetaV2)),
    .init("v2 NodesChunk one empty text id", ArborV2.NodesChunk(ids: .init(texts: [""]), depths: [0])),
    .init("v2 NodeIds one empty text", ArborV2.NodeIds(texts: [""])),
    .init("v2 NodeIds negative ints only", ArborV2.NodeIds(ints: [-1, -2, Int64.min])),
    .init("v2 Cycle ints", ArborV2.Cycle(members: .init(ints: [10, 11]))),
    .init("v2 Cycle uuids", ArborV2.Cycle(members: .init(uuids: sampleID1))),
    .init(
        "v2 CyclesResponse text members",
        ArborV2.CyclesResponse(
            cycles: [.init(members: .init(texts: ["loop.1", "loop.2"])), .init(members: .init(texts: ["self"]))],
            total: UInt32.max, meta: .init(source: .live, version: 3))),
    .init("v2 CyclesRequest extremes", ArborV2.CyclesRequest(limit: UInt32.max, freshness: .init(requireLive: true))),
    .init(
        "v2 TraversalRequest extremes",
        ArborV2.TraversalRequest(
            root: "ffffffff-ffff-ffff-ffff-ffffffffffff", maxDepth: UInt32.max,
            filter: [.init(name: "a", values: [""])],
            limit: UInt32.max, attributes: ["", "label"], freshness: .init(maxStalenessMs: UInt32.max))),
    .init(
        "v2 FilteredStatsRequest empty strings kept",
        ArborV2.FilteredStatsRequest(
            root: "raj", maxDepth: UInt32.max, events: .init(source: "sales", match: [.init(name: "channel")]),
            groupBy: [""], measures: ["", "count"], limit: UInt32.max)),
    .init("v2 StatsRow empty keys only", ArborV2.StatsRow(keys: ["", ""], values: [0, 0], nodes: UInt32.max)),
    .init(
        "v2 FilteredStatsResponse extremes",
        ArborV2.FilteredStatsResponse(
            rows: [.init(keys: ["2026-03"], values: [Int64.min], nodes: 1)], totals: [Int64.max, Int64.min],
            nodesInScope: UInt32.max)),
    .init(
        "v2 LeaderboardRow NULL attribute present as empty",
        ArborV2.LeaderboardRow(
            rank: UInt32.max, id: "42", label: "", attributes: ["region": "", "tier": "pro"], selfMeasures: [-1],
            treeMeasures: [Int64.min], directChildren: UInt32.max, downlineSize: 0, downlineMatching: UInt32.max,
            breakdown: [.init(key: "", count: 1)])),
    .init(
        "v2 LeaderboardResponse extremes",
        ArborV2.LeaderboardResponse(rows: [.init(rank: 1)], totalRanked: UInt32.max, meta: .init(stale: true))),
    .init(
        "v2 FindNodesRequest ids only",
        ArborV2.FindNodesRequest(
            ids: ["7A000000-0000-4000-8000-000000000001", ""], attributes: [""], limit: UInt32.max)),
    .init("v2 Node NULL attribute present as empty", ArborV2.Node(id: "n", attributes: ["region": ""])),
    .init(
        "v2 FindNodesResponse without label",
        ArborV2.FindNodesResponse(nodes: [.init(id: "1", attributes: ["a": ""])], nextPageToken: "Zm9v")),
    .init(
        "v2 AttributeInfo extremes",
        ArborV2.AttributeInfo(name: "seats", type: "integer", closed: false, distinctValues: UInt32.max)),
    .init("v2 MeasureInfo extremes", ArborV2.MeasureInfo(name: "total", scale: UInt32.max)),
    .init(
        "v2 EventSourceInfo without events",
        ArborV2.EventSourceInfo(name: "visits", dimensions: [""], measures: [.init(name: "count")], events: UInt64.max)),
    .init(
        "v2 DescribeResponse extremes",
        ArborV2.DescribeResponse(
            idType: "text", timeZone: "UTC", attributes: [.init(name: "a", type: "boolean")],
            sources: [.init(name: "s", firstDay: "", lastDay: "2026-12-31")], nodes: UInt64.max, edges: UInt64.max,
            cycleGroups: UInt32.max, meta: .init(source: .cache))),
    .init("v2 Column empty strings only", ArborV2.Column(values: ["", "", ""])),
    .init("v2 Match negate only", ArborV2.Match(negate: true)),
    .init("v2 EventScope from only", ArborV2.EventScope(fromDate: "2026-01-01")),
    .init("v2 Freshness min_version only", ArborV2.Freshness(minVersion: 1)),
    .init("v2 KeyCount zero count", ArborV2.KeyCount(key: "x")),
    .init("HealthCheckRequest v2 service", GRPCHealthV1.HealthCheckRequest(service: "arbor.v2.Hierarchy")),
]
