import ArborModel

/// A deterministic demo organisation generated inside PostgreSQL, under the built-in war-story model
/// (``DataModel/demo``, `examples/war-story/arbor.yaml`): 15 role levels, places from states down to villages, Indian
/// names, skewed fan-out, a user named "Raj" with about 10,000 descendants, second supervisors for about 3% of users,
/// a handful of cycles and skewed activity.
///
/// The application tables (`roles`, `users`, `user_hierarchy`, `registrations`) and the indexes their live queries
/// need are created when missing, so seeding comes before `arbor-server migrate`. Everything is written in one
/// transaction. When the model is already installed, its change capture is switched off for the bulk load (tens of
/// millions of rows through the capture triggers would log a delta per rollup row) and the rollups are rebuilt from
/// the tables afterwards, as `migrate` builds them, with a `reset` in the change log so that running servers reload.
public enum DemoOrganisation {
    /// What to generate.
    public struct Options: Sendable, Hashable {
        /// Users, at least 100 (15 levels need some room).
        public var users: Int
        /// Days of registrations, ending yesterday in the organisation's time zone; 1...3650.
        public var days: Int
        /// Registrations in all, exactly; 0...1,000,000,000.
        public var registrations: Int64
        /// Same seed, same organisation; 0...2^31-1.
        public var seed: Int64
        /// Replace the users, hierarchy and registrations already there instead of refusing.
        public var replace: Bool

        public init(
            users: Int = 50_000, days: Int = 90, registrations: Int64 = 20_000_000, seed: Int64 = 42,
            replace: Bool = false
        ) {
            self.users = users
            self.days = days
            self.registrations = registrations
            self.seed = seed
            self.replace = replace
        }

        /// Throws ``StoreError/Code/invalidArgument`` naming the first option out of range.
        public func validate() throws {
            func check(_ ok: Bool, _ message: String) throws {
                if !ok { throw StoreError(.invalidArgument, message) }
            }
            try check((100...10_000_000).contains(users), "--users must be between 100 and 10000000")
            try check((1...3650).contains(days), "--days must be between 1 and 3650")
            try check(
                (0...1_000_000_000).contains(registrations), "--registrations must be between 0 and 1000000000")
            try check((0...Int64(Int32.max)).contains(seed), "--seed must be between 0 and 2147483647")
        }
    }

    /// What was generated.
    public struct Report: Sendable, Hashable {
        public var users: Int
        /// Supervisor edges of the tree (one per user below the top level).
        public var treeEdges: Int
        /// Second supervisors.
        public var secondSupervisorEdges: Int
        /// Edges that close a cycle.
        public var cycleEdges: Int
        /// Groups of users that reach each other, as ``LiveModelQueries/cycles(limit:on:)`` reports them.
        public var cycleGroups: [[NodeID]]
        public var registrations: Int64
        /// Distinct (user, day, type, channel) counts the registrations were generated from.
        public var rollupRows: Int64
        public var raj: NodeID
        /// Raj's distinct descendants.
        public var rajDownline: Int
        /// Whether the model was installed already, so its rollups were rebuilt after the load.
        public var rebuiltRollups: Bool
        /// Wall-clock time of the whole seeding, VACUUM included.
        public var duration: Duration

        public var edges: Int { treeEdges + secondSupervisorEdges + cycleEdges }
    }

    /// Generates the organisation in one transaction on `client`.
    ///
    /// - Throws: ``StoreError/Code/invalidArgument`` for options out of range, when the database already has
    ///   users or registrations and `replace` is off, or when another model than the demo's captures its tables;
    ///   other ``StoreError``s from PostgreSQL.
    public static func seed(_ options: Options, client: PostgresClient) async throws -> Report {
        try options.validate()
        var (report, duration) = try await client.seed(vacuuming: "public.users, public.user_hierarchy") {
            connection in
            try generate(options, on: connection)
        }
        report.duration = duration
        return report
    }

    /// Creates the demo's application tables (`roles`, `users`, `user_hierarchy`, `registrations`) and the indexes
    /// their live queries need, leaving any that exist as they are; ``seed(_:client:)`` starts with it.
    public static func createTables(on connection: PostgresConnection) throws {
        for statement in DemoSQL.applicationTables { try connection.execute(statement) }
    }

