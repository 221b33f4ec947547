import ArborModel
import ArborTestSupport
import Foundation
import Testing

@testable import ArborStore

/// The live SQL of the v2 service's measured calls against a plain recursive CTE for the same answer, side by side
/// in one run on the war-story demo (database `bench` after `arbor-server migrate --model
/// examples/war-story/arbor.yaml`). Each round runs every call once through ``LiveModelQueries`` (reading the
/// rollups, as the server does) and once as plain SQL over the seed's own tables (`users`, `user_hierarchy`,
/// `registrations`), alternately, so both see the same load; the answers must be equal. Prints a table of medians.
///
/// Runs only when `ARBOR_LIVE_BENCH_URL` names the database (read only):
/// ```
/// ARBOR_LIVE_BENCH_URL=postgresql://postgres@127.0.0.1:55440/bench ARBOR_LIVE_BENCH_ROUNDS=5 \
///     swift test --skip-build --filter LiveModelPlanBenchmark
/// ```
@Suite(.enabled(if: liveBenchURL != nil)) struct LiveModelPlanBenchmark {
    static let rounds = ProcessInfo.processInfo.environment["ARBOR_LIVE_BENCH_ROUNDS"].flatMap { Int($0) } ?? 3

    /// One measured call: runs it live, then plain, and says how long each took and whether they agreed.
    struct Call: Sendable {
        let name: String
        let measure: @Sendable (LiveModelQueries, PostgresClient) async throws -> (Duration, Duration, Bool)

        init<Answer: Equatable & Sendable>(
            _ name: String, live: @escaping @Sendable (LiveModelQueries, PostgresClient) async throws -> Answer,
            plain: @escaping @Sendable (PostgresClient) async throws -> Answer
        ) {
            self.name = name
            self.measure = { queries, client in
                let started = ContinuousClock.now
                let liveAnswer = try await live(queries, client)
                let between = ContinuousClock.now
                let plainAnswer = try await plain(client)
                return (between - started, ContinuousClock.now - between, liveAnswer == plainAnswer)
            }
        }
    }

    @Test func liveAgainstPlainCTEs() async throws {
        let configuration = try PostgresConfiguration(connectionString: try #require(liveBenchURL))
        try await TestDatabase.withClient(on: configuration, maxConnections: 2) { client in
            try await run(client)
        }
    }

    func run(_ client: PostgresClient) async throws {
        let demo = try await client.withConnection { connection in
            guard let model = try ModelCatalog.check(.demo, on: connection).resolved else {
                throw StoreError(.invalidArgument, "the demo model does not resolve against this database")
            }
            return try DemoRequests(model: model, on: connection)
        }
        let live = LiveModelQueries(model: demo.model, events: .rollups)
        let calls = demo.calls
        var times = Array(repeating: (live: [Double](), plain: [Double]()), count: calls.count)
        for _ in 0..<Self.rounds {
            for (index, call) in calls.enumerated() {
                let (liveTime, plainTime, same) = try await call.measure(live, client)
                #expect(same, "\(call.name): live and plain answers differ")
                times[index].live.append(liveTime.milliseconds)
                times[index].plain.append(plainTime.milliseconds)
            }
        }
        var table = [
            "Raj \(demo.raj.canonical), top \(demo.top.canonical), district \(demo.district), windows ending "
                + "\(demo.lastDay.isoString); medians of \(Self.rounds) rounds, each call live then plain",
            "| call | live (ms) | plain CTE (ms) | live / plain |", "|---|---:|---:|---:|",
        ]
        for (call, time) in zip(calls, times) {
            let (l, p) = (median(time.live), median(time.plain))
            table.append(
                "| \(call.name) | \(String(format: "%.0f", l)) | \(String(format: "%.0f", p)) | "
                    + "\(String(format: "%.2f", l / p)) |")
        }
        print(table.joined(separator: "\n"))
    }

    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}

/// The database the benchmark reads, from `ARBOR_LIVE_BENCH_URL`; without it the benchmark does not run.
let liveBenchURL = ProcessInfo.processInfo.environment["ARBOR_LIVE_BENCH_URL"]

extension Duration {
    fileprivate var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

/// The measured requests of docs/benchmarks.md ("arbor.v2 on the war-story demo"), each with its plain CTE.
struct DemoRequests: Sendable {
    let model: ResolvedModel
    let raj: NodeID
    let top: NodeID
    let district: String
    let lastDay: Day
    let timeZone: String

    init(model: ResolvedModel, on connection: PostgresConnection) throws {
        self.model = model
        self.timeZone = model.model.timeZone
        let raj = try connection.query("SELECT id::text FROM users WHERE name = 'Raj' ORDER BY id LIMIT 1")
        self.raj = try model.nodeID(try raj.first!.decode(String.self, at: 0), field: "raj")
        // The top of the organisation: the node without a parent with the most descendants (the demo has one).
        let top = try connection.query(
            """
            SELECT u.id::text FROM users u
            WHERE NOT EXISTS (SELECT 1 FROM user_hierarchy h WHERE h.child_id = u.id) ORDER BY u.id LIMIT 1
            """)
        self.top = try model.nodeID(try top.first!.decode(String.self, at: 0), field: "top")
        let day = try connection.query("SELECT max(day)::text FROM arbor.rollup_registrations")
        self.lastDay = Day(iso: try day.first!.decode(String.self, at: 0))!
        // As model-probe: the district with the most volunteers below Raj.
        let district = try connection.query(
            """
            WITH RECURSIVE below(id) AS (
                SELECT $1::uuid UNION SELECT h.child_id FROM below JOIN user_hierarchy h ON h.parent_id = below.id)
            SELECT u.district FROM below JOIN users u ON u.id = below.id
            WHERE u.role = 'VOLUNTEER' AND u.district IS NOT NULL
            GROUP BY u.district ORDER BY count(*) DESC, u.district LIMIT 1
            """, [.text(self.raj.canonical)])
        self.district = try district.first!.decode(String.self, at: 0)
    }

    var from45: Day { lastDay.advanced(by: -44) }
    var from30: Day { lastDay.advanced(by: -29) }

    var calls: [LiveModelPlanBenchmark.Call] {
        let stats = { (name: String, root: NodeID, filtered: Bool) in
            LiveModelPlanBenchmark.Call(
                name,
                live: { live, client in
                    let query = try self.statsQuery(root: root, filtered: filtered)
                    return try await live.run(client, deadline: nil) { try $0.stats(query, on: $1) }.value
                },
                plain: { client in try await self.plainStats(root: root, filtered: filtered, client) })
        }
        return [
            LiveModelPlanBenchmark.Call(
                "Descendants(Raj, 13.8k)",
                live: { live, client in
                    let query = try NodeTraversalQuery(
                        model: self.model, direction: .descendants, root: self.raj.canonical)
                    return try await live.run(client, deadline: nil) { try $0.traverse(query, on: $1) }.value
                },
                plain: { client in try await self.plainDescendants(client) }),
            stats("FilteredStats(Raj, 45 days, by day)", raj, false),
            stats("FilteredStats(top, 45 days, by day)", top, false),
            stats("FilteredStats(Raj, 45 days, role+district+type, by day)", raj, true),
            LiveModelPlanBenchmark.Call(
                "Leaderboard(all users, TREE count, 30 days)",
                live: { live, client in
                    let query = try RankingQuery(
                        model: self.model, metric: .treeMeasure, fromDate: self.from30.isoString,
                        toDate: self.lastDay.isoString, limit: 50)
                    return try await live.run(client, deadline: nil) { try $0.rank(query, on: $1) }.value
                },
                plain: { client in try await self.plainLeaderboard(client) }),
            LiveModelPlanBenchmark.Call(
                "Cycles",
                live: { live, client in
                    try await live.run(client, deadline: nil) { try $0.cycles(limit: 0, on: $1) }.value
                },
                plain: { client in try await self.plainCycles(client) }),
        ]
    }

    func statsQuery(root: NodeID, filtered: Bool) throws -> EventStatsQuery {
        try EventStatsQuery(
            model: model, root: root.canonical,
            filter: filtered
                ? [ValueMatch(name: "role", values: ["VOLUNTEER"]), ValueMatch(name: "district", values: [district])]
                : [],
            eventMatches: filtered ? [ValueMatch(name: "registration_type", values: ["VOTER"])] : [],
            fromDate: from45.isoString, toDate: lastDay.isoString, groupBy: ["day"])
    }

    /// Runs `sql` in a read-only snapshot with JIT off, as the live path does.
    func plain(_ client: PostgresClient, _ sql: String, _ binds: [PostgresBind]) async throws -> PostgresResult {
        try await client.withReadOnlySnapshot { connection in
            try connection.execute("SELECT set_config('jit', 'off', true)")
            return try connection.query(sql, binds)
        }
    }

    /// An id column, read in binary as the live path reads it.
    func id(_ row: PostgresRow, _ column: Int) throws -> NodeID { try NodeIDColumn.node(row[column], model.idType) }

    /// Every path from Raj (the `CYCLE` clause stops at a node already on the path), the shortest depth per node,
    /// and the smallest parent one level up.
    func plainDescendants(_ client: PostgresClient) async throws -> NodeTraversalResult {
        let rows = try await plain(
            client,
            """
            WITH RECURSIVE walk(id, depth) AS (
                SELECT h.child_id, 1 FROM user_hierarchy h WHERE h.parent_id = $1
                UNION ALL
                SELECT h.child_id, w.depth + 1 FROM walk w JOIN user_hierarchy h ON h.parent_id = w.id
            ) CYCLE id SET looped USING path,
            best AS (SELECT id, min(depth) AS depth FROM walk WHERE id <> $1 GROUP BY id UNION ALL SELECT $1, 0),
            parents AS (
                SELECT c.id, min(p.id::text)::uuid AS parent
                FROM best c
                JOIN user_hierarchy h ON h.child_id = c.id
                JOIN best p ON p.id = h.parent_id AND p.depth = c.depth - 1
                GROUP BY c.id
            )
            SELECT b.id, b.depth, p.parent FROM best b JOIN parents p ON p.id = b.id ORDER BY b.depth, b.id
            """, [.uuid(UUID(uuidString: raj.canonical))])
        let entries = try rows.map { row in
            TraversalEntry(
                id: try id(row, 0), depth: UInt32(try row.decode(Int32.self, at: 1)), parent: try id(row, 2))
        }
        return NodeTraversalResult(entries: entries, columns: [], total: UInt64(entries.count))
    }

    /// Registrations of the root and everyone below it, per day, with the number of distinct users per day.
    func plainStats(root: NodeID, filtered: Bool, _ client: PostgresClient) async throws -> EventStatsResult {
        var binds: [PostgresBind] = [
            .uuid(UUID(uuidString: root.canonical)), .date(from45), .date(lastDay), .text(timeZone),
        ]
        var counted = "SELECT id FROM below"
        var type = ""
        if filtered {
            binds += [.textArray(["VOLUNTEER"]), .textArray([district]), .textArray(["VOTER"])]
            counted = """
                SELECT u.id FROM below b JOIN users u ON u.id = b.id
                WHERE u.role = ANY($5::text[]) AND u.district = ANY($6::text[])
                """
            type = "AND r.registration_type = ANY($7::text[])"
        }
        let rows = try await plain(
            client,
            """
            WITH RECURSIVE below(id) AS (
                SELECT $1::uuid UNION SELECT h.child_id FROM below b JOIN user_hierarchy h ON h.parent_id = b.id
            ),
            counted AS (\(counted)),
            days AS (
                SELECT (r.created_at AT TIME ZONE $4::text)::date AS day, count(*) AS n,
                    count(DISTINCT r.created_by) AS nodes
                FROM counted c JOIN registrations r ON r.created_by = c.id
                WHERE r.created_at >= ($2::date::timestamp AT TIME ZONE $4::text)
                    AND r.created_at < (($3::date + 1)::timestamp AT TIME ZONE $4::text) \(type)
                GROUP BY 1
            )
            SELECT s.n, d.day::text, d.n, d.nodes
            FROM (SELECT count(*) AS n FROM counted) s LEFT JOIN days d ON true
            ORDER BY d.day
            """, binds)
        var result = EventStatsResult(rows: [], totals: [0], nodesInScope: 0, hasMore: false)
        for row in rows {
            result.nodesInScope = UInt32(try row.decode(Int64.self, at: 0))
            guard let day = try row.decode(String?.self, at: 1) else { continue }
            let count = try row.decode(Int64.self, at: 2)
            result.rows.append(
                EventStatsRow(keys: [day], values: [count], nodes: UInt32(try row.decode(Int64.self, at: 3))))
            result.totals[0] += count
        }
        return result
    }

    /// Every (ancestor, descendant) pair, registrations per user, summed per ancestor; the page's children and
    /// downline sizes.
    func plainLeaderboard(_ client: PostgresClient) async throws -> RankingResult {
        let rows = try await plain(
            client,
            """
            WITH RECURSIVE closure(ancestor, descendant) AS (
                SELECT parent_id, child_id FROM user_hierarchy
                UNION
                SELECT c.ancestor, h.child_id FROM closure c JOIN user_hierarchy h ON h.parent_id = c.descendant
            ),
            own AS (
                SELECT r.created_by AS id, count(*) AS n FROM registrations r
                WHERE r.created_at >= ($1::date::timestamp AT TIME ZONE $3::text)
                    AND r.created_at < (($2::date + 1)::timestamp AT TIME ZONE $3::text)
                GROUP BY 1
            ),
            tree AS (
                SELECT c.ancestor AS id, count(*) AS size, sum(o.n) AS n
                FROM closure c LEFT JOIN own o ON o.id = c.descendant
                WHERE c.descendant <> c.ancestor
                GROUP BY 1
            ),
            board AS (
                SELECT u.id, u.name, coalesce(t.n, 0)::int8 AS tree, coalesce(t.size, 0) AS size,
                    count(*) OVER () AS total
                FROM users u LEFT JOIN tree t ON t.id = u.id
                ORDER BY 3 DESC, 1
                LIMIT $4
            )
            SELECT b.total, b.id, coalesce(b.name, ''), coalesce(o.n, 0), b.tree, b.size,
                (SELECT count(DISTINCT h.child_id) FROM user_hierarchy h WHERE h.parent_id = b.id AND h.child_id <> b.id)
            FROM board b LEFT JOIN own o ON o.id = b.id
            ORDER BY b.tree DESC, b.id
            """, [.date(from30), .date(lastDay), .text(timeZone), .int64(50)])
        var result = RankingResult(rows: [], totalRanked: 0)
        for row in rows {
            result.totalRanked = UInt32(try row.decode(Int64.self, at: 0))
            result.rows.append(
                RankingRow(
                    rank: UInt32(result.rows.count + 1), id: try id(row, 1), label: try row.decode(String.self, at: 2),
                    attributes: [], selfValues: [try row.decode(Int64.self, at: 3)],
                    treeValues: [try row.decode(Int64.self, at: 4)],
                    directChildren: UInt32(try row.decode(Int64.self, at: 6)),
                    downlineSize: UInt32(try row.decode(Int64.self, at: 5)), downlineMatching: 0, breakdown: []))
        }
        return result
    }

    /// The whole closure; a node's group is every node it reaches that reaches it back.
    func plainCycles(_ client: PostgresClient) async throws -> CycleGroupsResult {
        let rows = try await plain(
            client,
            """
            WITH RECURSIVE closure(ancestor, descendant) AS (
                SELECT parent_id, child_id FROM user_hierarchy
                UNION
                SELECT c.ancestor, h.child_id FROM closure c JOIN user_hierarchy h ON h.parent_id = c.descendant
            ),
            groups AS (
                SELECT c.ancestor, array_agg(c.descendant::text ORDER BY c.descendant) AS members
                FROM closure c JOIN closure back ON back.ancestor = c.descendant AND back.descendant = c.ancestor
                GROUP BY c.ancestor
            )
            SELECT DISTINCT members, cardinality(members), members[1] COLLATE "C"
            FROM groups
            ORDER BY 2 DESC, 3
            """, [])
        let groups = try rows.map { row in
            try row.decode([String].self, at: 0).map { try model.nodeID($0, field: "id") }
        }
        return CycleGroupsResult(groups: groups, total: UInt32(groups.count))
    }
}
