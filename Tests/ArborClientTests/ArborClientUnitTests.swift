import ArborClient
import Foundation
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
            (Freshness(maxStaleness: .seconds(2)), ArborV1.Freshness(maxStalenessMs: 2000)),
            (Freshness(maxStaleness: .microseconds(1500)), ArborV1.Freshness(maxStalenessMs: 2)),
            (Freshness(maxStaleness: .zero), ArborV1.Freshness(maxStalenessMs: 1)),
            (Freshness(maxStaleness: .seconds(10_000_000)), ArborV1.Freshness(maxStalenessMs: UInt32.max)),
            (Freshness.live, ArborV1.Freshness(requireLive: true)),
            (Freshness(minVersion: 42), ArborV1.Freshness(minVersion: 42)),
        ] as [(Freshness, ArborV1.Freshness?)])
    func freshness(freshness: Freshness, expected: ArborV1.Freshness?) {
        #expect(freshness.message?.serializedBytes() == expected?.serializedBytes())
    }

    static let a = UserID(uuidString: "00000000-0000-4000-8000-000000000001")!
    static let b = UserID(uuidString: "ffffffff-0000-4000-8000-0000000000ff")!

    @Test("friendly queries become the contract's requests")
    func requests() {
        let stats = FilteredStatsQuery(
            root: Self.a, excludeRoot: true, maxDepth: 3, userFilter: UserFilter(roles: ["DPOC"], active: false),
            registrations: RegistrationFilter(
                types: ["NEW"], channels: ["app"], from: Day(iso: "2026-01-01"), to: Day(iso: "2026-01-31")),
            groupBy: [.day, .user]
        ).message(freshness: .live)
        #expect(stats.root == Self.a.bytes)
        #expect(stats.excludeRoot && stats.maxDepth == 3)
        #expect(stats.userFilter?.roles == ["DPOC"] && stats.userFilter?.active == false)
        #expect(stats.userFilter?.appInstalled == nil)
        #expect(stats.registrationTypes == ["NEW"] && stats.channels == ["app"])
        #expect(stats.fromDate == "2026-01-01" && stats.toDate == "2026-01-31")
        #expect(stats.groupBy.map(\.rawValue) == [1, 3])
        #expect(stats.freshness?.requireLive == true)

        let board = LeaderboardQuery(
            metric: .downlineRole("DPOC"), ascending: true, within: Self.b, limit: 7, offset: 3
        )
        .message()
        #expect(board.orderBy == .downlineRole && board.orderRole == "DPOC" && board.ascending)
        #expect(board.within == Self.b.bytes && board.limit == 7 && board.offset == 3)
        #expect(board.filter == nil && board.freshness == nil && board.fromDate.isEmpty)
        #expect(LeaderboardQuery(within: nil).message().within.isEmpty)

        let users = FindUsersQuery(namePrefix: "Raj", ids: [Self.a, Self.b], limit: 5).message()
        #expect(users.namePrefix == "Raj" && users.ids == Self.a.bytes + Self.b.bytes && users.limit == 5)
        #expect(FindUsersQuery(namePrefix: "x").message().ids.isEmpty)

        let descendants = DescendantsQuery(root: Self.b, maxDepth: 2, includeRoot: true, limit: 9).message()
        #expect(descendants.root == Self.b.bytes && descendants.maxDepth == 2 && descendants.includeRoot)
        #expect(descendants.limit == 9 && descendants.filter == nil)
    }

    @Test(
        "metrics",
        arguments: [
            (LeaderboardMetric.selfRegistrations, ArborV1.Metric.selfRegistrations),
            (.treeRegistrations, .treeRegistrations), (.directChildren, .directChildren),
            (.downlineSize, .downlineSize), (.downlineRole("LPR"), .downlineRole),
        ])
    func metrics(metric: LeaderboardMetric, expected: ArborV1.Metric) {
        #expect(metric.message.metric == expected)
    }

    @Test("descendants chunks decode to entries; malformed ones are INTERNAL")
    func descendantsBatch() throws {
        let chunk = ArborV1.DescendantsChunk(
            ids: Self.a.bytes + Self.b.bytes, depths: [1, 2], meta: ArborV1.ResponseMeta(source: .cache, version: 7),
            total: 10)
        let batch = try DescendantsBatch(chunk)
        #expect(batch.entries == [DescendantEntry(id: Self.a, depth: 1), DescendantEntry(id: Self.b, depth: 2)])
        #expect(
            batch.summary
                == DescendantsSummary(
                    total: 10, meta: ResponseMeta(source: .cache, asOfUnixMilliseconds: 0, version: 7, stale: false)))
        #expect(try DescendantsBatch(ArborV1.DescendantsChunk(ids: Self.a.bytes, depths: [1])).summary == nil)

        for bad in [
            ArborV1.DescendantsChunk(ids: Array(Self.a.bytes.prefix(15)), depths: [1]),
            ArborV1.DescendantsChunk(ids: Self.a.bytes, depths: [1, 2]),
        ] {
            #expect(throws: RPCError.self) { try DescendantsBatch(bad) }
            do throws(RPCError) { _ = try DescendantsBatch(bad) } catch { #expect(error.code == .internal) }
        }
    }

    @Test("response meta reads every source and never reports a negative age")
    func responseMeta() {
        #expect(ResponseMeta(ArborV1.ResponseMeta(source: .live)).source == .live)
        #expect(ResponseMeta(ArborV1.ResponseMeta(source: .unrecognized(9))).source == .unrecognized(9))
        #expect(ResponseMeta(nil).source == .unspecified)
        let meta = ResponseMeta(source: .cache, asOfUnixMilliseconds: 1000, version: 1, stale: true)
        #expect(meta.ageMilliseconds(nowUnixMilliseconds: 1500) == 500)
        #expect(meta.ageMilliseconds(nowUnixMilliseconds: 500) == 0)
    }

    @Test("user ids and Foundation UUIDs convert both ways")
    func uuids() {
        let uuid = UUID(uuidString: "8C1E4F7A-0B2D-4E5F-9A6B-7C8D9E0F1A2B")!
        #expect(UserID(uuid).uuidString == "8c1e4f7a-0b2d-4e5f-9a6b-7c8d9e0f1a2b")
        #expect(UserID(uuid).uuid == uuid)
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
            _ = try await client.cycles()
            Issue.record("a closed client made a call")
        } catch {
            #expect(error.code == .unavailable && error.message.contains("closed"))
        }
    }
}