    private static func generate(_ options: Options, on connection: PostgresConnection) throws -> Report {
        try createTables(on: connection)
        let capture = try DemoCapture.pause(on: connection)
        let existing = try connection.query(
            "SELECT EXISTS (SELECT 1 FROM users), EXISTS (SELECT 1 FROM registrations)")
        if try existing[0].decode(Bool.self, at: 0) || existing[0].decode(Bool.self, at: 1) {
            guard options.replace else {
                throw StoreError(
                    .invalidArgument,
                    "the database already has users or registrations; pass --replace to replace them")
            }
            try connection.execute("TRUNCATE users, user_hierarchy, registrations")
        }
        // The staging statements are many and cheap but look expensive to the planner; compiling each with JIT
        // costs about a second apiece.
        try connection.execute("SET LOCAL jit = off")
        for statement in DemoSQL.prelude { try connection.execute(statement) }
        try connection.execute(
            DemoSQL.params,
            [
                .int64(options.seed), .int32(Int32(options.users)), .int32(Int32(options.days)),
                .int64(options.registrations), .text(DataModel.demo.timeZone),
            ])
        try connection.execute(DemoSQL.roles)
        try connection.execute(DemoSQL.levels)
        for level in 0..<15 {
            try connection.execute(DemoSQL.levelUsers, [.int32(Int32(level))])
            // Fresh statistics so the next level's window and join see the real size of this one.
            try connection.execute("ANALYZE demo_users")
        }
        for level in stride(from: 14, through: 1, by: -1) {
            try connection.execute(DemoSQL.subtree, [.int32(Int32(level))])
        }
        try connection.execute(DemoSQL.raj)
        let treeEdges = try connection.execute(DemoSQL.edges)
        let secondEdges = try connection.execute(DemoSQL.second)
        let cycleEdges = try connection.execute(DemoSQL.cycles)
        let users = try connection.execute(DemoSQL.users)
        try connection.execute(DemoSQL.hierarchy)
        try connection.execute(DemoSQL.activity)
        try connection.execute("ANALYZE demo_activity")
        // The two bulk statements evaluate their expressions tens of millions of times: there JIT pays for itself
        // (measured at 10k users: registrations 22 s without, 11.5 s with).
        try connection.execute("SET LOCAL jit = on")
        let rollupRows = try connection.execute(DemoSQL.rollups)
        let registrations = try connection.withIndexesBuiltAfterwards(on: "public.registrations") {
            try connection.execute(DemoSQL.registrations)
        }
        try connection.execute("SET LOCAL jit = off")
        // Statistics for the report's traversals below; VACUUM after commit analyzes the rest again.
        for table in ["users", "user_hierarchy", "registrations"] {
            try connection.execute("ANALYZE \(table)")
        }
        let rebuilt = try capture?.resume(on: connection) != nil

        guard let model = try ModelCatalog.check(.demo, on: connection).resolved else {
            throw StoreError(.protocolViolation, "the demo's tables do not match the built-in model")
        }
        let raj = try connection.query("SELECT id::text FROM users WHERE name = 'Raj'")[0].decode(String.self, at: 0)
        return try report(
            model: model, raj: try LiveTraversal.nodeID(raj, .uuid), users: users, treeEdges: treeEdges,
            secondEdges: secondEdges, cycleEdges: cycleEdges, registrations: registrations, rollupRows: rollupRows,
            rebuiltRollups: rebuilt, on: connection)
    }

    private static func report(
        model: ResolvedModel, raj: NodeID, users: Int, treeEdges: Int, secondEdges: Int, cycleEdges: Int,
        registrations: Int, rollupRows: Int, rebuiltRollups: Bool, on connection: PostgresConnection
    ) throws -> Report {
        let downline = try LiveTraversal(model: model).run(from: raj, maxDepth: 0, on: connection)
        let cycles = try LiveModelQueries(model: model).cycles(limit: 0, on: connection)
        return Report(
            users: users, treeEdges: treeEdges, secondSupervisorEdges: secondEdges, cycleEdges: cycleEdges,
            cycleGroups: cycles.groups, registrations: Int64(registrations), rollupRows: Int64(rollupRows), raj: raj,
            rajDownline: downline.count, rebuiltRollups: rebuiltRollups, duration: .zero)
    }
}
