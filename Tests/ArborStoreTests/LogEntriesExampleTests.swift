import ArborModel
import ArborModelFile
import ArborStore
import ArborTestSupport
import Foundation
import Testing

/// The log-entries example at a small size: deterministic, the promised shape, and its shipped model file passes the
/// catalog check on what it seeds.
@Suite struct LogEntriesExampleTests {
    static let lastDay = Day(year: 2026, month: 11, day: 30)!

    /// The rows in id order, as one digest (text of every column, NULL spelled out).
    static func digest(_ client: PostgresClient) async throws -> String {
        try await client.withConnection { connection in
            try connection.query(
                """
                SELECT md5(string_agg(concat_ws('|', id, coalesce(parent_id::text, 'NULL'), level, source, message,
                    extract(epoch FROM created_at)), E'\\n' ORDER BY id))
                FROM public.log_entries
                """)[0].decode(String.self, at: 0)
        }
    }

    @Test func sameSeedSameRows() async throws {
        let options = LogEntriesExample.Options(entries: 3000, seed: 42, lastDay: Self.lastDay)
        let (first, firstDigest) = try await TestDatabase.withClient("log_first") { client in
            (try await LogEntriesExample.seed(options, client: client), try await Self.digest(client))
        }
        let (second, secondDigest) = try await TestDatabase.withClient("log_second") { client in
            (try await LogEntriesExample.seed(options, client: client), try await Self.digest(client))
        }
        #expect(firstDigest == secondDigest)
        var normalized = second
        normalized.duration = first.duration
        #expect(normalized == first)

        var otherSeed = options
        otherSeed.seed = 7
        let otherDigest = try await TestDatabase.withClient("log_other") { client in
            _ = try await LogEntriesExample.seed(otherSeed, client: client)
            return try await Self.digest(client)
        }
        #expect(otherDigest != firstDigest)
    }

    @Test func hasThePromisedShape() async throws {
        let options = LogEntriesExample.Options(entries: 20_000, loops: 5, seed: 42, lastDay: Self.lastDay)
        try await TestDatabase.withClient("log_shape") { client in
            let report = try await LogEntriesExample.seed(options, client: client)
            #expect(report.entries == 20_000)
            #expect(report.firstDay == Self.lastDay.advanced(by: -29) && report.lastDay == Self.lastDay)
            try await client.withConnection { connection in
                let basics = try connection.query(
                    """
                    SELECT count(*), min(id), max(id), count(*) FILTER (WHERE parent_id IS NULL),
                        count(*) FILTER (WHERE parent_id IS NOT NULL
                            AND NOT EXISTS (SELECT 1 FROM public.log_entries p WHERE p.id = e.parent_id)),
                        min(created_at) >= $1::date::timestamp AT TIME ZONE 'UTC'
                            AND max(created_at) < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
                    FROM public.log_entries e
                    """, [.date(report.firstDay), .date(report.lastDay)])[0]
                #expect(try basics.decode(Int64.self, at: 0) == 20_000)
                #expect(try basics.decode(Int64.self, at: 1) == 1 && basics.decode(Int64.self, at: 2) == 20_000)
                let roots = try basics.decode(Int64.self, at: 3)
                #expect(roots == Int64(report.roots))
                #expect(roots >= 40, "many roots (requests and jobs): \(roots)")
                #expect(try basics.decode(Int64.self, at: 4) == 0, "every parent is an entry")
                #expect(try basics.decode(Bool.self, at: 5), "every entry lies in the report's 30 days")

                // The loops, found by walking up from every entry, are exactly the reported ones.
                let onCycles = try connection.query(
                    """
                    WITH RECURSIVE walk(start, id, steps) AS (
                        SELECT id, parent_id, 1 FROM public.log_entries WHERE parent_id IS NOT NULL
                        UNION ALL
                        SELECT w.start, e.parent_id, w.steps + 1
                        FROM walk w JOIN public.log_entries e ON e.id = w.id
                        WHERE w.id <> w.start AND e.parent_id IS NOT NULL AND w.steps < 10
                    )
                    SELECT start FROM walk WHERE id = start ORDER BY start
                    """
                ).map { try $0.decode(Int64.self, at: 0) }
                #expect(report.loops.count == 5)
                #expect(report.loops.allSatisfy { (2...5).contains($0.count) }, "loop sizes: \(report.loops)")
                #expect(onCycles == report.loops.flatMap { $0 }.sorted())
                let parents = Dictionary(
                    uniqueKeysWithValues: try connection.query(
                        "SELECT id, parent_id FROM public.log_entries WHERE id = ANY($1)",
                        [.int64Array(onCycles)]
                    ).map { (try $0.decode(Int64.self, at: 0), try $0.decode(Int64.self, at: 1)) })
                for loop in report.loops {
                    var seen: [Int64] = []
                    var id = loop[0]
                    for _ in loop {
                        seen.append(id)
                        id = try #require(parents[id])
                    }
                    #expect(id == loop[0] && seen.sorted() == loop, "\(loop) is one cycle through all its members")
                }

                let earlier = try connection.query(
                    """
                    SELECT count(*) FROM public.log_entries c JOIN public.log_entries p ON p.id = c.parent_id
                    WHERE c.created_at < p.created_at AND c.id <> ALL($1)
                    """, [.int64Array(onCycles)])[0].decode(Int64.self, at: 0)
                #expect(earlier == 0, "children are never earlier than their parents outside the loops")

                // Depth and size of every tree, walked from its root.
                let trees = try connection.query(
                    """
                    WITH RECURSIVE down(root, id, depth) AS (
                        SELECT id, id, 0 FROM public.log_entries WHERE parent_id IS NULL
                        UNION ALL
                        SELECT d.root, e.id, d.depth + 1 FROM down d JOIN public.log_entries e ON e.parent_id = d.id
                    )
                    SELECT root, max(depth), count(*) - 1 FROM down GROUP BY root
                    """
                ).map { (depth: Int(try $0.decode(Int32.self, at: 1)), descendants: try $0.decode(Int64.self, at: 2)) }
                #expect(trees.count == report.roots)
                let maxDepth = trees.map(\.depth).max() ?? 0
                #expect(maxDepth == report.maxDepth)
                #expect(maxDepth <= 15)
                let shallow = Double(trees.filter { $0.depth < 10 }.count) / Double(trees.count)
                #expect(shallow >= 0.9, "trees under 10 levels: \(shallow)")
                let largestTree = trees.map(\.descendants).max() ?? 0
                #expect(largestTree >= 500, "typical big requests have hundreds of entries: \(largestTree)")
                #expect(Int64(report.largestSubtree) >= largestTree)
                let largest = try connection.query(
                    """
                    WITH RECURSIVE reach(id) AS (
                        SELECT id FROM public.log_entries WHERE parent_id = $1
                        UNION
                        SELECT e.id FROM reach r JOIN public.log_entries e ON e.parent_id = r.id
                    )
                    SELECT count(*) FROM reach WHERE id <> $1
                    """, [.int64(report.largestSubtreeRoot)])[0].decode(Int64.self, at: 0)
                #expect(largest == Int64(report.largestSubtree))

                let mix = try connection.query(
                    """
                    SELECT (SELECT max(n) FROM (SELECT count(*) AS n FROM public.log_entries GROUP BY parent_id) c),
                        (SELECT count(DISTINCT source) FROM public.log_entries),
                        (SELECT string_agg(level, ' ' ORDER BY n DESC)
                            FROM (SELECT level, count(*) AS n FROM public.log_entries GROUP BY level) l)
                    """)[0]
                let widest = try mix.decode(Int64.self, at: 0)
                #expect(widest >= 100, "some entries have hundreds of children: \(widest)")
                let sources = try mix.decode(Int64.self, at: 1)
                #expect((24...48).contains(sources), "a few dozen sources: \(sources)")
                #expect(try mix.decode(String.self, at: 2) == "INFO DEBUG WARN ERROR", "a skewed mix of levels")
            }
        }
    }

