import ArborModel
import ArborStore
import ArborTestSupport
import Testing

/// The demo organisation at a small size: deterministic, the promised shape, its tables created by the seed and
/// served by the built-in model, before or after `migrate`.
@Suite struct DemoOrganisationTests {
    static let small = DemoOrganisation.Options(users: 2000, days: 30, registrations: 200_000, seed: 42)

    @Test func sameSeedSameOrganisation() async throws {
        let first = try await TestDatabase.withClient("demo_first") { client in
            try await DemoOrganisation.seed(Self.small, client: client)
        }
        let second = try await TestDatabase.withClient("demo_second") { client in
            try await DemoOrganisation.seed(Self.small, client: client)
        }
        var normalized = second
        normalized.duration = first.duration
        #expect(normalized == first)
        var otherSeed = Self.small
        otherSeed.seed = 7
        let other = try await TestDatabase.withClient("demo_other") { client in
            try await DemoOrganisation.seed(otherSeed, client: client)
        }
        #expect(other.raj != first.raj)
        #expect(other.registrations == first.registrations && other.users == first.users)
    }

    @Test func hasThePromisedShapeUnderTheBuiltInModel() async throws {
        try await TestDatabase.withClient("demo_shape") { client in
            let report = try await DemoOrganisation.seed(Self.small, client: client)
            #expect(report.users == 2000 && report.registrations == 200_000)
            #expect(report.treeEdges == 1999)
            #expect(!report.rebuiltRollups)
            let secondShare = Double(report.secondSupervisorEdges) / Double(report.users)
            #expect((0.02...0.04).contains(secondShare), "second supervisors: \(secondShare)")
            #expect(report.cycleGroups.count >= 3)
            #expect(report.cycleGroups.contains { $0.count == 1 }, "a self-edge")
            #expect(report.cycleGroups.contains { $0.count == 3 }, "a cycle through a supervisor's boss")
            #expect(report.rajDownline >= 200, "Raj's downline: \(report.rajDownline)")

            try await client.withConnection { connection in
                let catalog = try ModelCatalog.check(.demo, on: connection)
                #expect(catalog.problems.isEmpty, "\(catalog.problems)")
                let model = try #require(catalog.resolved)
                let live = LiveModelQueries(model: model)
                let found = try live.find(
                    FindNodesQuery(model: model, labelPrefix: "Raj", limit: 1000), on: connection)
                #expect(found.nodes.filter { $0.label == "Raj" }.map(\.id) == [report.raj])
                let downline = try live.traverse(
                    NodeTraversalQuery(model: model, direction: .descendants, root: report.raj.canonical),
                    on: connection)
                #expect(downline.total == UInt64(report.rajDownline))
                #expect(try live.cycles(limit: 0, on: connection).groups == report.cycleGroups)

                let shape = try connection.query(
                    """
                    SELECT (SELECT count(*) FROM roles),
                        (SELECT count(DISTINCT role) FROM users),
                        (SELECT count(*) FROM users WHERE village IS NOT NULL
                            AND (block IS NULL OR district IS NULL OR state IS NULL)),
                        (SELECT max(n) FROM (SELECT count(*) AS n FROM registrations GROUP BY created_by) per_user),
                        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY n)
                            FROM (SELECT count(*)::float8 AS n FROM registrations GROUP BY created_by) per_user),
                        (SELECT max((created_at AT TIME ZONE 'Asia/Kolkata')::date)
                            = (now() AT TIME ZONE 'Asia/Kolkata')::date - 1 FROM registrations),
                        to_regnamespace('arbor') IS NULL
                    """)[0]
                #expect(try shape.decode(Int64.self, at: 0) == 15)
                #expect(try shape.decode(Int64.self, at: 1) == 15)
                #expect(try shape.decode(Int64.self, at: 2) == 0, "places nest: village → block → district → state")
                let busiest = try shape.decode(Int64.self, at: 3)
                let median = try shape.decode(Double.self, at: 4)
                #expect(Double(busiest) > 20 * median, "skewed activity: busiest \(busiest), median \(median)")
                #expect(try shape.decode(Bool.self, at: 5), "registrations end yesterday in the model's time zone")
                #expect(try shape.decode(Bool.self, at: 6), "seeding installs nothing of Arbor's own")
            }
        }
    }

