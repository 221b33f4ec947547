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

/// Every message type of both protos.
let allMessageTypes: [any ProtoMessage.Type] = [
    ArborV1.Freshness.self, ArborV1.UserFilter.self, ArborV1.ResponseMeta.self,
    ArborV1.DescendantsRequest.self, ArborV1.DescendantsChunk.self,
    ArborV1.FilteredStatsRequest.self, ArborV1.StatsRow.self, ArborV1.FilteredStatsResponse.self,
    ArborV1.LeaderboardRequest.self, ArborV1.RoleCount.self, ArborV1.LeaderboardRow.self,
    ArborV1.LeaderboardResponse.self,
    ArborV1.CyclesRequest.self, ArborV1.Cycle.self, ArborV1.CyclesResponse.self,
    ArborV1.FindUsersRequest.self, ArborV1.User.self, ArborV1.FindUsersResponse.self,
    GRPCHealthV1.HealthCheckRequest.self, GRPCHealthV1.HealthCheckResponse.self,
]

/// Two 16-byte ids that exercise every byte value class (zero, high bit, 0xff).
let sampleID1: [UInt8] = Array(0..<16)
let sampleID2: [UInt8] = [0xff, 0x80, 0x7f, 0x00] + Array(repeating: 0xa5, count: 12)

let sampleMeta = ArborV1.ResponseMeta(source: .cache, asOfUnixMs: 1_763_700_000_123, version: 987_654_321, stale: true)

let sampleRow = ArborV1.LeaderboardRow(
    rank: 1, userID: sampleID1, name: "Ñandú 🌳 अर्बर", role: "DPOC", selfRegistrations: 12,
    treeRegistrations: UInt64.max, directChildren: 3, downlineSize: UInt32.max,
    downlineByRole: [
        .init(role: "VOLUNTEER", count: 150), .init(role: "", count: 0), .init(role: "LPR", count: 1),
    ])