    @Test func theShippedModelFilePassesTheCatalogCheck() async throws {
        let repo = try TestEnvironment.require("ARBOR_TEST_REPO")
        let loaded = try ModelFile.read(contentsOf: "\(repo)/examples/log-entries/arbor.yaml")
        #expect(loaded.model.hierarchy == .parentColumn("parent_id"))
        #expect(loaded.model.sources.map(\.name) == ["entries"])
        try await TestDatabase.withClient("log_model") { client in
            _ = try await LogEntriesExample.seed(LogEntriesExample.Options(entries: 2000, seed: 1), client: client)
            let report = try await client.withConnection { connection in
                try ModelCatalog.check(loaded.model, on: connection, line: { loaded.line(of: $0) })
            }
            #expect(report.problems == [])
            #expect(report.idKind == .integer)
        }
    }

    @Test func refusesEntriesAlreadyThereUnlessReplacing() async throws {
        try await TestDatabase.withClient("log_twice") { client in
            // A table the organisation made itself, still empty: filled without --replace.
            try await client.withConnection { connection in
                try connection.execute(
                    """
                    CREATE TABLE public.log_entries (id bigint PRIMARY KEY, parent_id bigint, level text, source text,
                        message text, created_at timestamptz)
                    """)
            }
            var options = LogEntriesExample.Options(entries: 500, seed: 1)
            _ = try await LogEntriesExample.seed(options, client: client)
            let error = await #expect(throws: StoreError.self) {
                try await LogEntriesExample.seed(options, client: client)
            }
            #expect(error?.code == .invalidArgument)
            options.replace = true
            options.entries = 300
            let again = try await LogEntriesExample.seed(options, client: client)
            #expect(again.entries == 300)
            try await client.withConnection { connection in
                let rows = try connection.query(
                    """
                    SELECT count(*), (SELECT count(*) FROM pg_indexes WHERE tablename = 'log_entries')
                    FROM public.log_entries
                    """)[0]
                #expect(try rows.decode(Int64.self, at: 0) == 300)
                #expect(try rows.decode(Int64.self, at: 1) == 1, "the primary key is rebuilt after the bulk load")
            }
        }
    }

    @Test(arguments: [
        LogEntriesExample.Options(entries: 99), LogEntriesExample.Options(entries: 100_000_001),
        LogEntriesExample.Options(entries: 1000, loops: 51), LogEntriesExample.Options(loops: -1),
        LogEntriesExample.Options(loops: 1001), LogEntriesExample.Options(seed: -1),
    ])
    func rejectsOptionsOutOfRange(options: LogEntriesExample.Options) {
        #expect(throws: StoreError.self) { try options.validate() }
    }

    @Test(arguments: [
        LogEntriesExample.Options(entries: 100, loops: 5), LogEntriesExample.Options(entries: 100_000_000, loops: 1000),
        LogEntriesExample.Options(entries: 1000, loops: 0),
    ])
    func acceptsTheLimits(options: LogEntriesExample.Options) throws {
        try options.validate()
    }
}
