import ArborModel
import ArborStore
import Testing

/// The demo organisation at a small size: deterministic, the promised shape, rollups exactly the raw rows.
@Suite struct DemoOrganisationTests {
    static let small = DemoOrganisation.Options(users: 2000, days: 30, registrations: 200_000, seed: 42)

    @Test func sameSeedSameOrganisation() async throws {
        let first = try await TestDatabase.withMigratedClient("demo_first") { client in
            try await DemoOrganisation.seed(Self.small, client: client)
        }
        let second = try await TestDatabase.withMigratedClient("demo_second") { client in
            try await DemoOrganisation.seed(Self.small, client: client)
        }
        var normalized = second
        normalized.duration = first.duration
        #expect(normalized == first)
        var otherSeed = Self.small
        otherSeed.seed = 7
        let other = try await TestDatabase.withMigratedClient("demo_other") { client in
            try await DemoOrganisation.seed(otherSeed, client: client)
        }
        #expect(other.raj != first.raj)
        #expect(other.registrations == first.registrations && other.users == first.users)
    }

    @Test func hasThePromisedShape() async throws {
        try await TestDatabase.withMigratedClient("demo_shape", timeZone: "Asia/Kolkata") { client in
            let report = try await DemoOrganisation.seed(Self.small, client: client)
            #expect(report.users == 2000 && report.registrations == 200_000)
            #expect(report.treeEdges == 1999)
            let secondShare = Double(report.secondSupervisorEdges) / Double(report.users)
            #expect((0.02...0.04).contains(secondShare), "second supervisors: \(secondShare)")
            #expect(report.cycleGroups.count >= 3)
            #expect(report.cycleGroups.contains { $0.count == 1 }, "a self-edge")
            #expect(report.cycleGroups.contains { $0.count == 3 }, "a cycle through a supervisor's boss")
            #expect(report.rajDownline >= 200, "Raj's downline: \(report.rajDownline)")

            let live = LiveQueries(client: client)
            let raj = try await live.findUsers(FindUsersQuery(namePrefix: "Raj", limit: 1000), deadline: nil).value
            #expect(raj.users.filter { $0.name == "Raj" }.map(\.id) == [report.raj])
            let downline = try await live.descendants(DescendantsQuery(root: report.raj), deadline: nil).value
            #expect(downline.total == UInt64(report.rajDownline))
            let cycles = try await live.cycles(CyclesQuery(), deadline: nil).value
            #expect(cycles.cycles == report.cycleGroups)

            try await client.withConnection { connection in
                #expect(try Rollups.read(connection) == Rollups.fromRegistrations(connection))
                let shape = try connection.query(
                    """
                    SELECT (SELECT count(*) FROM roles),
                        (SELECT count(DISTINCT role) FROM users),
                        (SELECT count(*) FROM users WHERE village IS NOT NULL
                            AND (block IS NULL OR district IS NULL OR state IS NULL)),
                        (SELECT max(n) FROM (SELECT count(*) AS n FROM registrations GROUP BY created_by) per_user),
                        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY n)
                            FROM (SELECT count(*)::float8 AS n FROM registrations GROUP BY created_by) per_user),
                        (SELECT count(*) FROM arbor.change_log WHERE kind = 'reset')
                    """)[0]
                #expect(try shape.decode(Int64.self, at: 0) == 15)
                #expect(try shape.decode(Int64.self, at: 1) == 15)
                #expect(try shape.decode(Int64.self, at: 2) == 0, "places nest: village → block → district → state")
                let busiest = try shape.decode(Int64.self, at: 3)
                let median = try shape.decode(Double.self, at: 4)
                #expect(Double(busiest) > 20 * median, "skewed activity: busiest \(busiest), median \(median)")
                #expect(try shape.decode(Int64.self, at: 5) >= 1, "a reset entry for incremental readers")
            }
        }
    }

    @Test func refusesToSeedTwiceUnlessReplacing() async throws {
        try await TestDatabase.withMigratedClient("demo_twice") { client in
            @Sendable func indexes() async throws -> [String] {
                try await client.withConnection { connection in
                    try connection.query(
                        """
                        SELECT indexdef FROM pg_indexes
                        WHERE tablename IN ('registrations', 'daily_rollups') ORDER BY indexdef
                        """
                    ).map { try $0.decode(String.self, at: 0) }
                }
            }
            let migratedIndexes = try await indexes()
            var options = DemoOrganisation.Options(users: 300, days: 5, registrations: 3000, seed: 1)
            let first = try await DemoOrganisation.seed(options, client: client)
            #expect(try await indexes() == migratedIndexes, "indexes dropped for the bulk load are all rebuilt")
            let error = await #expect(throws: StoreError.self) {
                try await DemoOrganisation.seed(options, client: client)
            }
            #expect(error?.code == .invalidArgument)
            options.replace = true
            var again = try await DemoOrganisation.seed(options, client: client)
            again.duration = first.duration
            #expect(again == first)
            try await client.withConnection { connection in
                #expect(try Rollups.read(connection) == Rollups.fromRegistrations(connection))
                let users = try connection.query("SELECT count(*) FROM users")[0].decode(Int64.self, at: 0)
                #expect(users == 300)
            }
        }
    }

    @Test func refusesAnUnmigratedDatabase() async throws {
        try await TestDatabase.withClient("demo_unmigrated") { client in
            let error = await #expect(throws: StoreError.self) {
                try await DemoOrganisation.seed(DemoOrganisation.Options(users: 100, registrations: 10), client: client)
            }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test(arguments: [
        DemoOrganisation.Options(users: 99), DemoOrganisation.Options(days: 0),
        DemoOrganisation.Options(registrations: -1), DemoOrganisation.Options(seed: -5),
    ])
    func rejectsOptionsOutOfRange(options: DemoOrganisation.Options) {
        #expect(throws: StoreError.self) { try options.validate() }
    }
}