/// Populated and default values of every message type, with negative and extreme numbers, unicode, packed
/// repeated fields, nested and empty nested messages, `optional` false versus absent, unknown enum numbers and
/// nested lengths that need two and three varint bytes.
let messageSamples: [MessageSample] =
    [
        .init("Freshness populated", ArborV1.Freshness(maxStalenessMs: 1500, requireLive: true, minVersion: 1 << 40)),
        .init("Freshness extremes", ArborV1.Freshness(maxStalenessMs: UInt32.max, minVersion: UInt64.max)),
        .init(
            "UserFilter populated",
            ArborV1.UserFilter(
                roles: ["VOLUNTEER", "DPOC"], states: ["Uttar Pradesh"], districts: ["", "ಬೆಂಗಳೂರು"],
                blocks: ["Block 7"], villages: ["Ünïcödé", "村"], active: true, appInstalled: false)),
        .init("UserFilter optional false", ArborV1.UserFilter(active: false)),
        .init("UserFilter optional true only", ArborV1.UserFilter(appInstalled: true)),
        .init("ResponseMeta populated", sampleMeta),
        .init("ResponseMeta negative time", ArborV1.ResponseMeta(source: .live, asOfUnixMs: -1, version: 1)),
        .init("ResponseMeta Int64.min", ArborV1.ResponseMeta(source: .unspecified, asOfUnixMs: Int64.min)),
        .init("ResponseMeta Int64.max", ArborV1.ResponseMeta(asOfUnixMs: Int64.max)),
        .init("ResponseMeta unknown source", ArborV1.ResponseMeta(source: .unrecognized(77))),
        .init("ResponseMeta negative source", ArborV1.ResponseMeta(source: .unrecognized(-5))),
        .init(
            "DescendantsRequest populated",
            ArborV1.DescendantsRequest(
                root: sampleID1, maxDepth: 3, filter: .init(roles: ["RM"], active: false), includeRoot: true,
                limit: 1000, freshness: .init(maxStalenessMs: 250, requireLive: false, minVersion: 42))),
        .init(
            "DescendantsRequest empty nested messages",
            ArborV1.DescendantsRequest(root: sampleID2, filter: .init(), freshness: .init())),
        .init(
            "DescendantsChunk populated",
            ArborV1.DescendantsChunk(
                ids: sampleID1 + sampleID2, depths: [0, 1, 127, 128, 300, UInt32.max], meta: sampleMeta, total: 2)),
        .init("DescendantsChunk zero depths", ArborV1.DescendantsChunk(ids: sampleID1, depths: [0, 0, 0])),
        .init(
            "DescendantsChunk 3-byte nested length",
            ArborV1.DescendantsChunk(
                ids: Array(repeating: 7, count: 16 * 1100), depths: Array(repeating: 200, count: 1100),
                meta: .init(source: .live), total: 1100)),
        .init(
            "FilteredStatsRequest populated",
            ArborV1.FilteredStatsRequest(
                root: sampleID2, excludeRoot: true, maxDepth: 9,
                userFilter: .init(states: ["Bihar"], districts: ["Patna"], appInstalled: true),
                registrationTypes: ["new", "renewal"], channels: ["app", "web"], fromDate: "2026-01-01",
                toDate: "2026-12-31", groupBy: [.day, .role, .user, .state, .district, .block, .village],
                freshness: .init(requireLive: true))),
        .init(
            "FilteredStatsRequest every dimension and unknown ones",
            ArborV1.FilteredStatsRequest(
                root: sampleID1,
                groupBy: [.unspecified, .registrationType, .channel, .unrecognized(10), .unrecognized(-1), .day])),
        .init(
            "StatsRow populated",
            ArborV1.StatsRow(
                keys: ["2026-11-21", "", "VOLUNTEER", "00010203-0405-0607-0809-0a0b0c0d0e0f"], registrations: 1 << 33,
                registeringUsers: 17)),
        .init(
            "FilteredStatsResponse populated",
            ArborV1.FilteredStatsResponse(
                rows: [
                    .init(keys: ["a"], registrations: 5, registeringUsers: 2), .init(), .init(keys: ["", "😀"]),
                ],
                totalRegistrations: 5, usersInScope: 100_000, meta: sampleMeta)),
        .init(
            "LeaderboardRequest populated",
            ArborV1.LeaderboardRequest(
                orderBy: .downlineRole, orderRole: "VOLUNTEER", ascending: true,
                filter: .init(roles: ["DPOC", "CPOC"], villages: ["Rampur"], active: true), within: sampleID2,
                registrationTypes: ["new"], channels: ["ivr"], fromDate: "2026-02-28", toDate: "2026-03-01",
                limit: 1000, offset: 4_000_000_000, freshness: .init(maxStalenessMs: 0, minVersion: 7))),
        .init("LeaderboardRequest unknown metric", ArborV1.LeaderboardRequest(orderBy: .unrecognized(99), limit: 1)),
        .init("RoleCount populated", ArborV1.RoleCount(role: "CPOC", count: 4)),
        .init("LeaderboardRow populated", sampleRow),
        .init(
            "LeaderboardResponse populated",
            ArborV1.LeaderboardResponse(
                rows: [sampleRow, .init(rank: 2, userID: sampleID2, name: "B"), .init()], totalRanked: 3,
                meta: .init(source: .cache, asOfUnixMs: 5, version: 6))),
        .init(
            "LeaderboardResponse 2-byte nested length",
            ArborV1.LeaderboardResponse(
                rows: [.init(rank: 1, userID: sampleID1, name: String(repeating: "ñ", count: 300))], totalRanked: 1)),
        .init("CyclesRequest populated", ArborV1.CyclesRequest(limit: 10, freshness: .init(maxStalenessMs: 60_000))),
        .init("Cycle populated", ArborV1.Cycle(members: sampleID1 + sampleID2)),
        .init(
            "CyclesResponse populated",
            ArborV1.CyclesResponse(
                cycles: [.init(members: sampleID1 + sampleID2), .init(members: sampleID1), .init()], total: 3,
                meta: .init(stale: true))),
        .init(
            "FindUsersRequest populated",
            ArborV1.FindUsersRequest(
                namePrefix: "Ra", ids: sampleID1 + sampleID2, limit: 20, freshness: .init(requireLive: true))),
        .init("FindUsersRequest prefix only", ArborV1.FindUsersRequest(namePrefix: "ÄÖ\u{301}")),
        .init(
            "User populated",
            ArborV1.User(
                id: sampleID2, name: "Ramesh Kumar", role: "VOLUNTEER", state: "Uttar Pradesh", district: "Lucknow",
                block: "Kakori", village: "Dasauli", active: true, appInstalled: true)),
        .init(
            "FindUsersResponse populated",
            ArborV1.FindUsersResponse(
                users: [.init(id: sampleID1, name: "A", active: true), .init(id: sampleID2, name: "B")],
                meta: .init(source: .live, asOfUnixMs: 1, version: 2))),
        .init("HealthCheckRequest empty service", GRPCHealthV1.HealthCheckRequest()),
        .init("HealthCheckRequest named", GRPCHealthV1.HealthCheckRequest(service: "arbor.v1.Hierarchy")),
        .init("HealthCheckResponse serving", GRPCHealthV1.HealthCheckResponse(status: .serving)),
        .init("HealthCheckResponse not serving", GRPCHealthV1.HealthCheckResponse(status: .notServing)),
        .init("HealthCheckResponse service unknown", GRPCHealthV1.HealthCheckResponse(status: .serviceUnknown)),
        .init("HealthCheckResponse unknown status", GRPCHealthV1.HealthCheckResponse(status: .unrecognized(9))),
    ]
    + allMessageTypes.map { type in MessageSample("\(type.protoMessageName) default", type.init()) }
