import ArborModel

/// The second example organisation (`examples/log-entries/`): a Katapult-style log tree in
/// `public.log_entries(id, parent_id, level, source, message, created_at)`, generated inside PostgreSQL and
/// deterministic for a seed.
///
/// Many roots (requests and jobs), trees mostly under 10 levels deep, hubs with hundreds of children, typical trees
/// of hundreds of entries and a few batch jobs of about 10,000, a skewed mix of DEBUG/INFO/WARN/ERROR from 39
/// sources, times over 30 days with every child later than its parent, and a handful of corrupt parent loops of 2–5
/// entries. Everything is written in one transaction; the table is created when it is missing.
public enum LogEntriesExample {
    /// The days the entries span, ending with ``Options/lastDay``.
    public static let days = 30

    /// What to generate.
    public struct Options: Sendable, Hashable {
        /// Entries in all, exactly; 100...100,000,000.
        public var entries: Int
        /// Corrupt parent loops; at most one per 20 entries and at most 1,000.
        public var loops: Int
        /// Same seed, same entries; 0...2^31-1.
        public var seed: Int64
        /// The last day of entries (UTC); `nil` is yesterday. Fixing it makes the rows identical on any day.
        public var lastDay: Day?
        /// Replace the entries already there instead of refusing.
        public var replace: Bool

        public init(
            entries: Int = 1_000_000, loops: Int = 5, seed: Int64 = 42, lastDay: Day? = nil, replace: Bool = false
        ) {
            self.entries = entries
            self.loops = loops
            self.seed = seed
            self.lastDay = lastDay
            self.replace = replace
        }

        /// Throws ``StoreError/Code/invalidArgument`` naming the first option out of range.
        public func validate() throws {
            func check(_ ok: Bool, _ message: String) throws {
                if !ok { throw StoreError(.invalidArgument, message) }
            }
            try check(
                (100...100_000_000).contains(entries),
                "--entries must be between 100 and 100000000 (got \(entries))")
            let maxLoops = min(1000, entries / 20)
            try check(
                (0...maxLoops).contains(loops),
                "--loops must be between 0 and \(maxLoops) (at most one loop per 20 entries, 1000 in all)")
            try check((0...Int64(Int32.max)).contains(seed), "--seed must be between 0 and 2147483647")
        }
    }

    /// What was generated.
    public struct Report: Sendable, Hashable {
        public var entries: Int
        /// Entries without a parent.
        public var roots: Int
        /// The deepest entry below a root (a root is depth 0).
        public var maxDepth: Int
        /// The entry with the most descendants, and how many it has.
        public var largestSubtreeRoot: Int64
        public var largestSubtree: Int
        /// The members of each loop, ascending: every member's parent is another member of its loop.
        public var loops: [[Int64]]
        /// The days the entries span (UTC).
        public var firstDay: Day
        public var lastDay: Day
        /// Wall-clock time of the whole seeding, VACUUM included.
        public var duration: Duration
    }

    /// Generates the entries in one transaction on `client`, creating `public.log_entries` when it is missing.
    ///
    /// - Throws: ``StoreError/Code/invalidArgument`` for options out of range or when the table already has
    ///   entries and `replace` is off; other ``StoreError``s from PostgreSQL.
    public static func seed(_ options: Options, client: PostgresClient) async throws -> Report {
        try options.validate()
        var (report, duration) = try await client.seed(vacuuming: "public.log_entries") { connection in
            try generate(options, on: connection)
        }
        report.duration = duration
        return report
    }

    private static func generate(_ options: Options, on connection: PostgresConnection) throws -> Report {
        let exists = try connection.query("SELECT to_regclass('public.log_entries') IS NOT NULL")[0]
            .decode(Bool.self, at: 0)
        if !exists {
            for statement in LogEntriesSQL.createTable { try connection.execute(statement) }
        } else if try connection.query("SELECT EXISTS (SELECT 1 FROM public.log_entries)")[0].decode(Bool.self, at: 0) {
            guard options.replace else {
                throw StoreError(
                    .invalidArgument, "public.log_entries already has entries; pass --replace to replace them")
            }
            try connection.execute("TRUNCATE public.log_entries")
        }
        // JIT does not pay here (measured on the loaded 2-core machine: the entries' INSERT at 1M 5.8 s without,
        // 7.4 s with; at 3M 15–17 s either way).
        try connection.execute("SET LOCAL jit = off")
        for statement in LogEntriesSQL.prelude { try connection.execute(statement) }
        try connection.execute(
            LogEntriesSQL.params,
            [
                .int64(options.seed), .int64(Int64(options.entries)), .int32(Int32(options.loops)),
                .date(options.lastDay),
            ])
        try connection.execute(LogEntriesSQL.trees)
        try connection.execute(LogEntriesSQL.levels)
        try connection.execute(LogEntriesSQL.loops)
        try connection.execute(LogEntriesSQL.loopMembers)
        let entries = try connection.withIndexesBuiltAfterwards(on: "public.log_entries") {
            try connection.execute(LogEntriesSQL.entries)
        }
        try connection.execute("ANALYZE public.log_entries")

        let row = try connection.query(LogEntriesSQL.report)[0]
        let loops = try connection.query("SELECT first_id, length FROM log_loops ORDER BY k").map { loop in
            let first = try loop.decode(Int64.self, at: 0)
            return Array(first..<first + Int64(try loop.decode(Int32.self, at: 1)))
        }
        return Report(
            entries: entries, roots: Int(try row.decode(Int64.self, at: 0)),
            maxDepth: Int(try row.decode(Int32.self, at: 1)), largestSubtreeRoot: try row.decode(Int64.self, at: 2),
            largestSubtree: Int(try row.decode(Int64.self, at: 3)), loops: loops,
            firstDay: try row.decode(Day.self, at: 4), lastDay: try row.decode(Day.self, at: 5), duration: .zero)
    }
}