    /// `migrate` first, then the seed (and a re-seed): capture is off for the load, the rollups are rebuilt as the
    /// installer builds them, the capture triggers are on again, and readers are told to reload.
    @Test func seedingAnInstalledModelRebuildsItsRollups() async throws {
        try await TestDatabase.withClient("demo_installed") { client in
            let options = DemoOrganisation.Options(users: 300, days: 5, registrations: 3000, seed: 1)
            _ = try await DemoOrganisation.seed(options, client: client)
            let model = try await client.withConnection { connection in
                let model = try #require(try ModelCatalog.check(.demo, on: connection).resolved)
                _ = try ModelInstaller.install(model, on: connection)
                return model
            }
            var replacing = options
            replacing.replace = true
            replacing.seed = 2
            let report = try await DemoOrganisation.seed(replacing, client: client)
            #expect(report.rebuiltRollups)
            try await client.withConnection { connection in
                try ModelInstallation.check(model, on: connection)
                #expect(try Self.rollupDifferences(connection) == 0)
                let resets = try connection.query("SELECT count(*) FROM arbor.model_changes WHERE kind = 'reset'")
                #expect(try resets[0].decode(Int64.self, at: 0) >= 2)
                // The capture triggers are on again: a new registration reaches the rollup.
                try connection.execute(
                    """
                    INSERT INTO registrations (created_by, created_at, registration_type, channel)
                    SELECT id, now() - interval '1 day', 'VOTER', 'APP' FROM users ORDER BY id LIMIT 1
                    """)
                #expect(try Self.rollupDifferences(connection) == 0)
                let total = try connection.query("SELECT sum(count)::int8 FROM arbor.rollup_registrations")
                #expect(try total[0].decode(Int64.self, at: 0) == 3001)
            }
        }
    }

    @Test func refusesToSeedTwiceUnlessReplacing() async throws {
        try await TestDatabase.withClient("demo_twice") { client in
            @Sendable func indexes() async throws -> [String] {
                try await client.withConnection { connection in
                    try connection.query(
                        """
                        SELECT indexdef FROM pg_indexes
                        WHERE tablename IN ('registrations', 'users', 'user_hierarchy') ORDER BY indexdef
                        """
                    ).map { try $0.decode(String.self, at: 0) }
                }
            }
            var options = DemoOrganisation.Options(users: 300, days: 5, registrations: 3000, seed: 1)
            let first = try await DemoOrganisation.seed(options, client: client)
            let created = try await indexes()
            #expect(created.contains { $0.contains("user_hierarchy_child_parent") })
            #expect(created.contains { $0.contains("registrations_created_by_created_at") })
            let error = await #expect(throws: StoreError.self) {
                try await DemoOrganisation.seed(options, client: client)
            }
            #expect(error?.code == .invalidArgument)
            options.replace = true
            var again = try await DemoOrganisation.seed(options, client: client)
            again.duration = first.duration
            #expect(again == first)
            #expect(try await indexes() == created, "indexes dropped for the bulk load are all rebuilt")
            try await client.withConnection { connection in
                let users = try connection.query("SELECT count(*) FROM users")[0].decode(Int64.self, at: 0)
                #expect(users == 300)
            }
        }
    }

    /// Another model capturing the demo's tables has rollups the seed cannot rebuild: it refuses, changing nothing.
    @Test func refusesTablesCapturedByAnotherModel() async throws {
        try await TestDatabase.withClient("demo_other_model") { client in
            let options = DemoOrganisation.Options(users: 100, days: 2, registrations: 100, seed: 3)
            _ = try await DemoOrganisation.seed(options, client: client)
            try await client.withConnection { connection in
                var other = DataModel.demo
                other.timeZone = "UTC"
                let model = try #require(try ModelCatalog.check(other, on: connection).resolved)
                _ = try ModelInstaller.install(model, on: connection)
            }
            var replacing = options
            replacing.replace = true
            let error = await #expect(throws: StoreError.self) {
                try await DemoOrganisation.seed(replacing, client: client)
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("another model") == true)
        }
    }

    @Test(arguments: [
        DemoOrganisation.Options(users: 99), DemoOrganisation.Options(days: 0),
        DemoOrganisation.Options(registrations: -1), DemoOrganisation.Options(seed: -5),
    ])
    func rejectsOptionsOutOfRange(options: DemoOrganisation.Options) {
        #expect(throws: StoreError.self) { try options.validate() }
    }

    /// Rows in which the installed rollup and the registrations counted per (user, day in Asia/Kolkata, type,
    /// channel) differ.
    static func rollupDifferences(_ connection: PostgresConnection) throws -> Int64 {
        try connection.query(
            """
            WITH counted AS (
                SELECT created_by AS node, (created_at AT TIME ZONE 'Asia/Kolkata')::date AS day,
                    registration_type, channel, count(*)::int8 AS n
                FROM registrations GROUP BY 1, 2, 3, 4
            ), rolled AS (
                SELECT node, day, dim_registration_type, dim_channel, count FROM arbor.rollup_registrations
            )
            SELECT (SELECT count(*) FROM (SELECT * FROM counted EXCEPT SELECT * FROM rolled) a)
                + (SELECT count(*) FROM (SELECT * FROM rolled EXCEPT SELECT * FROM counted) b)
            """)[0].decode(Int64.self, at: 0)
    }
}
